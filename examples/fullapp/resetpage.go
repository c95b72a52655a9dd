package main

import (
	_ "embed"
	"net/http"

	"github.com/ivs-ugc/ugc-go/ugc/httpapi"
)

// The page a password-reset mail links to (accounts.Options.ResetURL):
// a form that posts the new password with the mail's token to
// POST /v1/auth/password-reset/confirm.
var (
	//go:embed web/reset.html
	resetHTML []byte
	//go:embed web/reset.js
	resetJS []byte
)

// resetPageCSP allows the page its own script and API calls and nothing
// else.
const resetPageCSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; " +
	"form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// resetPageRoutes serve the password-reset page and its script.
func resetPageRoutes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "GET", Pattern: "/reset", Tag: "auth",
			Summary:       "The page a password-reset mail links to (?token=...): a form that sets the new password",
			ResponseMedia: []string{"text/html"}, Handler: servePage(resetHTML, "text/html; charset=utf-8")},
		{Method: "GET", Pattern: "/reset.js", Tag: "auth",
			Summary:       "The script of the password-reset page",
			ResponseMedia: []string{"text/javascript"}, Handler: servePage(resetJS, "text/javascript; charset=utf-8")},
	}
}

// servePage serves fixed bytes. The reset token is in the page's URL, so
// nothing is cached and no Referer leaves the page.
func servePage(body []byte, contentType string) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("Content-Security-Policy", resetPageCSP)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		_, err := w.Write(body)
		return err
	}
}
