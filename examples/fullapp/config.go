package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/accounts"
)

// Store drivers the -store flag accepts.
const (
	StoreSQLite   = "sqlite"
	StoreMemory   = "memory"
	StoreDynamoDB = "dynamodb"
)

// Config is the app's configuration: flags with environment fallbacks
// (ParseConfig), plus a few fields only code sets (tests, embedding).
type Config struct {
	Addr          string   // -addr, UGC_ADDR: listen address (default 127.0.0.1:8080)
	DataDir       string   // -data, UGC_DATA: SQLite file, emulator state, images (default ./ugc-data)
	Store         string   // -store, UGC_STORE: sqlite, memory or dynamodb (default sqlite)
	Table         string   // -table, UGC_TABLE: the DynamoDB table of -store dynamodb (default ugc)
	AWS           bool     // -aws, UGC_AWS: real AWS via the standard config chain instead of the emulator
	Origins       []string // -origins, UGC_ORIGINS: CORS origins, comma-separated
	ChannelType   string   // -channel-type, UGC_CHANNEL_TYPE: IVS channel type (default STANDARD)
	SignupDomains []string // -signup-domains, UGC_SIGNUP_DOMAINS: allowed email domains (empty: all)
	EventsSecret  string   // -events-secret, UGC_EVENTS_SECRET: shared secret of pushed IVS events

	CognitoPoolURL  string // -cognito-pool-url, UGC_COGNITO_POOL_URL: issuer URL of a Cognito user pool
	CognitoClientID string // -cognito-client-id, UGC_COGNITO_CLIENT_ID: its app client ID
	CognitoJWKSURL  string // -cognito-jwks-url, UGC_COGNITO_JWKS_URL: its keys, when not at the issuer

	ChatReviewARN string // -chat-review-arn, UGC_CHAT_REVIEW_ARN: Lambda ARN of the chat review handler (-aws only)
	InviteKey     string // -invite-key, UGC_INVITE_KEY: hex key signing stage invites (default: a key in the data directory)
	// ClientIPHeader (-client-ip-header, UGC_CLIENT_IP_HEADER) names the
	// header whose last address is the client's, behind a proxy (e.g.
	// X-Forwarded-For); empty means the peer address.
	ClientIPHeader string

	// Set by code only.

	// Stdout receives the start-up banner; nil means none.
	Stdout io.Writer
	// Logger receives the access log and diagnostics; nil is silent.
	Logger *slog.Logger
	// Mailer delivers password-reset mail; nil means an in-memory outbox
	// (shown at GET /_dev/outbox in local mode).
	Mailer accounts.Mailer
	// PasswordHash overrides the argon2id cost; zero means the default.
	PasswordHash accounts.HashParams
}

// envNames maps each flag to its environment variable.
var envNames = map[string]string{
	"addr": "UGC_ADDR", "data": "UGC_DATA", "store": "UGC_STORE", "table": "UGC_TABLE", "aws": "UGC_AWS",
	"origins": "UGC_ORIGINS", "channel-type": "UGC_CHANNEL_TYPE", "signup-domains": "UGC_SIGNUP_DOMAINS",
	"events-secret": "UGC_EVENTS_SECRET", "cognito-pool-url": "UGC_COGNITO_POOL_URL",
	"cognito-client-id": "UGC_COGNITO_CLIENT_ID", "cognito-jwks-url": "UGC_COGNITO_JWKS_URL",
	"chat-review-arn": "UGC_CHAT_REVIEW_ARN", "invite-key": "UGC_INVITE_KEY", "client-ip-header": "UGC_CLIENT_IP_HEADER",
}

