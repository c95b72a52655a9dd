package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ivs-ugc/ugc-go/examples/fullapp/accounts"
)

// The link in a reset mail opens a page served by the app, whose script
// posts the token from the link to the confirm route.
func TestResetMailLinksToThePage(t *testing.T) {
	app := startApp(t, testConfig(t.TempDir()))
	c := newClient(t, app.URL())
	c.register("resetter", "resetter@example.com")
	c.must(http.StatusAccepted, "POST", "/v1/auth/password-reset", "", map[string]string{"email": "resetter@example.com"})
	var o struct {
		Messages []accounts.Message `json:"messages"`
	}
	if err := json.Unmarshal(c.must(http.StatusOK, "GET", "/_dev/outbox", "", nil).Body, &o); err != nil {
		t.Fatal(err)
	}
	var link string
	for _, m := range o.Messages {
		for line := range strings.Lines(m.Body) {
			if l := strings.TrimSpace(line); strings.HasPrefix(l, c.base+"/reset?token=") {
				link = l
			}
		}
	}
	if link == "" {
		t.Fatalf("no link to %s/reset in the mail: %+v", c.base, o.Messages)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	page := c.must(http.StatusOK, "GET", u.RequestURI(), "", nil)
	for _, want := range []string{`<form id="reset">`, `<script src="/reset.js"></script>`} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for k, want := range map[string]string{"Content-Type": "text/html; charset=utf-8", "Referrer-Policy": "no-referrer",
		"Cache-Control": "no-store"} {
		if got := page.Header.Get(k); got != want {
			t.Errorf("page %s = %q, want %q", k, got, want)
		}
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("page CSP %q does not limit scripts to the app", csp)
	}
	js := c.must(http.StatusOK, "GET", "/reset.js", "", nil)
	for _, want := range []string{`"/v1/auth/password-reset/confirm"`, `get("token")`, "newPassword"} {
		if !strings.Contains(string(js.Body), want) {
			t.Errorf("the script lacks %s", want)
		}
	}
	// What the script sends, with the token from the link.
	c.must(http.StatusNoContent, "POST", "/v1/auth/password-reset/confirm", "",
		map[string]string{"token": u.Query().Get("token"), "newPassword": "Page-Horse-13"})
	c.must(http.StatusOK, "POST", "/v1/auth/login", "", map[string]string{"login": "resetter", "password": "Page-Horse-13"})
}
