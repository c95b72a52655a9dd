package dynamostore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/ivs-ugc/ugc-go/ugc"
	"github.com/ivs-ugc/ugc-go/ugc/store"
	"github.com/ivs-ugc/ugc-go/ugc/store/dynamostore"
)

// requireIntegration reports whether a missing emulator fails the test
// instead of skipping it (CI sets UGC_REQUIRE_INTEGRATION=1).
func requireIntegration() bool { return os.Getenv("UGC_REQUIRE_INTEGRATION") == "1" }

// unavailable skips, or fails under UGC_REQUIRE_INTEGRATION=1.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if requireIntegration() {
		t.Fatalf("%s (UGC_REQUIRE_INTEGRATION=1)", msg)
	}
	t.Skip(msg)
}

// emulator is a local DynamoDB implementation started by a test.
type emulator struct {
	name      string
	url       string
	client    *dynamodb.Client
	transport *http.Transport
	tables    atomic.Int64
}

// freePort returns a TCP port free on 127.0.0.1.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startProcess starts cmd, stops it (by PID) when t ends and waits until
// it accepts connections on port.
func startProcess(t testing.TB, name string, cmd *exec.Cmd, port int) *emulator {
	t.Helper()
	logf, err := os.CreateTemp(t.TempDir(), name+"-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		unavailable(t, "starting %s: %v", name, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		logf.Close()
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-exited:
			out, _ := os.ReadFile(logf.Name())
			unavailable(t, "%s exited at start (%v): %s", name, err, out)
		default:
		}
		if time.Now().After(deadline) {
			unavailable(t, "%s did not listen on %s within a minute", name, addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	e := &emulator{name: name, url: "http://" + addr, transport: tr}
	e.client = dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.url),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:   &http.Client{Transport: tr},
		// A retried write may fail its own condition (see
		// retry_test.go); this says which requests were resent and why,
		// and shows only when the package fails.
		Retryer: loggingRetryer{retry.NewStandard()},
	})
	t.Cleanup(tr.CloseIdleConnections)
	return e
}

// startMoto starts moto's server on a free port. It runs
// testdata/motoserver.py, which runs one request at a time in moto's
// backend (see there why), with a Python that can import moto;
// moto_server being installed is the sign that one exists.
func startMoto(t testing.TB) *emulator {
	t.Helper()
	if _, err := exec.LookPath("moto_server"); err != nil {
		unavailable(t, "moto_server is not installed (pip install 'moto[server]')")
	}
	py := ""
	for _, name := range []string{"python3", "python"} {
		if p, err := exec.LookPath(name); err == nil && exec.Command(p, "-c", "import moto.server").Run() == nil {
			py = p
			break
		}
	}
	if py == "" {
		unavailable(t, "no python on PATH imports moto.server")
	}
	script, err := filepath.Abs(filepath.Join("testdata", "motoserver.py"))
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	return startProcess(t, "moto", exec.Command(py, script, "127.0.0.1", strconv.Itoa(port)), port)
}

var npmInstall sync.Mutex

// startDynalite installs dynalite into testdata/node (once) and starts it
// on a free port.
func startDynalite(t testing.TB) *emulator {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable(t, "node is not installed; dynalite needs it")
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "node"))
	if err != nil {
		t.Fatal(err)
	}
	cli := filepath.Join(dir, "node_modules", "dynalite", "cli.js")
	npmInstall.Lock()
	if _, err := os.Stat(cli); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			npmInstall.Unlock()
			unavailable(t, "npm is not installed; it installs dynalite")
		}
		cmd := exec.Command(npm, "install", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			npmInstall.Unlock()
			unavailable(t, "npm install of dynalite failed: %v\n%s", err, out)
		}
	}
	npmInstall.Unlock()
	port := freePort(t)
	return startProcess(t, "dynalite", exec.Command(node, cli, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"), port)
}

// supportsTransactions reports whether the emulator implements
// TransactWriteItems, which the Store needs.
func (e *emulator) supportsTransactions(ctx context.Context) (bool, error) {
	_, err := e.client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{{ConditionCheck: &types.ConditionCheck{
			TableName: aws.String("no-such-table"), ConditionExpression: aws.String("attribute_exists(PK)"),
			Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "x"}},
		}}},
	})
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "UnknownOperationException" {
		return false, nil
	}
	return true, nil // any other answer means the operation exists
}

// newTable creates a table with a fresh name.
func (e *emulator) newTable(ctx context.Context) (string, error) {
	name := fmt.Sprintf("ugc-%d-%d", time.Now().UnixNano()%1e9, e.tables.Add(1))
	err := dynamostore.CreateTable(ctx, e.client, name)
	if errors.Is(err, ugc.ErrAlreadyExists) {
		// The name is fresh, so the table is ours: the SDK sent
		// CreateTable again after a connection failure.
		err = dynamodb.NewTableExistsWaiter(e.client).Wait(ctx,
			&dynamodb.DescribeTableInput{TableName: aws.String(name)}, time.Minute)
	}
	return name, err
}

// harness makes Stores on fresh tables of one emulator. wrap, when set,
// wraps the client (to count requests).
type harness struct {
	e      *emulator
	tables []string
	wrap   func(dynamostore.DynamoDBAPI) dynamostore.DynamoDBAPI
}

func (h *harness) MakeStore(ctx context.Context) (store.Store, error) {
	name, err := h.e.newTable(ctx)
	if err != nil {
		return nil, err
	}
	h.tables = append(h.tables, name)
	var api dynamostore.DynamoDBAPI = h.e.client
	if h.wrap != nil {
		api = h.wrap(api)
	}
	return dynamostore.New(api, name)
}

// Close drops the harness's tables.
func (h *harness) Close() {
	for _, name := range h.tables {
		_, _ = h.e.client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	}
}

// loggingRetryer is the SDK's standard retryer, printing each error it
// retries to stderr.
type loggingRetryer struct{ aws.Retryer }

func (r loggingRetryer) IsErrorRetryable(err error) bool {
	ok := r.Retryer.IsErrorRetryable(err)
	if ok {
		fmt.Fprintf(os.Stderr, "dynamostore test client: retrying after %v\n", err)
	}
	return ok
}
