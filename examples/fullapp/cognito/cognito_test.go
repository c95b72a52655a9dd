package cognito

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/ivs-ugc/ugc-go/ugc"
)

const (
	testIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test"
	testClient = "client123"
)

// keyServer serves a JWKS of its keys and counts fetches.
type keyServer struct {
	*httptest.Server
	mu      sync.Mutex
	keys    map[string]*rsa.PrivateKey
	fetches atomic.Int32
}

// add adds a key to the set the server serves.
func (ks *keyServer) add(kid string, k *rsa.PrivateKey) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.keys[kid] = k
}

func newKeyServer(t *testing.T, kids ...string) *keyServer {
	t.Helper()
	ks := &keyServer{keys: map[string]*rsa.PrivateKey{}}
	for _, kid := range kids {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		ks.keys[kid] = k
	}
	ks.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ks.fetches.Add(1)
		ks.mu.Lock()
		defer ks.mu.Unlock()
		var set struct {
			Keys []map[string]string `json:"keys"`
		}
		for kid, k := range ks.keys {
			set.Keys = append(set.Keys, map[string]string{
				"kid": kid, "kty": "RSA", "alg": "RS256", "use": "sig",
				"n": base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
				"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes()),
			})
		}
		json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(ks.Close)
	return ks
}

var now = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func accessClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss": testIssuer, "sub": "sub-1", "username": "alice", "client_id": testClient,
		"token_use": "access", "iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

func sign(t *testing.T, k *rsa.PrivateKey, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newVerifier(t *testing.T, jwksURL string) *Verifier {
	t.Helper()
	v, err := New(Options{Issuer: testIssuer, ClientID: testClient, JWKSURL: jwksURL, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVerify(t *testing.T) {
	ks := newKeyServer(t, "k1")
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	with := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := accessClaims()
		edit(c)
		return c
	}
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, accessClaims())
	hs.Header["kid"] = "k1"
	hsToken, err := hs.SignedString([]byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	good := sign(t, ks.keys["k1"], "k1", accessClaims())

	tests := []struct {
		name  string
		token string
		want  *Claims
	}{
		{"valid", good, &Claims{Subject: "sub-1", Username: "alice", ClientID: testClient, Expires: now.Add(time.Hour)}},
		{"id token", sign(t, ks.keys["k1"], "k1", with(func(c jwt.MapClaims) { c["token_use"] = "id" })), nil},
		{"other client", sign(t, ks.keys["k1"], "k1", with(func(c jwt.MapClaims) { c["client_id"] = "x" })), nil},
		{"other issuer", sign(t, ks.keys["k1"], "k1", with(func(c jwt.MapClaims) { c["iss"] = testIssuer + "x" })), nil},
		{"expired", sign(t, ks.keys["k1"], "k1", with(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Second).Unix() })), nil},
		{"no expiry", sign(t, ks.keys["k1"], "k1", with(func(c jwt.MapClaims) { delete(c, "exp") })), nil},
		{"no username", sign(t, ks.keys["k1"], "k1", with(func(c jwt.MapClaims) { delete(c, "username") })), nil},
		{"signed by another key", sign(t, other, "k1", accessClaims()), nil},
		{"unknown kid", sign(t, other, "k2", accessClaims()), nil},
		{"HS256 with a shared secret", hsToken, nil},
		{"tampered payload", tamper(good), nil},
		{"garbage", "not.a.jwt", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifier(t, ks.URL)
			got, err := v.Verify(context.Background(), tt.token)
			if tt.want == nil {
				if !errors.Is(err, ugc.ErrUnauthenticated) || ugc.CodeOf(err) != "invalid_token" {
					t.Fatalf("Verify = %+v, %v; want ErrUnauthenticated invalid_token", got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("claims mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// tamper changes the username in a token's payload, keeping its signature.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	p, _ := base64.RawURLEncoding.DecodeString(parts[1])
	p = []byte(strings.Replace(string(p), `"alice"`, `"mallory"`, 1))
	parts[1] = base64.RawURLEncoding.EncodeToString(p)
	return strings.Join(parts, ".")
}

func TestKeysAreCachedAndRefreshed(t *testing.T) {
	ks := newKeyServer(t, "k1")
	clock := now
	v, err := New(Options{Issuer: testIssuer, ClientID: testClient, JWKSURL: ks.URL, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for range 3 {
		if _, err := v.Verify(ctx, sign(t, ks.keys["k1"], "k1", accessClaims())); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	}
	if got := ks.fetches.Load(); got != 1 {
		t.Errorf("fetches after 3 verifications = %d, want 1", got)
	}
	// The pool rotates in a new key.
	k2, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tok2 := sign(t, k2, "k2", accessClaims())
	if _, err := v.Verify(ctx, tok2); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Fatalf("unknown key before rotation: err = %v", err)
	}
	ks.add("k2", k2)
	if _, err := v.Verify(ctx, tok2); !errors.Is(err, ugc.ErrUnauthenticated) {
		t.Errorf("within the refresh interval: err = %v, want ErrUnauthenticated", err)
	}
	if got := ks.fetches.Load(); got != 1 {
		t.Errorf("fetches within the refresh interval = %d, want 1", got)
	}
	clock = clock.Add(DefaultRefreshInterval)
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Errorf("after rotation and refresh: %v", err)
	}
}

func TestVerifyUnavailableKeys(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	v := newVerifier(t, srv.URL)
	_, err = v.Verify(context.Background(), sign(t, k, "k1", accessClaims()))
	if !errors.Is(err, ugc.ErrUnavailable) {
		t.Errorf("Verify with the JWKS down: err = %v, want ErrUnavailable", err)
	}
}

func TestNewRequiresOptions(t *testing.T) {
	for _, o := range []Options{{ClientID: "c"}, {Issuer: "i"}} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) succeeded, want an error", o)
		}
	}
}

func TestParseJWKS(t *testing.T) {
	tests := []struct {
		name, body string
	}{
		{"not JSON", "{"},
		{"no keys", `{"keys":[]}`},
		{"only EC", `{"keys":[{"kid":"a","kty":"EC"}]}`},
		{"small modulus", `{"keys":[{"kid":"a","kty":"RSA","n":"AQAB","e":"AQAB"}]}`},
		{"bad base64", `{"keys":[{"kid":"a","kty":"RSA","n":"!!","e":"AQAB"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if keys, err := parseJWKS(strings.NewReader(tt.body)); err == nil {
				t.Errorf("parseJWKS = %v, want an error", keys)
			}
		})
	}
}
