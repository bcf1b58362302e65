package snapshot

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameAsSlow checks that when the fast path accepts b, UnmarshalJSON accepts it too and gives the
// same value; it reports whether the fast path accepted.
func sameAsSlow[T any, P interface {
	*T
	fastDecoder
	json.Unmarshaler
}](t *testing.T, b []byte, in bool) bool {
	t.Helper()
	var fast, slow T
	ok := false
	if in {
		// As Read calls it: objects allowed, plain set from the element.
		a := &arena{nested: true, plain: bytes.IndexByte(b, '\\') < 0}
		a.utf8 = a.plain && utf8.Valid(b)
		ok = P(&fast).decodeFastIn(b, a)
	} else {
		ok = P(&fast).decodeFast(b)
	}
	if !ok {
		return false
	}
	if err := P(&slow).UnmarshalJSON(b); err != nil {
		t.Fatalf("fast path accepted %s, UnmarshalJSON refuses it: %v", b, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fast path and UnmarshalJSON differ on %s:\n%#v\n%#v", b, fast, slow)
	}
	return true
}

// checkAllFast runs sameAsSlow for every element type: with in, through decodeFastIn as Read
// calls it; without, through decodeFast.
func checkAllFast(t *testing.T, b []byte, in bool) map[string]bool {
	t.Helper()
	return map[string]bool{
		"user":    sameAsSlow[User](t, b, in),
		"group":   sameAsSlow[Group](t, b, in),
		"contact": sameAsSlow[Contact](t, b, in),
		"role":    sameAsSlow[RoleAssignment](t, b, in),
		"elig":    sameAsSlow[RoleEligibility](t, b, in),
		"def":     sameAsSlow[RoleDefinition](t, b, in),
		"member":  sameAsSlow[GroupMember](t, b, in),
	}
}

func TestDecodeFast(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		user bool // whether the fast path takes it for a User
	}{
		{"common user", `{"id":"u","userPrincipalName":"a@b","proxyAddresses":["SMTP:a@b","smtp:c@d"],"onPremisesImmutableId":"IkTni9mw7Ee4YefeGpz7IA==","onPremisesSyncEnabled":true,"accountEnabled":false,"onPremisesLastSyncDateTime":"2026-07-14T23:00:00Z","userType":"Member"}`, true},
		{"unknown members", ` { "id" : "u" , "x" : [1, {"y": "\"}"}], "z": null, "-": 2 } `, true},
		{"empty proxyAddresses", `{"id":"u","proxyAddresses":[]}`, true},
		{"non-ASCII value", `{"id":"u","displayName":"Zoë Ångström"}`, true},
		{"escape in a value", `{"id":"u","displayName":"a\u00e9"}`, false},
		{"escape in a name", `{"\u0069d":"u"}`, false},
		{"name in another case", `{"ID":"u"}`, false},
		{"repeated member", `{"id":"u","id":"v"}`, false},
		{"null", `{"id":"u","mail":null}`, false},
		{"wrong type", `{"id":"u","accountEnabled":"yes"}`, false},
		{"bad time", `{"id":"u","deletedDateTime":"yesterday"}`, false},
		{"sync behavior", `{"id":"u","onPremisesSyncBehavior":{"isCloudManaged":true}}`, false},
		{"invalid UTF-8", "{\"id\":\"u\",\"mail\":\"\xff\"}", false},
		{"object identifier", `{"id":"u","onPremisesObjectIdentifier":"8be74422-b0d9-47ec-b861-e7de1a9cfb20"}`, true},
		{"object identifier null", `{"id":"u","onPremisesObjectIdentifier":null}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.True(t, json.Valid([]byte(tt.in)))
			got := checkAllFast(t, []byte(tt.in), false)
			assert.Equal(t, tt.user, got["user"])
		})
	}
}

// FuzzDecodeFast checks that the fast path never gives a value UnmarshalJSON would not.
func FuzzDecodeFast(f *testing.F) {
	f.Add(`{"id":"u","userPrincipalName":"a@b","proxyAddresses":["SMTP:a@b"],"onPremisesSyncEnabled":true,"onPremisesLastSyncDateTime":"2026-07-14T23:00:00Z"}`)
	f.Add(`{"id":"g","mailEnabled":false,"securityEnabled":true,"x":{"a":[1,2]}}`)
	f.Add(`{"id":"r","principalId":"p","roleDefinitionId":"d","directoryScopeId":"/","appScopeId":"/"}`)
	f.Add(`{"id":"u","ID":"v","Mail":"m","deletedDateTime":"2026-07-14T23:00:00.5+01:00"}`)
	f.Add(`{"id":"u","onPremisesObjectIdentifier":null,"onpremisesobjectidentifier":"x"}`)
	f.Add(`{"id":"e","principalId":"p","roleDefinitionId":"d","startDateTime":"2026-07-01T00:00:00Z","endDateTime":null}`)
	f.Add(`{"id":"d","displayName":"Global Administrator","isBuiltIn":true,"isPrivileged":true}`)
	f.Add(`{"groupId":"g","memberId":"m"}`)
	f.Fuzz(func(t *testing.T, in string) {
		b := bytes.TrimSpace([]byte(in))
		if !json.Valid(b) || len(b) == 0 || b[0] != '{' {
			return // Read hands the fast path only valid objects
		}
		checkAllFast(t, b, false)
	})
}
