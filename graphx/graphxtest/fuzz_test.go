package graphxtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hybridid/hybridid/snapshot"
)

// FuzzParseFilter: the $filter parser never panics, and a parsed filter evaluates on any object.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"onPremisesImmutableId eq 'IkTni9mw7Ee4YefeGpz7IA=='",
		"proxyAddresses/any(p:p eq 'smtp:a@b.c')",
		"startswith(userPrincipalName,'ann') and onPremisesSyncEnabled eq true",
		"userPrincipalName eq 'o''brien@x'",
		"accountEnabled eq null", "x eq", "and and", "'", "",
	} {
		f.Add(s)
	}
	obj := toObject(snapshot.User{ID: "u", UserPrincipalName: "ann@x", ProxyAddresses: []string{"SMTP:ann@x"}})
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseFilter(s)
		if err == nil {
			p.match(obj)
		}
	})
}

// FuzzBatch: any batch body gets a JSON answer (never a panic, never a 5xx).
func FuzzBatch(f *testing.F) {
	f.Add(`{"requests":[{"id":"1","method":"PATCH","url":"/users/u","headers":{"Content-Type":"application/json"},"body":{"onPremisesImmutableId":null}}]}`)
	f.Add(`{"requests":[{"id":"1","method":"GET","url":"/users?$filter=x eq 1"}]}`)
	f.Add(`{"requests":[{"id":"1","method":"GET","url":"https://evil/users"}]}`)
	f.Add(`{"requests":[]}`)
	f.Add(`[]`)
	fake, err := New(WithSeed(&snapshot.Snapshot{Organization: snapshot.Organization{ID: "t"},
		Users: []snapshot.User{{ID: "u", UserPrincipalName: "u@x"}}}))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "http://localhost/v1.0/$batch", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer t")
		w := httptest.NewRecorder()
		fake.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q", w.Code, body)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("invalid JSON answer %q", w.Body.String())
		}
	})
}
