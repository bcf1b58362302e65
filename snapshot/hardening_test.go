package snapshot_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

// The inputs of the July 2026 hard-match protections (docs/snapshot.md, docs/entra-rules.md §2.4):
// onPremisesObjectIdentifier absent, null or set; roleEligibilities, roleDefinitions,
// groupMembers absent, empty or filled; the bypass flag absent or set.

const hardeningSnapshot = `{
  "takenAt": "2026-11-24T10:00:00Z",
  "onPremisesSynchronization": {"features": {"allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled": true}},
  "users": [
    {"id": "u1", "onPremisesObjectIdentifier": "8be74422-b0d9-47ec-b861-e7de1a9cfb20"},
    {"id": "u2", "onPremisesObjectIdentifier": null},
    {"id": "u3"},
    {"id": "u4", "displayName": "Zo\u00eb", "onPremisesObjectIdentifier": null},
    {"id": "u5", "displayName": "Zo\u00eb", "onPremisesObjectIdentifier": "x"}
  ],
  "roleAssignments": [{"id": "a1", "principalId": "grp1", "roleDefinitionId": "ga"}],
  "roleEligibilities": [
    {"id": "e1", "principalId": "u1", "roleDefinitionId": "ga", "directoryScopeId": "/", "startDateTime": "2026-07-01T00:00:00Z", "endDateTime": null, "memberType": "Direct"},
    {"id": "e2", "principalId": "u2", "roleDefinitionId": "rr", "startDateTime": "2026-07-01T00:00:00Z", "endDateTime": "2027-07-01T00:00:00Z"}
  ],
  "roleDefinitions": [
    {"id": "ga", "displayName": "Global Administrator", "isBuiltIn": true, "isPrivileged": true},
    {"id": "rr", "displayName": "Reports Reader", "isBuiltIn": true, "isPrivileged": false, "templateId": "rr"}
  ],
  "groupMembers": [{"groupId": "grp1", "memberId": "u3"}]
}`

func TestReadHardeningInputs(t *testing.T) {
	t.Parallel()
	s, err := snapshot.Read(strings.NewReader(hardeningSnapshot), "h.json")
	require.NoError(t, err)
	ids := make([]*string, len(s.Users))
	for i := range s.Users {
		ids[i] = s.Users[i].OnPremisesObjectIdentifier
	}
	require.NotNil(t, ids[0])
	assert.Equal(t, "8be74422-b0d9-47ec-b861-e7de1a9cfb20", *ids[0], "value (fast path)")
	require.NotNil(t, ids[1])
	assert.Equal(t, "", *ids[1], "null (fast path) is known and not set")
	assert.Nil(t, ids[2], "absent is unknown")
	require.NotNil(t, ids[3])
	assert.Equal(t, "", *ids[3], "null (encoding/json path)")
	require.NotNil(t, ids[4])
	assert.Equal(t, "x", *ids[4], "value (encoding/json path)")

	tn := s.Tenant()
	assert.Equal(t, matching.KnownObjectIdentifier|matching.KnownEligibilities|matching.KnownRoleDefinitions|matching.KnownGroupMembers|matching.KnownBypassFlag, tn.Known)
	assert.True(t, tn.Features.AllowObjectIdentifierUpdate)
	require.Len(t, tn.Eligibilities, 2)
	assert.Equal(t, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), tn.Eligibilities[0].Start)
	assert.True(t, tn.Eligibilities[0].End.IsZero())
	assert.Equal(t, time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC), tn.Eligibilities[1].End)
	assert.Equal(t, []matching.RoleDefinition{{ID: "ga", DisplayName: "Global Administrator", IsBuiltIn: true, IsPrivileged: true},
		{ID: "rr", DisplayName: "Reports Reader", IsBuiltIn: true}}, tn.RoleDefinitions)
	assert.Equal(t, []matching.GroupMember{{GroupID: "grp1", MemberID: "u3"}}, tn.GroupMembers)
	cloud, err := s.Cloud()
	require.NoError(t, err)
	assert.Equal(t, "8be74422-b0d9-47ec-b861-e7de1a9cfb20", cloud[0].OnPremisesObjectIdentifier)
	assert.Equal(t, "", cloud[1].OnPremisesObjectIdentifier)

	// Write and read back: every form survives, unknown members included.
	var buf bytes.Buffer
	require.NoError(t, snapshot.Write(&buf, s))
	out := buf.String()
	assert.Contains(t, out, `"onPremisesObjectIdentifier":null`)
	assert.Contains(t, out, `"memberType":"Direct"`)
	back, err := snapshot.Read(&buf, "back.json")
	require.NoError(t, err)
	assert.Equal(t, s, back)
	assert.Equal(t, tn, back.Tenant())
}

