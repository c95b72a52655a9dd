package cognito_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/cognito"
)

// Example verifies an access token signed by a user pool's key. Here the
// pool is a local stand-in serving its JWKS; in AWS, Issuer alone is
// enough (the keys are at Issuer + "/.well-known/jwks.json").
func Example() {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"keys":[{"kid":"k1","kty":"RSA","alg":"RS256","use":"sig","n":%q,"e":%q}]}`,
			base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
			base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()))
	}))
	defer jwks.Close()

	const issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": issuer, "sub": "5f1c...", "username": "alice", "client_id": "app-client",
		"token_use": "access", "exp": time.Now().Add(time.Hour).Unix(),
	})
	tok.Header["kid"] = "k1"
	signed, _ := tok.SignedString(key)

	v, err := cognito.New(cognito.Options{Issuer: issuer, ClientID: "app-client", JWKSURL: jwks.URL})
	if err != nil {
		panic(err)
	}
	claims, err := v.Verify(context.Background(), signed)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.Username, claims.ClientID)
	// Output: alice app-client
}
