package graphx_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hybridid/hybridid/graphx"
)

// FuzzGraphResponse feeds arbitrary bodies and statuses to the list reader and the error
// mapping: never a panic, and every failure is an *OpError.
func FuzzGraphResponse(f *testing.F) {
	f.Add(200, `{"value":[{"id":"u1","onPremisesImmutableId":"IkTni9mw7Ee4YefeGpz7IA=="}]}`)
	f.Add(200, `{"value":[{"id":1}]}`)
	f.Add(200, `{"value":null,"@odata.nextLink":"http://localhost/v1.0/users?$skiptoken=X1"}`)
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
		c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL("http://localhost/v1.0"),
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

// FuzzHardeningReaders feeds arbitrary bodies to the readers of the July 2026 inputs (object
// identifiers, eligibilities, role definitions, group members): never a panic, and every
// failure is an *OpError.
func FuzzHardeningReaders(f *testing.F) {
	f.Add(`{"value":[{"id":"u1","onPremisesObjectIdentifier":null}]}`)
	f.Add(`{"value":[{"id":"u1","onPremisesObjectIdentifier":7}]}`)
	f.Add(`{"value":[{"id":"r","principalId":"u","roleDefinitionId":"d","startDateTime":"x"}]}`)
	f.Add(`{"value":[{"id":"d","isPrivileged":"yes"}]}`)
	f.Add(`{"value":[{"@odata.type":"#microsoft.graph.user","id":"u"}]}`)
	f.Add(`{"value":{}}`)
	f.Fuzz(func(t *testing.T, body string) {
		c := fixedBody(t, body)
		check := func(err error) {
			var oe *graphx.OpError
			if err != nil && !errors.As(err, &oe) {
				t.Fatalf("error %T is not an *OpError: %v", err, err)
			}
		}
		for _, err := range c.ObjectIdentifiers(t.Context()) {
			check(err)
		}
		for _, err := range c.RoleEligibilities(t.Context()) {
			check(err)
		}
		for _, err := range c.RoleDefinitions(t.Context()) {
			check(err)
		}
		for _, err := range c.GroupMembers(t.Context(), "g") {
			check(err)
		}
		_, err := c.UserObjectIdentifier(t.Context(), "u")
		check(err)
	})
}

// FuzzObjectIdentifierRoundTrip: an onPremisesObjectIdentifier Graph returns as a string, as
// null or not at all comes back as the value, "" or nil.
func FuzzObjectIdentifierRoundTrip(f *testing.F) {
	f.Add("u1", uint8(0), "8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	f.Add("u2", uint8(1), "")
	f.Add("u3", uint8(2), "")
	f.Fuzz(func(t *testing.T, id string, mode uint8, value string) {
		if !utf8.ValidString(id) || !utf8.ValidString(value) {
			return // JSON carries text; Graph never sends invalid UTF-8
		}
		obj := map[string]any{"id": id}
		switch mode % 3 {
		case 0:
			obj["onPremisesObjectIdentifier"] = value
		case 1:
			obj["onPremisesObjectIdentifier"] = nil
		}
		b, err := json.Marshal(map[string]any{"value": []any{obj}})
		if err != nil {
			return
		}
		c := fixedBody(t, string(b))
		n := 0
		for oi, err := range c.ObjectIdentifiers(t.Context()) {
			if err != nil {
				t.Fatal(err)
			}
			n++
			if oi.UserID != id {
				t.Fatalf("id %q became %q", id, oi.UserID)
			}
			switch mode % 3 {
			case 0:
				if oi.Value == nil || *oi.Value != value {
					t.Fatalf("value %q became %v", value, oi.Value)
				}
			case 1:
				if oi.Value == nil || *oi.Value != "" {
					t.Fatalf("null became %v", oi.Value)
				}
			case 2:
				if oi.Value != nil {
					t.Fatalf("absent became %q", *oi.Value)
				}
			}
		}
		if n != 1 {
			t.Fatalf("%d objects", n)
		}
	})
}

// fixedBody is a client whose every request is answered 200 with body.
func fixedBody(t *testing.T, body string) *graphx.Client {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})
	c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL("http://localhost/v1.0"),
		graphx.WithHTTPClient(&http.Client{Transport: rt}), graphx.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