func TestReadWithoutHardeningInputs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		want matching.Known
	}{
		{"older snapshot", `{"takenAt": "2026-11-24T10:00:00Z", "users": [{"id": "u"}], "roleAssignments": []}`, 0},
		{"empty arrays are known", `{"takenAt": "2026-11-24T10:00:00Z", "roleEligibilities": [], "roleDefinitions": [], "groupMembers": []}`,
			matching.KnownEligibilities | matching.KnownRoleDefinitions | matching.KnownGroupMembers},
		{"null arrays are unknown", `{"takenAt": "2026-11-24T10:00:00Z", "roleEligibilities": null, "groupMembers": null}`, 0},
		{"bypass flag false is known", `{"takenAt": "2026-11-24T10:00:00Z", "onPremisesSynchronization": {"features": {"allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled": false}}}`,
			matching.KnownBypassFlag},
		{"identifier on a deleted user", `{"takenAt": "2026-11-24T10:00:00Z", "deletedUsers": [{"id": "d", "onPremisesObjectIdentifier": null}]}`,
			matching.KnownObjectIdentifier},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := snapshot.Read(strings.NewReader(tc.in), "o.json")
			require.NoError(t, err)
			assert.Equal(t, tc.want, s.Tenant().Known)
			var buf bytes.Buffer
			require.NoError(t, snapshot.Write(&buf, s))
			back, err := snapshot.Read(&buf, "back.json")
			require.NoError(t, err, buf.String())
			assert.Equal(t, tc.want, back.Tenant().Known, "absent stays absent, empty stays empty:\n%s", buf.String())
		})
	}
}

func TestReadHardeningErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, path string }{
		{"eligibility without id", `{"takenAt": "2026-11-24T10:00:00Z", "roleEligibilities": [{"principalId": "u"}]}`, "roleEligibilities[0].id"},
		{"duplicate eligibility", `{"takenAt": "2026-11-24T10:00:00Z", "roleEligibilities": [{"id": "e"}, {"id": "e"}]}`, "roleEligibilities[1].id"},
		{"definition without id", `{"takenAt": "2026-11-24T10:00:00Z", "roleDefinitions": [{"displayName": "x"}]}`, "roleDefinitions[0].id"},
		{"member without memberId", `{"takenAt": "2026-11-24T10:00:00Z", "groupMembers": [{"groupId": "g"}]}`, "groupMembers[0].memberId"},
		{"identifier of the wrong type", `{"takenAt": "2026-11-24T10:00:00Z", "users": [{"id": "u", "onPremisesObjectIdentifier": 5}]}`, "users[0].onPremisesObjectIdentifier"},
		{"eligibility end not a date", `{"takenAt": "2026-11-24T10:00:00Z", "roleEligibilities": [{"id": "e", "endDateTime": "soon"}]}`, "roleEligibilities[0]"},
		{"bypass flag of the wrong type", `{"takenAt": "2026-11-24T10:00:00Z", "onPremisesSynchronization": {"features": {"allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled": "yes"}}}`, "onPremisesSynchronization"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := snapshot.Read(strings.NewReader(tc.in), "e.json")
			require.Error(t, err)
			var se *snapshot.Error
			require.ErrorAs(t, err, &se)
			assert.True(t, strings.HasPrefix(se.Path, tc.path), "path %q, want %q: %v", se.Path, tc.path, err)
		})
	}
}

func TestWriterInclude(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := snapshot.NewWriter(&buf)
	require.NoError(t, w.WriteHeader(&snapshot.Snapshot{TakenAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}))
	require.NoError(t, w.Include("groupMembers"))
	require.Error(t, w.Include("users"))
	require.NoError(t, w.WriteRoleDefinition(&snapshot.RoleDefinition{ID: "ga", IsPrivileged: true}))
	require.ErrorIs(t, w.Include("roleEligibilities"), snapshot.ErrOrder, "too late: the array was passed")
	require.NoError(t, w.Close())
	s, err := snapshot.Read(&buf, "w.json")
	require.NoError(t, err, buf.String())
	assert.Nil(t, s.RoleEligibilities, "not written, not included: absent")
	assert.Len(t, s.RoleDefinitions, 1)
	assert.NotNil(t, s.GroupMembers, "included: present and empty")
	assert.Empty(t, s.GroupMembers)
}

func TestFromRecordsKeepsKnown(t *testing.T) {
	t.Parallel()
	s, err := snapshot.Read(strings.NewReader(hardeningSnapshot), "h.json")
	require.NoError(t, err)
	cloud, err := s.Cloud()
	require.NoError(t, err)
	tn := s.Tenant()
	back := snapshot.FromRecords(tn, cloud)
	assert.Equal(t, tn.Known, back.Tenant().Known)
	assert.Equal(t, tn.Eligibilities, back.Tenant().Eligibilities)
	cloud2, err := back.Cloud()
	require.NoError(t, err)
	assert.Equal(t, cloud[0].OnPremisesObjectIdentifier, cloud2[0].OnPremisesObjectIdentifier)
}
