package httpapi

import (
	"net/http"
	"slices"
	"strings"
)

// corsPolicy answers CORS for a list of allowed origins; "*" allows any.
type corsPolicy struct {
	any     bool
	origins []string
}

func newCORS(origins []string) corsPolicy {
	var p corsPolicy
	for _, o := range origins {
		if o == "*" {
			p.any = true
			continue
		}
		p.origins = append(p.origins, strings.TrimRight(o, "/"))
	}
	return p
}

func (p corsPolicy) allowed(origin string) bool {
	return p.any || slices.Contains(p.origins, origin)
}

const (
	corsAllowMethods  = "GET, HEAD, POST, PUT, PATCH, DELETE"
	corsAllowHeaders  = "Authorization, Content-Type, X-Request-Id"
	corsExposeHeaders = "X-Request-Id, Retry-After"
	corsMaxAge        = "600"
)

// wrap answers preflight requests and adds CORS headers to the responses
// of requests from allowed origins. Requests without an Origin pass as is.
// A preflight from an origin not allowed gets a 403.
func (p corsPolicy) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if !p.allowed(origin) {
			if preflight {
				WriteError(w, errOriginNotAllowed(origin))
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Methods", corsAllowMethods)
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		next.ServeHTTP(w, r)
	})
}
