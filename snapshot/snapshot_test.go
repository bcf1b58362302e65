package snapshot_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

func TestReadFull(t *testing.T) {
	t.Parallel()
	s, err := snapshot.ReadFile("testdata/full.json")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), s.TakenAt)
	assert.Len(t, s.Users, 2)
	assert.JSONEq(t, `"E1"`, string(s.Users[0].Extra["employeeId"]))
	assert.JSONEq(t, `{"extensionAttribute1": "x"}`, string(s.Users[0].Extra["onPremisesExtensionAttributes"]))
	assert.Nil(t, s.Users[1].Extra)
	assert.JSONEq(t, `"AAD"`, string(s.Organization.Extra["tenantType"]))
	assert.JSONEq(t, `"Email, OfficeCommunicationsOnline"`, string(s.Organization.VerifiedDomains[0].Extra["capabilities"]))
	assert.JSONEq(t, `true`, string(s.OnPremisesSynchronization.Features.Extra["passwordSyncEnabled"]))
	assert.Contains(t, s.OnPremisesSynchronization.Extra, "configuration")
	assert.JSONEq(t, `["Unified"]`, string(s.Groups[0].Extra["groupTypes"]))
	assert.JSONEq(t, `null`, string(s.RoleAssignments[0].Extra["condition"]))
	assert.JSONEq(t, `"kept as is"`, string(s.Extra["comment"]))

	tenant := s.Tenant()
	assert.Equal(t, "8f5b7c7e-0000-4000-8000-000000000001", tenant.ID)
	assert.Equal(t, s.TakenAt, tenant.AsOf)
	assert.Equal(t, matching.Features{BlockCloudObjectTakeoverHardMatch: true, SoftMatchOnUPN: true}, tenant.Features)
	assert.Equal(t, []matching.Domain{{Name: "contoso.example", IsDefault: true, Type: "Managed"}, {Name: "contoso.onmicrosoft.com", IsInitial: true, Type: "Managed"}}, tenant.Domains)
	assert.Equal(t, []matching.RoleAssignment{{ID: "r1", PrincipalID: "u2", RoleDefinitionID: "62e90394-69f5-4237-9190-012177145e10", DirectoryScopeID: "/"}}, tenant.Roles)
	require.NotNil(t, tenant.SyncEnabled)
	assert.True(t, *tenant.SyncEnabled)

	cloud, err := s.Cloud()
	require.NoError(t, err)
	require.Len(t, cloud, 5)
	ann := cloud[0]
	g, ok := ann.ImmutableID.GUID()
	require.True(t, ok)
	assert.Equal(t, anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20"), g)
	assert.True(t, ann.Synced())
	assert.Equal(t, matching.ClassUser, ann.Class)
	assert.Equal(t, "S-1-5-21-1-2-3-1104", ann.OnPremisesSecurityIdentifier)
	assert.Equal(t, time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC), ann.OnPremisesLastSync)
	bob := cloud[1]
	assert.Equal(t, "EMP-0042", bob.ImmutableID.String())
	_, ok = bob.ImmutableID.GUID()
	assert.False(t, ok)
	assert.True(t, bob.CloudManaged)
	assert.False(t, bob.Synced())
	require.NotNil(t, bob.AccountEnabled)
	assert.False(t, *bob.AccountEnabled)
	assert.Equal(t, matching.ClassGroup, cloud[2].Class)
	assert.True(t, cloud[2].MailEnabled)
	assert.Equal(t, matching.ClassContact, cloud[3].Class)
	del := cloud[4]
	assert.True(t, del.Deleted)
	assert.Equal(t, time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC), del.DeletedAt)
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	s, err := snapshot.ReadFile("testdata/full.json")
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, snapshot.Write(&buf, s))
	s2, err := snapshot.Read(bytes.NewReader(buf.Bytes()), "rt.json")
	require.NoError(t, err, buf.String())
	assert.Equal(t, s, s2)
	orig, err := os.ReadFile("testdata/full.json")
	require.NoError(t, err)
	assert.JSONEq(t, normalise(t, orig), normalise(t, buf.Bytes()))

	// encoding/json goes through the same code.
	b, err := json.Marshal(s)
	require.NoError(t, err)
	var s3 snapshot.Snapshot
	require.NoError(t, json.Unmarshal(b, &s3))
	assert.Equal(t, s, &s3)
}

