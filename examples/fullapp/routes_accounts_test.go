package main

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddr(t *testing.T) {
	tests := []struct {
		name, header string
		values       []string
		want         string
	}{
		{"peer address", "", nil, "192.0.2.1"},
		{"header ignored when not configured", "", []string{"203.0.113.9"}, "192.0.2.1"},
		{"last entry of the header", "X-Forwarded-For", []string{"10.0.0.1, 203.0.113.9"}, "203.0.113.9"},
		{"last header line", "X-Forwarded-For", []string{"10.0.0.1", "198.51.100.7"}, "198.51.100.7"},
		{"header missing", "X-Forwarded-For", nil, "192.0.2.1"},
		{"empty last entry", "X-Forwarded-For", []string{"10.0.0.1, "}, "192.0.2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/v1/auth/login", nil)
			r.RemoteAddr = "192.0.2.1:4567"
			for _, v := range tt.values {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientAddr(r, tt.header); got != tt.want {
				t.Errorf("clientAddr = %q, want %q", got, tt.want)
			}
		})
	}
}
