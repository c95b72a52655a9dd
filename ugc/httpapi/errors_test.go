package httpapi_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

func TestStatusOf(t *testing.T) {
	type sc struct {
		Status int
		Code   string
	}
	tests := []struct {
		err  error
		want sc
	}{
		{ugc.InvalidField("username", "bad"), sc{400, "invalid_argument"}},
		{ugc.ErrUnauthenticated, sc{401, "unauthenticated"}},
		{fmt.Errorf("wrapped: %w", ugc.ErrPermissionDenied), sc{403, "permission_denied"}},
		{ugc.ErrNotFound, sc{404, "not_found"}},
		{ugc.WithCode(ugc.ErrNotFound, "user_not_found", "x"), sc{404, "user_not_found"}},
		{ugc.ErrAlreadyExists, sc{409, "already_exists"}},
		{ugc.ErrFailedPrecondition, sc{409, "failed_precondition"}},
		{ugc.WithCode(ugc.ErrFailedPrecondition, "already_voted", "x"), sc{409, "already_voted"}},
		{ugc.ErrTooLarge, sc{413, "too_large"}},
		{&http.MaxBytesError{Limit: 10}, sc{413, "too_large"}},
		{ugc.WithCode(ugc.ErrInvalidArgument, httpapi.CodeUnsupportedMediaType, "x"), sc{415, "unsupported_media_type"}},
		{ugc.ErrThrottled, sc{429, "throttled"}},
		{&ugc.Error{Op: "a.B", Err: &ugc.Error{Kind: ugc.ErrUnavailable}}, sc{503, "unavailable"}},
		{errors.New("boom"), sc{500, "internal"}},
		{&ugc.Error{Op: "a.B", Err: errors.New("boom")}, sc{500, "internal"}},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			var got sc
			got.Status, got.Code = httpapi.StatusOf(tt.err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("StatusOf mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