// normalise drops JSON nulls so that a written file compares equal to its source, which may
// spell "not set" as null or leave the member out.
func normalise(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if e == nil || e == false {
					delete(x, k)
					continue
				}
				x[k] = walk(e)
			}
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		}
		return v
	}
	out, err := json.Marshal(walk(v))
	require.NoError(t, err)
	return string(out)
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	const at = `"takenAt": "2026-11-24T10:00:00Z"`
	tests := []struct {
		name     string
		in       string
		sentinel error
		msg      string
	}{
		{"wrong type", `{` + at + `, "users": [{"id": "u1"}, {"id": "u2", "accountEnabled": "yes"}]}`, snapshot.ErrType,
			"t.json: users[1].accountEnabled: JSON string where a boolean is expected"},
		{"nested wrong type", `{` + at + `, "users": [{"id": "u1", "onPremisesSyncBehavior": {"isCloudManaged": 1}}]}`, snapshot.ErrType,
			"t.json: users[0].onPremisesSyncBehavior.isCloudManaged: JSON number where a boolean is expected"},
		{"proxyAddresses not an array", `{` + at + `, "groups": [{"id": "g", "proxyAddresses": "SMTP:a@b"}]}`, snapshot.ErrType,
			"t.json: groups[0].proxyAddresses: JSON string where an array is expected"},
		{"users not an array", `{` + at + `, "users": {"id": "u1"}}`, snapshot.ErrType,
			"t.json: users: JSON object where an array is expected"},
		{"element not an object", `{` + at + `, "contacts": [1]}`, snapshot.ErrType,
			"t.json: contacts[0]: JSON number where an object is expected"},
		{"duplicate id", `{` + at + `, "users": [{"id": "u1"}], "deletedUsers": [{"id": "x"}, {"id": "u1"}]}`, snapshot.ErrDuplicate,
			`t.json: deletedUsers[1].id: id "u1" already used by users[0]`},
		{"duplicate role assignment", `{` + at + `, "roleAssignments": [{"id": "r"}, {"id": "r"}]}`, snapshot.ErrDuplicate,
			`t.json: roleAssignments[1].id: id "r" already used by roleAssignments[0]`},
		{"missing id", `{` + at + `, "groups": [{"displayName": "x"}]}`, snapshot.ErrInvalid, "t.json: groups[0].id: missing"},
		{"immutable id with dollar", `{` + at + `, "users": [{"id": "u1", "onPremisesImmutableId": "a$b"}]}`, snapshot.ErrInvalid,
			`t.json: users[0].onPremisesImmutableId: anchor.ParseSourceAnchor("a$b"): character '$' at offset 1 (Graph does not allow '$' or '_' in onPremisesImmutableId)`},
		{"missing takenAt", `{"users": []}`, snapshot.ErrInvalid,
			"t.json: takenAt: missing (the moment the snapshot was taken decides the restore window and which service changes are in force)"},
		{"bad takenAt", `{"takenAt": "yesterday"}`, snapshot.ErrType, `t.json: takenAt: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
		{"not an object", `[1]`, snapshot.ErrSyntax, "t.json: the document is array, not an object"},
		{"truncated", `{` + at + `, "users": [{"id": "u1"}`, snapshot.ErrSyntax, "t.json: users: unexpected end of input"},
		{"garbage after", `{` + at + `} 1`, snapshot.ErrSyntax, "t.json: number after the end of the document"},
		{"syntax", `{` + at + `, "users": [{"id": }]}`, snapshot.ErrSyntax, "t.json: users[0]: invalid character '}' looking for beginning of value (at byte 46)"},
		{"duplicate member", `{` + at + `, "users": [], "users": []}`, snapshot.ErrSyntax, "t.json: users: member appears twice"},
		{"duplicate domain", `{` + at + `, "organization": {"verifiedDomains": [{"name": "a.test"}, {"name": "A.test"}]}}`, snapshot.ErrDuplicate,
			`t.json: organization.verifiedDomains[1].name: domain "A.test" already listed at organization.verifiedDomains[0]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := snapshot.Read(strings.NewReader(tt.in), "t.json")
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.EqualError(t, err, tt.msg)
		})
	}
}

