package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/channels"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
	"github.com/ivs-ugc/ugc-go/ugc/ivslocal"
	"github.com/ivs-ugc/ugc-go/ugc/store/memstore"
)

// An application registers its own routes next to the built-in ones; they
// get the same auth, JSON, error and OpenAPI conventions.
func ExampleNew() {
	type greeting struct {
		Hello string `json:"hello"`
	}
	h, err := httpapi.New(httpapi.Options{
		// A real Authenticator checks a session token or a JWT.
		Auth: httpapi.AuthenticatorFunc(func(r *http.Request) (httpapi.Identity, error) {
			switch tok := httpapi.BearerToken(r); tok {
			case "":
				return httpapi.Identity{}, nil
			case "alice-token":
				return httpapi.Identity{UserID: "alice"}, nil
			}
			return httpapi.Identity{}, ugc.Errorf(ugc.ErrUnauthenticated, "unknown token")
		}),
		Routes: []httpapi.Route{{
			Method: "GET", Pattern: "/v1/hello", Auth: httpapi.AuthRequired,
			Summary: "Greet the caller", Response: greeting{},
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				id := httpapi.IdentityFrom(r.Context())
				httpapi.WriteJSON(w, http.StatusOK, greeting{Hello: id.UserID})
				return nil
			},
		}},
	})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, tok := range []string{"alice-token", ""} {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/hello", nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		req.Header.Set("X-Request-Id", "example-1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, strings.TrimSpace(string(body)))
	}
	// Output:
	// 200 {"hello":"alice"}
	// 401 {"error":{"code":"unauthenticated","message":"sign-in required: send Authorization: Bearer <token>","requestId":"example-1"}}
}

// Mounting the channels service: the handler serves /v1/me, channel pages,
// follows, the directory and uploaded images.
func ExampleNew_channels() {
	emu := ivslocal.NewServer()
	defer emu.Close()
	st := memstore.New()
	defer st.Close()
	dir, err := os.MkdirTemp("", "assets")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	assets, err := channels.NewDirAssets(dir)
	if err != nil {
		panic(err)
	}
	defer assets.Close()
	cfg := emu.AWSConfig()
	svc, err := channels.New(channels.Options{
		Store: st, Assets: assets, ProjectTag: "example",
		IVS: ivs.NewFromConfig(cfg), Chat: ivschat.NewFromConfig(cfg), Stages: ivsrealtime.NewFromConfig(cfg),
	})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	if _, err := svc.Register(ctx, channels.RegisterInput{Username: "streamer", Email: "streamer@example.com", Color: "green", Avatar: "bear"}); err != nil {
		panic(err)
	}
	h, err := httpapi.New(httpapi.Options{
		Channels: svc,
		Auth: httpapi.AuthenticatorFunc(func(r *http.Request) (httpapi.Identity, error) {
			return httpapi.Identity{}, nil // everyone is anonymous here
		}),
	})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/v1/channels/streamer")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var page struct {
		Username      string  `json:"username"`
		Color         string  `json:"color"`
		IsLive        bool    `json:"isLive"`
		LiveSince     *string `json:"liveSince"`
		FollowerCount int     `json:"followerCount"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, page.Username, page.Color, page.IsLive, page.LiveSince, page.FollowerCount)
	// Output:
	// 200 streamer green false <nil> 0
}
