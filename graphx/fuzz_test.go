package graphx_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hybridid/hybridid/graphx"
)

// FuzzGraphResponse feeds arbitrary bodies and statuses to the list reader and the error
// mapping: never a panic, and every failure is an *OpError.
func FuzzGraphResponse(f *testing.F) {
	f.Add(200, `{"value":[{"id":"u1","onPremisesImmutableId":"IkTni9mw7Ee4YefeGpz7IA=="}]}`)
	f.Add(200, `{"value":[{"id":1}]}`)
	f.Add(200, `{"value":null,"@odata.nextLink":"http://graph.fake/v1.0/users?$skiptoken=X1"}`)
	f.Add(200, ``)
	f.Add(400, `{"error":{"code":"Request_BadRequest","message":"bad","innerError":{"request-id":"r"}}}`)
	f.Add(429, `{"error":{"code":"TooManyRequests"}}`)
	f.Add(500, `not json`)
	f.Add(404, `{"error":null}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			return
		}
		calls := 0
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			calls++
			if calls > 3 {
				return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(strings.NewReader(`{"value":[]}`)), Request: r}, nil
			}
			return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		})
		c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL("http://graph.fake/v1.0"),
			graphx.WithHTTPClient(&http.Client{Transport: rt}), graphx.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range c.Users(t.Context()) {
			if err != nil {
				var oe *graphx.OpError
				if !errors.As(err, &oe) {
					t.Fatalf("error %T is not an *OpError: %v", err, err)
				}
				break
			}
		}
	})
}