func TestReadAcceptsNullsAndCustomAnchors(t *testing.T) {
	t.Parallel()
	in := `{"takenAt": "2026-11-24T10:00:00Z", "organization": null, "users": null, "groups": [{"id": "g", "onPremisesSyncEnabled": null}],
	        "deletedUsers": [{"id": "d", "onPremisesImmutableId": "EMP-1"}], "contacts": [{"id": "c", "onPremisesImmutableId": ""}]}`
	s, err := snapshot.Read(strings.NewReader(in), "t.json")
	require.NoError(t, err)
	assert.Empty(t, s.Users)
	assert.Equal(t, "EMP-1", s.DeletedUsers[0].OnPremisesImmutableID)
}

func TestWriterOrder(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := snapshot.NewWriter(&buf)
	assert.ErrorIs(t, w.WriteUser(&snapshot.User{ID: "u"}), snapshot.ErrOrder)
	require.NoError(t, w.WriteHeader(&snapshot.Snapshot{TakenAt: time.Unix(0, 0)}))
	assert.ErrorIs(t, w.WriteHeader(&snapshot.Snapshot{}), snapshot.ErrOrder)
	require.NoError(t, w.WriteGroup(&snapshot.Group{ID: "g"}))
	assert.ErrorIs(t, w.WriteUser(&snapshot.User{ID: "u"}), snapshot.ErrOrder)
	require.NoError(t, w.WriteRoleAssignment(&snapshot.RoleAssignment{ID: "r"}))
	require.NoError(t, w.Close())
	assert.ErrorIs(t, w.Close(), snapshot.ErrOrder)
	s, err := snapshot.Read(&buf, "w.json")
	require.NoError(t, err)
	assert.Len(t, s.Groups, 1)
	assert.Len(t, s.RoleAssignments, 1)
}

func TestCloudRefusesBadAnchor(t *testing.T) {
	t.Parallel()
	s := &snapshot.Snapshot{Users: []snapshot.User{{ID: "u"}, {ID: "v", OnPremisesImmutableID: "a_b"}}}
	_, err := s.Cloud()
	assert.ErrorIs(t, err, snapshot.ErrInvalid)
	assert.ErrorContains(t, err, "users[1].onPremisesImmutableId")
}

