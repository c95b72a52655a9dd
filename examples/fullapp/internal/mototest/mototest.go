// Package mototest starts moto_server, the AWS service emulator of the moto
// project, for integration tests of the reference app, and creates Cognito
// user pools in it.
//
// # Skipping
//
// Start skips the test with a clear message when moto_server is not on
// PATH, and fails it instead when UGC_REQUIRE_INTEGRATION=1 (CI sets it).
package mototest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Region is the region of the resources the helpers create.
const Region = "us-east-1"

// Server is a running moto_server.
type Server struct {
	URL string // http://127.0.0.1:<port>
}

// Start runs moto_server on a free loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("UGC_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("moto_server is required (UGC_REQUIRE_INTEGRATION=1) but not on PATH: %v", err)
		}
		t.Skip("moto_server not on PATH; install moto[server] to run this test (pip install 'moto[server]')")
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting moto_server: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill() // by PID
		<-exited
	})
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port)}
	// Wait for it to answer; moto takes a second or two to import.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/moto-api/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return s
		}
		select {
		case err := <-exited:
			t.Fatalf("moto_server exited: %v", err)
		case <-ctx.Done():
			t.Fatalf("moto_server did not answer at %s: %v", s.URL, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Cognito returns a Cognito Identity Provider client of the server.
func (s *Server) Cognito() *cip.Client {
	return cip.New(cip.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(s.URL),
	})
}

// Pool is a user pool with one app client.
type Pool struct {
	ID       string
	ClientID string
	Issuer   string // the "iss" of its tokens
	JWKSURL  string // where moto serves its keys
	client   *cip.Client
}

// NewPool creates a user pool and an app client that allows password
// sign-in.
func (s *Server) NewPool(t testing.TB, name string) *Pool {
	t.Helper()
	ctx := context.Background()
	c := s.Cognito()
	up, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	id := aws.ToString(up.UserPool.Id)
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(id),
		ClientName: aws.String(name + "-app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return &Pool{
		ID:       id,
		ClientID: aws.ToString(cl.UserPoolClient.ClientId),
		Issuer:   fmt.Sprintf("https://cognito-idp.%s.amazonaws.com/%s", Region, id),
		JWKSURL:  s.URL + "/" + id + "/.well-known/jwks.json",
		client:   c,
	}
}

// AddUser creates a confirmed user with a permanent password.
func (p *Pool) AddUser(t testing.TB, username, email, password string) {
	t.Helper()
	ctx := context.Background()
	_, err := p.client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(p.ID),
		Username:   aws.String(username),
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String(email)},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
		},
		MessageAction: types.MessageActionTypeSuppress,
	})
	if err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	_, err = p.client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(p.ID), Username: aws.String(username),
		Password: aws.String(password), Permanent: true,
	})
	if err != nil {
		t.Fatalf("AdminSetUserPassword: %v", err)
	}
}

// Tokens are the result of a sign-in.
type Tokens struct {
	Access, ID string
}

// SignIn authenticates with ADMIN_USER_PASSWORD_AUTH.
func (p *Pool) SignIn(t testing.TB, username, password string) Tokens {
	t.Helper()
	out, err := p.client.AdminInitiateAuth(context.Background(), &cip.AdminInitiateAuthInput{
		UserPoolId: aws.String(p.ID),
		ClientId:   aws.String(p.ClientID),
		AuthFlow:   types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{
			"USERNAME": username,
			"PASSWORD": password,
		},
	})
	if err != nil {
		t.Fatalf("AdminInitiateAuth: %v", err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("AdminInitiateAuth: challenge %q instead of tokens", out.ChallengeName)
	}
	return Tokens{Access: aws.ToString(out.AuthenticationResult.AccessToken), ID: aws.ToString(out.AuthenticationResult.IdToken)}
}