// ParseConfig reads flags from args, falling back to the environment
// (getenv) and then to the defaults. Flag errors and -h are reported on
// output (usage) and returned.
func ParseConfig(args []string, getenv func(string) string, output io.Writer) (Config, error) {
	fs := flag.NewFlagSet("fullapp", flag.ContinueOnError)
	fs.SetOutput(output)
	env := func(name, def string) string {
		if v := getenv(envNames[name]); v != "" {
			return v
		}
		return def
	}
	var c Config
	var origins, domains string
	fs.StringVar(&c.Addr, "addr", env("addr", "127.0.0.1:8080"), "listen `address` (env UGC_ADDR)")
	fs.StringVar(&c.DataDir, "data", env("data", "./ugc-data"), "data `dir`ectory: SQLite file, emulator state, images (env UGC_DATA)")
	fs.StringVar(&c.Store, "store", env("store", StoreSQLite), "store `driver`: sqlite, memory or dynamodb (env UGC_STORE)")
	fs.StringVar(&c.Table, "table", env("table", "ugc"), "DynamoDB `table` of -store dynamodb, created if missing; DynamoDB comes from the AWS config chain, e.g. AWS_ENDPOINT_URL_DYNAMODB (env UGC_TABLE)")
	awsDefault, err := strconv.ParseBool(env("aws", "false"))
	if err != nil {
		return Config{}, fmt.Errorf("UGC_AWS: %w", err)
	}
	fs.BoolVar(&c.AWS, "aws", awsDefault, "use real AWS through the standard config chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_*...) instead of the embedded emulator (env UGC_AWS)")
	fs.StringVar(&origins, "origins", env("origins", ""), "comma-separated CORS `origins`, or * (env UGC_ORIGINS)")
	fs.StringVar(&c.ChannelType, "channel-type", env("channel-type", "STANDARD"), "IVS channel `type`: BASIC, STANDARD, ADVANCED_SD or ADVANCED_HD (env UGC_CHANNEL_TYPE)")
	fs.StringVar(&domains, "signup-domains", env("signup-domains", ""), "comma-separated email `domains` allowed to register; empty allows all (env UGC_SIGNUP_DOMAINS)")
	fs.StringVar(&c.EventsSecret, "events-secret", env("events-secret", ""), "shared `secret` for pushed IVS events (env UGC_EVENTS_SECRET)")
	fs.StringVar(&c.CognitoPoolURL, "cognito-pool-url", env("cognito-pool-url", ""), "accept access tokens of the Cognito user pool with this issuer `URL` (env UGC_COGNITO_POOL_URL)")
	fs.StringVar(&c.CognitoClientID, "cognito-client-id", env("cognito-client-id", ""), "the Cognito app client `ID` (env UGC_COGNITO_CLIENT_ID)")
	fs.StringVar(&c.CognitoJWKSURL, "cognito-jwks-url", env("cognito-jwks-url", ""), "the pool's JWKS `URL` when not <pool-url>/.well-known/jwks.json (env UGC_COGNITO_JWKS_URL)")
	fs.StringVar(&c.ChatReviewARN, "chat-review-arn", env("chat-review-arn", ""), "with -aws, the `ARN` of the Lambda function running ugc/chat/reviewlambda; without it channels cannot set blocked terms (env UGC_CHAT_REVIEW_ARN)")
	fs.StringVar(&c.InviteKey, "invite-key", env("invite-key", ""), "`hex` key (≥ 32 bytes) signing stage invites; every replica must share it; default: a key kept in the data directory (env UGC_INVITE_KEY)")
	fs.StringVar(&c.ClientIPHeader, "client-ip-header", env("client-ip-header", ""), "behind a proxy, the `header` whose last address is the client's (e.g. X-Forwarded-For), for sign-in limits; only set it when the proxy sets the header (env UGC_CLIENT_IP_HEADER)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	c.Origins = splitList(origins)
	c.SignupDomains = splitList(domains)
	return c, c.validate()
}

// validate checks the values flags cannot.
func (c *Config) validate() error {
	if !slices.Contains([]string{StoreSQLite, StoreMemory, StoreDynamoDB}, c.Store) {
		return fmt.Errorf("-store: %q is not one of sqlite, memory, dynamodb", c.Store)
	}
	if !slices.Contains([]string{"BASIC", "STANDARD", "ADVANCED_SD", "ADVANCED_HD"}, c.ChannelType) {
		return fmt.Errorf("-channel-type: %q is not one of BASIC, STANDARD, ADVANCED_SD, ADVANCED_HD", c.ChannelType)
	}
	if (c.CognitoPoolURL == "") != (c.CognitoClientID == "") {
		return fmt.Errorf("-cognito-pool-url and -cognito-client-id go together")
	}
	if c.Addr == "" {
		return fmt.Errorf("-addr is required")
	}
	if c.DataDir == "" {
		return fmt.Errorf("-data is required")
	}
	return nil
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