func FuzzRead(f *testing.F) {
	// Small seeds, one shape each, so that the fuzzer mutates them quickly (one large seed of the
	// whole format made it spend its time minimising).
	const at = `"takenAt": "2026-11-24T10:00:00Z"`
	for _, seed := range []string{
		`{` + at + `}`,
		`{` + at + `, "users": [{"id": "u", "userPrincipalName": "a@b", "proxyAddresses": ["SMTP:a@b"], "onPremisesSyncEnabled": true}]}`,
		`{` + at + `, "users": [{"id": "u", "onPremisesImmutableId": "IkTni9mw7Ee4YefeGpz7IA==", "onPremisesSyncBehavior": {"isCloudManaged": true}}]}`,
		`{` + at + `, "users": [{"id": "u", "onPremisesObjectIdentifier": null}], "deletedUsers": [{"id": "d", "onPremisesObjectIdentifier": "x"}]}`,
		`{` + at + `, "groups": [{"id": "g", "mailEnabled": true, "proxyAddresses": ["SMTP:g@b"]}], "contacts": [{"id": "c", "mail": "c@b"}]}`,
		`{` + at + `, "roleAssignments": [{"id": "r", "principalId": "u", "roleDefinitionId": "d"}]}`,
		`{` + at + `, "roleEligibilities": [{"id": "e", "principalId": "u", "roleDefinitionId": "d", "startDateTime": "2026-07-01T00:00:00Z", "endDateTime": null}]}`,
		`{` + at + `, "roleDefinitions": [{"id": "d", "displayName": "Global Administrator", "isBuiltIn": true, "isPrivileged": true}], "groupMembers": []}`,
		`{` + at + `, "groupMembers": [{"groupId": "g", "memberId": "u"}]}`,
		`{` + at + `, "onPremisesSynchronization": {"features": {"blockSoftMatchEnabled": true, "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled": false}}}`,
		`{` + at + `, "organization": {"id": "o", "verifiedDomains": [{"name": "a", "isInitial": true}]}, "zz": null}`,
		`{` + at + `, "users": [{"id": "u", "x": [1, {"y": "\"}"}]}]}`,
		`{` + at + `, "users": [{"id": "u", "ID": "v", "\u0069d": "w"}]}`,
	} {
		f.Add(seed)
	}
	f.Add(`{"takenAt": "2026-11-24T10:00:00Z", "users": [{"id": "u", "x": [1, {"y": "\"}"}]}]}`)
	f.Add(`{"takenAt": "2026-11-24T10:00:00Z", "users": [{"id": "u", "ID": "v", "\u0069d": "w"}]}`)
	f.Add(`{"takenAt": "2026-11-24T10:00:00Z", "organization": {"verifiedDomains": [{"name": "a"}]}, "zz": null}`)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := snapshot.Read(strings.NewReader(in), "f.json")
		if err != nil {
			return
		}
		if _, err := s.Cloud(); err != nil {
			t.Fatalf("Cloud after a successful Read: %v", err)
		}
		tn := s.Tenant()
		var buf bytes.Buffer
		if err := snapshot.Write(&buf, s); err != nil {
			t.Fatalf("Write: %v", err)
		}
		s2, err := snapshot.Read(bytes.NewReader(buf.Bytes()), "rt.json")
		if err != nil {
			t.Fatalf("reading back: %v\n%s", err, buf.String())
		}
		var b2 bytes.Buffer
		if err := snapshot.Write(&b2, s2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), b2.Bytes()) {
			t.Fatalf("write, read, write differs:\n%s\n%s", buf.String(), b2.String())
		}
		if tn2 := s2.Tenant(); tn2.Known != tn.Known {
			t.Fatalf("Known changed on the round trip: %b -> %b", tn.Known, tn2.Known)
		}
	})
}

func benchSnapshot(n int) []byte {
	var buf bytes.Buffer
	w := snapshot.NewWriter(&buf)
	w.WriteHeader(&snapshot.Snapshot{TakenAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Organization: snapshot.Organization{ID: "t"}})
	yes := true
	last := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	for i := range n {
		var g [16]byte
		g[0], g[1], g[2] = byte(i), byte(i>>8), byte(i>>16)
		guid, _ := anchor.FromBytes(g[:])
		w.WriteUser(&snapshot.User{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), UserPrincipalName: fmt.Sprintf("user%d@contoso.example", i),
			Mail: fmt.Sprintf("user%d@contoso.example", i), MailNickname: fmt.Sprintf("user%d", i),
			ProxyAddresses:        []string{fmt.Sprintf("SMTP:user%d@contoso.example", i)},
			OnPremisesImmutableID: guid.ImmutableID(), OnPremisesSyncEnabled: &yes,
			OnPremisesDistinguishedName: fmt.Sprintf("CN=User %d,OU=Synced,DC=corp,DC=example,DC=test", i),
			OnPremisesLastSyncDateTime:  &last, AccountEnabled: &yes, UserType: "Member",
		})
	}
	w.Close()
	return buf.Bytes()
}

func BenchmarkRead(b *testing.B) {
	in := benchSnapshot(10000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := snapshot.Read(bytes.NewReader(in), "b.json"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFromRecordsRoundTrip(t *testing.T) {
	t.Parallel()
	s, err := snapshot.ReadFile("testdata/full.json")
	require.NoError(t, err)
	cloud, err := s.Cloud()
	require.NoError(t, err)
	back := snapshot.FromRecords(s.Tenant(), cloud)
	cloud2, err := back.Cloud()
	require.NoError(t, err)
	// Contacts carry no ImmutableID in Graph, and FromRecords does not invent one.
	assert.Equal(t, cloud, cloud2)
	assert.Equal(t, s.Tenant(), back.Tenant())
	var buf bytes.Buffer
	require.NoError(t, snapshot.Write(&buf, back))
	again, err := snapshot.Read(&buf, "records.json")
	require.NoError(t, err)
	assert.Equal(t, back, again)
}
