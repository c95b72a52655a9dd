package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
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
