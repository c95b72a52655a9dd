package cognito_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/cognito"
	"github.com/ivs-ugc/ugc-go/examples/fullapp/internal/mototest"
	"github.com/ivs-ugc/ugc-go/ugc"
)

// TestVerifyMotoTokens verifies real Cognito-shaped tokens issued by
// moto_server's cognito-idp, with keys fetched from its JWKS endpoint.
func TestVerifyMotoTokens(t *testing.T) {
	moto := mototest.Start(t)
	pool := moto.NewPool(t, "ugc-verify")
	pool.AddUser(t, "carol", "carol@example.com", "Carol-Pass-1")
	tokens := pool.SignIn(t, "carol", "Carol-Pass-1")

	v, err := cognito.New(cognito.Options{Issuer: pool.Issuer, ClientID: pool.ClientID, JWKSURL: pool.JWKSURL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := v.Verify(ctx, tokens.Access)
	if err != nil {
		t.Fatalf("Verify(access token): %v", err)
	}
	want := &cognito.Claims{Username: "carol", ClientID: pool.ClientID}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(cognito.Claims{}, "Subject", "Expires")); diff != "" {
		t.Errorf("claims mismatch (-want +got):\n%s", diff)
	}
	if got.Subject == "" || got.Expires.IsZero() {
		t.Errorf("claims = %+v, want a subject and an expiry", got)
	}

	// An ID token of the same pool is not an access token.
	if _, err := v.Verify(ctx, tokens.ID); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("Verify(ID token): err = %v, want ErrUnauthenticated", err)
	}
	// A token of another app client is refused.
	other, err := cognito.New(cognito.Options{Issuer: pool.Issuer, ClientID: "another-client", JWKSURL: pool.JWKSURL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Verify(ctx, tokens.Access); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("Verify for another client: err = %v, want ErrUnauthenticated", err)
	}
}
