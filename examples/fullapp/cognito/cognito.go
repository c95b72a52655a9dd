package cognito

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ivs-ugc/ugc-go/ugc"
)

// DefaultRefreshInterval is the least time between two JWKS fetches caused
// by tokens signed with an unknown key.
const DefaultRefreshInterval = time.Minute

// Options configure a Verifier. Issuer and ClientID are required.
type Options struct {
	// Issuer is the user pool's issuer URL,
	// "https://cognito-idp.<region>.amazonaws.com/<poolId>"; tokens must
	// carry it as "iss".
	Issuer string
	// ClientID is the app client ID tokens must carry as "client_id".
	ClientID string
	// JWKSURL is where the pool's signing keys are; empty means
	// Issuer + "/.well-known/jwks.json". Emulators serve them elsewhere.
	JWKSURL string
	// HTTPClient fetches the keys; nil means a client with a 10 s timeout.
	HTTPClient *http.Client
	// RefreshInterval: 0 means DefaultRefreshInterval.
	RefreshInterval time.Duration
	// Now is the clock for expiry checks; nil means time.Now.
	Now func() time.Time
}

// Claims are the parts of a verified access token the app uses.
type Claims struct {
	Subject  string // "sub": the user's immutable ID in the pool
	Username string // "username": the user's immutable pool username
	ClientID string // "client_id"
	Expires  time.Time
}

// Verifier checks Amazon Cognito access tokens: an RS256 signature by a key
// of the pool's JWKS, the issuer, token_use "access", the client ID and the
// expiry. It is safe for concurrent use.
type Verifier struct {
	opts Options

	mu        sync.Mutex
	keys      map[string]*rsa.PublicKey // by kid
	fetchedAt time.Time
}

// New returns a Verifier. It does no I/O: keys are fetched on first use.
func New(opts Options, optFns ...func(*Options)) (*Verifier, error) {
	for _, fn := range optFns {
		fn(&opts)
	}
	if opts.Issuer == "" {
		return nil, errors.New("cognito.New: Options.Issuer is required")
	}
	if opts.ClientID == "" {
		return nil, errors.New("cognito.New: Options.ClientID is required")
	}
	opts.Issuer = strings.TrimSuffix(opts.Issuer, "/")
	if opts.JWKSURL == "" {
		opts.JWKSURL = opts.Issuer + "/.well-known/jwks.json"
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.RefreshInterval == 0 {
		opts.RefreshInterval = DefaultRefreshInterval
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Verifier{opts: opts}, nil
}

// errInvalidToken is the answer to any token that does not verify; the
// cause says why.
func invalid(cause error) error {
	return &ugc.Error{Kind: ugc.ErrUnauthenticated, Code: "invalid_token",
		Message: "the access token is not valid", Err: cause}
}

// Verify checks an access token and returns its claims. A token that does
// not verify is ErrUnauthenticated; failing to fetch the keys is
// ErrUnavailable.
func (v *Verifier) Verify(ctx context.Context, token string) (_ *Claims, err error) {
	defer ugc.Wrap(&err, "cognito.Verify")
	var fetchErr error
	tok, err := jwt.Parse(token, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		k, err := v.key(ctx, kid)
		if err != nil {
			fetchErr = err
		}
		return k, err
	},
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(v.opts.Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(v.opts.Now),
	)
	if fetchErr != nil && errors.Is(fetchErr, ugc.ErrUnavailable) {
		return nil, fetchErr
	}
	if err != nil {
		return nil, invalid(err)
	}
	mc, ok := tok.Claims.(jwt.MapClaims)
	if !ok {
		return nil, invalid(errors.New("unexpected claims type"))
	}
	str := func(name string) string { s, _ := mc[name].(string); return s }
	if use := str("token_use"); use != "access" {
		return nil, invalid(fmt.Errorf("token_use is %q, want \"access\"", use))
	}
	if cid := str("client_id"); cid != v.opts.ClientID {
		return nil, invalid(fmt.Errorf("client_id is %q, want %q", cid, v.opts.ClientID))
	}
	c := &Claims{Subject: str("sub"), Username: str("username"), ClientID: str("client_id")}
	if c.Subject == "" || c.Username == "" {
		return nil, invalid(errors.New("sub or username missing"))
	}
	if exp, err := mc.GetExpirationTime(); err == nil && exp != nil {
		c.Expires = exp.Time
	}
	return c, nil
}

// key returns the public key with the kid, fetching the JWKS when the kid
// is unknown and the last fetch is older than RefreshInterval.
func (v *Verifier) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if k, ok := v.keys[kid]; ok {
		return k, nil
	}
	now := v.opts.Now()
	if v.keys != nil && now.Sub(v.fetchedAt) < v.opts.RefreshInterval {
		return nil, fmt.Errorf("unknown signing key %q", kid)
	}
	keys, err := v.fetch(ctx)
	if err != nil {
		return nil, &ugc.Error{Kind: ugc.ErrUnavailable, Message: "cannot fetch the user pool's signing keys", Err: err}
	}
	v.keys, v.fetchedAt = keys, now
	if k, ok := keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown signing key %q", kid)
}

// jwks is a JSON Web Key Set (RFC 7517) restricted to what RSA keys use.
type jwks struct {
	Keys []struct {
		Kid string `json:"kid"`
		Kty string `json:"kty"`
		Alg string `json:"alg"`
		Use string `json:"use"`
		N   string `json:"n"`
		E   string `json:"e"`
	} `json:"keys"`
}

// fetch downloads and parses the JWKS.
func (v *Verifier) fetch(ctx context.Context) (map[string]*rsa.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.opts.JWKSURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := v.opts.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", v.opts.JWKSURL, resp.Status)
	}
	return parseJWKS(io.LimitReader(resp.Body, 1<<20))
}

// parseJWKS returns the RSA signature keys of a JWKS by kid.
func parseJWKS(r io.Reader) (map[string]*rsa.PublicKey, error) {
	var set jwks
	if err := json.NewDecoder(r).Decode(&set); err != nil {
		return nil, fmt.Errorf("decoding JWKS: %w", err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" || (k.Use != "" && k.Use != "sig") || (k.Alg != "" && k.Alg != "RS256") {
			continue
		}
		n, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.N, "="))
		if err != nil {
			return nil, fmt.Errorf("key %q: modulus: %w", k.Kid, err)
		}
		e, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.E, "="))
		if err != nil {
			return nil, fmt.Errorf("key %q: exponent: %w", k.Kid, err)
		}
		exp := new(big.Int).SetBytes(e)
		if len(n) < 256 || !exp.IsInt64() || exp.Int64() < 3 || exp.Int64() > 1<<31 {
			return nil, fmt.Errorf("key %q: unacceptable RSA parameters", k.Kid)
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp.Int64())}
	}
	if len(keys) == 0 {
		return nil, errors.New("JWKS has no RSA signing key")
	}
	return keys, nil
}
