// Package httpapi serves the ugc JSON API over net/http.
//
// New builds one http.Handler from the feature services (a nil service's
// routes are not registered), an Authenticator and a few settings. Every
// operation is a Route in one table: the same table registers the handler on
// an http.ServeMux and produces the OpenAPI 3.1 document served at
// /v1/openapi.json, so the two cannot drift apart.
//
// # Conventions
//
// Every API route lives under /v1 (GET /healthz and the served images under
// /assets/ aside) and speaks JSON: requests with a body must
// send Content-Type: application/json (else 415), unknown fields and
// trailing data are rejected (400), and bodies over 1 MiB are refused (413)
// unless the route sets its own MaxBody (image uploads). Credentials come as
// "Authorization: Bearer <token>" and are checked by the Authenticator.
// Times are RFC 3339 in UTC. Every documented response field is always
// present; a value that does not apply is null, never omitted.
//
// # Errors
//
// Errors are written as
//
//	{"error":{"code":"invalid_argument","message":"...","field":"username","requestId":"..."}}
//
// (field and requestId are omitted when empty: the one exception to the
// null convention, so the shape matches the established error format) with
// the status taken from one table keyed by the ugc sentinel kind
// (see StatusOf): 400 invalid_argument, 401 unauthenticated, 403
// permission_denied, 404 not_found, 409 already_exists or
// failed_precondition, 413 too_large, 415 unsupported_media_type, 429
// throttled (with Retry-After: 1 s, or what an error implementing
// RetryAfterer says), 503 unavailable, 500 internal. The code is
// ugc.CodeOf(err), so a specific code carried by a *ugc.Error
// ("already_voted") reaches the client. Internal errors never leak their
// message. Bad input never yields a 5xx.
//
// # Adding routes
//
// A feature adds one file, routes_<feature>.go, with a function returning
// []Route, plus an optional service field in Options and one line in
// featureRoutes (routes.go); New registers the routes when the field is
// set. A route declares everything the middleware and the document need:
//
//	{Method: "POST", Pattern: "/v1/channels/{username}/bans", Auth: AuthRequired,
//		Summary: "Ban a user from the channel's chat", Tag: "chat",
//		Request: banRequest{}, Response: banResponse{}, Status: http.StatusCreated,
//		Handler: h.ban}
//
// The handler decodes with DecodeJSON, answers with WriteJSON (or writes
// 204 itself) and returns errors for WriteError. Request and Response
// types are documented from their Go definitions: every field without
// omitempty is required, pointers are nullable, and the struct tags
// doc:"..." and enum:"a,b" add a description and an enumeration.
//
// An application adds its own routes with Options.Routes: they get the
// same middleware, auth modes and OpenAPI documentation.
//
// # Middleware
//
// Around every request, outermost first: request ID (X-Request-Id accepted
// when sane, else generated, and echoed), one structured access-log line
// (slog), panic recovery (500 with the request ID, logged once, in the
// access line), CORS for Options.AllowedOrigins, then routing. Per route:
// authentication, the body limit and the JSON content-type check. Handlers
// read the caller with IdentityFrom and the request ID with RequestID.
// Responses of routes that look at credentials carry Cache-Control:
// no-store (GET /v1/me holds the stream key).
//
// # Testing
//
// Handlers are tested with net/http/httptest against real services backed
// by memstore and ivslocal, with an Authenticator mapping "Bearer <userID>"
// to an Identity.
package httpapi
