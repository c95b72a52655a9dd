package main

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfig(t *testing.T) {
	defaults := Config{Addr: "127.0.0.1:8080", DataDir: "./ugc-data", Store: "sqlite", Table: "ugc", ChannelType: "STANDARD"}
	with := func(edit func(*Config)) Config {
		c := defaults
		edit(&c)
		return c
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    Config
		wantErr string
	}{
		{name: "defaults", want: defaults},
		{name: "flags",
			args: []string{"-addr", ":9000", "-data", "/tmp/x", "-store", "dynamodb", "-table", "t1", "-aws", "-origins", "https://a.example, https://b.example",
				"-channel-type", "BASIC", "-signup-domains", "example.com", "-events-secret", "s3cret",
				"-cognito-pool-url", "https://cognito-idp.us-east-1.amazonaws.com/p", "-cognito-client-id", "c",
				"-chat-review-arn", "arn:aws:lambda:us-east-1:1:function:r", "-client-ip-header", "X-Forwarded-For"},
			want: Config{Addr: ":9000", DataDir: "/tmp/x", Store: "dynamodb", Table: "t1", AWS: true,
				Origins: []string{"https://a.example", "https://b.example"}, ChannelType: "BASIC",
				SignupDomains: []string{"example.com"}, EventsSecret: "s3cret",
				CognitoPoolURL: "https://cognito-idp.us-east-1.amazonaws.com/p", CognitoClientID: "c",
				ChatReviewARN: "arn:aws:lambda:us-east-1:1:function:r", ClientIPHeader: "X-Forwarded-For"}},
		{name: "environment",
			env: map[string]string{"UGC_ADDR": "127.0.0.1:1", "UGC_DATA": "/d", "UGC_STORE": "memory", "UGC_AWS": "true",
				"UGC_ORIGINS": "*", "UGC_SIGNUP_DOMAINS": "a.com,,b.com", "UGC_CHANNEL_TYPE": "ADVANCED_HD"},
			want: Config{Addr: "127.0.0.1:1", DataDir: "/d", Store: "memory", Table: "ugc", AWS: true, Origins: []string{"*"},
				SignupDomains: []string{"a.com", "b.com"}, ChannelType: "ADVANCED_HD"}},
		{name: "flag beats environment", args: []string{"-addr", "127.0.0.1:2"}, env: map[string]string{"UGC_ADDR": "127.0.0.1:1"},
			want: with(func(c *Config) { c.Addr = "127.0.0.1:2" })},
		{name: "aws flag off beats environment", args: []string{"-aws=false"}, env: map[string]string{"UGC_AWS": "1"},
			want: defaults},
		{name: "unknown store", args: []string{"-store", "postgres"}, wantErr: "-store"},
		{name: "unknown channel type", args: []string{"-channel-type", "HUGE"}, wantErr: "-channel-type"},
		{name: "pool without client", args: []string{"-cognito-pool-url", "https://x"}, wantErr: "go together"},
		{name: "bad UGC_AWS", env: map[string]string{"UGC_AWS": "maybe"}, wantErr: "UGC_AWS"},
		{name: "unknown flag", args: []string{"-nope"}, wantErr: "nope"},
		{name: "extra argument", args: []string{"serve"}, wantErr: "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseConfig error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
