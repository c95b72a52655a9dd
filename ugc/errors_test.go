package ugc

import (
	"errors"
	"fmt"
	"testing"
)

type apiErr struct{ code string }

func (e *apiErr) Error() string { return e.code }

func TestErrorModel(t *testing.T) {
	cause := &apiErr{"ConflictException"}
	err := error(&Error{Kind: ErrFailedPrecondition, Code: "stage_live", Message: "stage is live", Err: cause})
	Wrap(&err, "actions.Start")
	if !errors.Is(err, ErrFailedPrecondition) {
		t.Fatalf("errors.Is failed for %v", err)
	}
	var ae *apiErr
	if !errors.As(err, &ae) || ae.code != "ConflictException" {
		t.Fatalf("errors.As did not reach the cause")
	}
	if got, want := err.Error(), "actions.Start: stage is live: ConflictException"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := CodeOf(err); got != "stage_live" {
		t.Errorf("CodeOf = %q", got)
	}

	plain := fmt.Errorf("lookup: %w", ErrNotFound)
	Wrap(&plain, "channels.Get")
	if CodeOf(plain) != "not_found" || !errors.Is(plain, ErrNotFound) {
		t.Errorf("wrapped plain error: code %q, %v", CodeOf(plain), plain)
	}
	internal := errors.New("disk on fire")
	Wrap(&internal, "x")
	if CodeOf(internal) != "internal" || KindOf(internal) != nil {
		t.Errorf("internal error code = %q", CodeOf(internal))
	}
	var nilErr error
	Wrap(&nilErr, "x")
	if nilErr != nil {
		t.Errorf("Wrap(nil) = %v", nilErr)
	}
	if f := FieldOf(InvalidField("email", "bad")); f != "email" {
		t.Errorf("FieldOf = %q", f)
	}
}

func TestSecretsRedacted(t *testing.T) {
	k := StreamKey("sk_us-east-1_secret")
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %s %#v", k, Token("t"), Password("p")), k.LogValue().String()} {
		if s != "REDACTED" && s != "REDACTED REDACTED REDACTED" {
			t.Errorf("secret printed as %q", s)
		}
	}
	if k.Reveal() != "sk_us-east-1_secret" {
		t.Errorf("Reveal = %q", k.Reveal())
	}
}
