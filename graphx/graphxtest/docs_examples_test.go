package graphxtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

// docsSeed is seed with the July 2026 parts set, for the documentation examples.
func docsSeed(now time.Time) *snapshot.Snapshot {
	s := seed(now)
	start := now.Add(-time.Hour)
	s.RoleEligibilities = []snapshot.RoleEligibility{{ID: "re-1", PrincipalID: "u-cloud", RoleDefinitionID: "fe930be7-5e62-47db-91af-98c3a49a38b1", DirectoryScopeID: "/", StartDateTime: &start}}
	s.RoleDefinitions = []snapshot.RoleDefinition{
		{ID: "62e90394-69f5-4237-9190-012177145e10", DisplayName: "Global Administrator", IsBuiltIn: true, IsPrivileged: true},
		{ID: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", DisplayName: "Global Reader", IsBuiltIn: true},
	}
	s.GroupMembers = []snapshot.GroupMember{{GroupID: "g-1", MemberID: "u-cloud"}}
	return s
}

// TestGraphDocumentationExamples replays, against the fake, requests of the forms the Microsoft
// Graph documentation shows for each API the fake serves (written by us, in those forms), with
// the answer shape the documentation's response examples have. Raw HTTP, so that every header
// and path spelling is exactly what is tested; TestTypedSDKClient* cover the SDK's own builders.
func TestGraphDocumentationExamples(t *testing.T) {
	t.Parallel()
	type check func(t *testing.T, h http.Header, b map[string]any)
	context := func(suffix string) check {
		return func(t *testing.T, _ http.Header, b map[string]any) {
			ctx, _ := b["@odata.context"].(string)
			assert.True(t, strings.HasSuffix(ctx, "/$metadata#"+suffix), "@odata.context %q, want …#%s", ctx, suffix)
		}
	}
	values := func(n int) check {
		return func(t *testing.T, _ http.Header, b map[string]any) {
			v, ok := b["value"].([]any)
			require.True(t, ok, "a collection has value: %v", b)
			assert.Len(t, v, n)
			assert.Contains(t, b, "@odata.context", "collections carry @odata.context")
		}
	}
	all := func(cs ...check) check {
		return func(t *testing.T, h http.Header, b map[string]any) {
			for _, c := range cs {
				c(t, h, b)
			}
		}
	}
	cases := []struct {
		name, method, path, body string
		header                   map[string]string
		want                     int
		check                    check
	}{
		// List users / Get user (user-list, user-get).
		{name: "list users, default properties", method: "GET", path: "/v1.0/users", want: 200, check: all(values(3), context("users"),
			func(t *testing.T, _ http.Header, b map[string]any) {
				u := b["value"].([]any)[0].(map[string]any)
				for _, k := range []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
					"officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"} {
					assert.Contains(t, u, k)
				}
				assert.Equal(t, []any{}, u["businessPhones"], "collections are never null")
				assert.NotContains(t, u, "onPremisesImmutableId", "on-premises properties need $select")
			})},
		{name: "list users, case-insensitive entity set", method: "GET", path: "/v1.0/Users?$select=id", want: 200, check: values(3)},
		{name: "get user with $select", method: "GET", path: "/v1.0/users/u-synced?$select=displayName,onPremisesImmutableId,onPremisesSyncEnabled", want: 200,
			check: all(context("users/$entity"), func(t *testing.T, _ http.Header, b map[string]any) {
				assert.Equal(t, "IkTni9mw7Ee4YefeGpz7IA==", b["onPremisesImmutableId"])
				assert.Equal(t, true, b["onPremisesSyncEnabled"])
			})},
		{name: "get user by userPrincipalName", method: "GET", path: "/v1.0/users/ann@contoso.example?$select=id", want: 200,
			check: func(t *testing.T, _ http.Header, b map[string]any) { assert.Equal(t, "u-synced", b["id"]) }},
		{name: "filter users by onPremisesImmutableId", method: "GET", path: "/v1.0/users?$filter=onPremisesImmutableId%20eq%20'IkTni9mw7Ee4YefeGpz7IA=='&$select=id", want: 200, check: values(1)},
		{name: "advanced query on proxyAddresses", method: "GET", path: "/v1.0/users?$filter=proxyAddresses/any(x:x%20eq%20'smtp:robert@contoso.example')&$count=true&$select=id",
			header: map[string]string{"ConsistencyLevel": "eventual"}, want: 200, check: all(values(1), func(t *testing.T, _ http.Header, b map[string]any) {
				assert.EqualValues(t, 1, b["@odata.count"])
			})},
		// Update user (user-update): 204 No Content.
		{name: "update user", method: "PATCH", path: "/v1.0/users/u-cloud", body: `{"onPremisesImmutableId":"QF5HMK7n80qvdYsUPIHa9Q=="}`, want: 204},
		{name: "clear onPremisesImmutableId with null", method: "PATCH", path: "/v1.0/users/u-cloud", body: `{"onPremisesImmutableId":null}`, want: 204},
		{name: "beta: clear onPremisesObjectIdentifier", method: "PATCH", path: "/beta/users/u-synced", body: `{"onPremisesObjectIdentifier":null}`, want: 204},
		// onPremisesSyncBehavior (onpremisessyncbehavior-get/-update).
		{name: "get onPremisesSyncBehavior", method: "GET", path: "/v1.0/users/u-managed/onPremisesSyncBehavior", want: 200,
			check: func(t *testing.T, _ http.Header, b map[string]any) { assert.Equal(t, true, b["isCloudManaged"]) }},
		{name: "update onPremisesSyncBehavior", method: "PATCH", path: "/v1.0/users/u-cloud/onPremisesSyncBehavior", body: `{"isCloudManaged":true}`, want: 204},
		// Deleted items (directory-deleteditems-list/-get/-restore).
		{name: "list deleted users", method: "GET", path: "/v1.0/directory/deletedItems/microsoft.graph.user", want: 200,
			check: all(values(1), context("directory/deletedItems/microsoft.graph.user"))},
		{name: "list deleted users, lower-case segments", method: "GET", path: "/v1.0/directory/deleteditems/Microsoft.Graph.User", want: 200, check: values(1)},
		{name: "list deleted users, short type cast (as msgraph-sdk-go writes it)", method: "GET", path: "/v1.0/directory/deletedItems/graph.user", want: 200, check: values(1)},
		{name: "list deleted groups", method: "GET", path: "/v1.0/directory/deletedItems/microsoft.graph.group", want: 200, check: values(0)},
		{name: "deleted items need a type cast", method: "GET", path: "/v1.0/directory/deletedItems", want: 400},
		{name: "get deleted item", method: "GET", path: "/v1.0/directory/deletedItems/d-recent", want: 200, check: context("directoryObjects/$entity")},
		{name: "get deleted item with a type cast", method: "GET", path: "/v1.0/directory/deletedItems/d-recent/microsoft.graph.user", want: 200,
			check: func(t *testing.T, _ http.Header, b map[string]any) { assert.Equal(t, "d-recent", b["id"]) }},
		{name: "restore deleted item", method: "POST", path: "/v1.0/directory/deletedItems/d-recent/restore", body: `{}`, want: 200,
			check: func(t *testing.T, _ http.Header, b map[string]any) { assert.Equal(t, "d-recent", b["id"]) }},
		// Organization (organization-list/-get/-update).
		{name: "list organization", method: "GET", path: "/v1.0/organization", want: 200, check: all(values(1), context("organization"))},
		{name: "get organization by id", method: "GET", path: "/v1.0/organization/tenant-1", want: 200,
			check: all(context("organization/$entity"), func(t *testing.T, _ http.Header, b map[string]any) { assert.Equal(t, "tenant-1", b["id"]) })},
		{name: "get organization by unknown id", method: "GET", path: "/v1.0/organization/other", want: 404},
		{name: "turn off directory sync", method: "PATCH", path: "/v1.0/organization/tenant-1", body: `{"onPremisesSyncEnabled":false}`, want: 204},
		// onPremisesDirectorySynchronization (-get/-update).
		{name: "list onPremisesSynchronization", method: "GET", path: "/v1.0/directory/onPremisesSynchronization", want: 200, check: values(1)},
		{name: "get onPremisesSynchronization by id", method: "GET", path: "/beta/directory/onPremisesSynchronization/tenant-1", want: 200,
			check: all(context("directory/onPremisesSynchronization/$entity"), func(t *testing.T, _ http.Header, b map[string]any) {
				assert.Contains(t, b["features"], "softMatchOnUpnEnabled")
			})},
		{name: "update sync features", method: "PATCH", path: "/v1.0/directory/onPremisesSynchronization/tenant-1",
			body: `{"features":{"blockSoftMatchEnabled":true,"blockCloudObjectTakeoverThroughHardMatchEnabled":true}}`, want: 204},
		// Role management (rbacapplication-list-roleassignments/-roleeligibilityscheduleinstances/-roledefinitions).
		{name: "role assignments of a principal", method: "GET", path: "/v1.0/roleManagement/directory/roleAssignments?$filter=principalId%20eq%20'u-cloud'", want: 200, check: values(1)},
		{name: "eligibilities of a principal", method: "GET", path: "/v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId%20eq%20'u-cloud'", want: 200, check: values(1)},
		{name: "beta: privileged role definitions", method: "GET", path: "/beta/roleManagement/directory/roleDefinitions?$filter=isPrivileged%20eq%20true", want: 200,
			check: all(values(1), func(t *testing.T, _ http.Header, b map[string]any) {
				d := b["value"].([]any)[0].(map[string]any)
				assert.Equal(t, "Global Administrator", d["displayName"])
				assert.Equal(t, true, d["isPrivileged"])
			})},
		{name: "v1.0 role definitions have no isPrivileged", method: "GET", path: "/v1.0/roleManagement/directory/roleDefinitions", want: 200,
			check: func(t *testing.T, _ http.Header, b map[string]any) {
				assert.NotContains(t, b["value"].([]any)[0], "isPrivileged")
			}},
		{name: "group members", method: "GET", path: "/v1.0/groups/g-1/members", want: 200,
			check: all(values(1), func(t *testing.T, _ http.Header, b map[string]any) {
				assert.Equal(t, "#microsoft.graph.user", b["value"].([]any)[0].(map[string]any)["@odata.type"])
			})},
		// JSON batching (json-batching).
		{name: "batch, headers in any case, per-item headers", method: "POST", path: "/v1.0/$batch",
			body: `{"requests":[{"id":"1","method":"GET","url":"/users/u-cloud?$select=id"},` +
				`{"id":"2","method":"PATCH","url":"/users/u-cloud","headers":{"content-type":"application/json"},"body":{"displayName":"Bob"}}]}`, want: 200,
			check: func(t *testing.T, _ http.Header, b map[string]any) {
				rs := b["responses"].([]any)
				require.Len(t, rs, 2)
				for _, r := range rs {
					item := r.(map[string]any)
					assert.Less(t, item["status"].(float64), 300.0, "%v", item)
					assert.Contains(t, item, "headers")
				}
			}},
		{name: "batch ids collide case-insensitively", method: "POST", path: "/v1.0/$batch",
			body: `{"requests":[{"id":"a","method":"GET","url":"/organization"},{"id":"A","method":"GET","url":"/organization"}]}`, want: 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := time.Now()
			srv := graphxtest.NewServer(t, graphxtest.WithSeed(docsSeed(now)))
			base := strings.TrimSuffix(srv.URL, "/v1.0")
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req, err := http.NewRequestWithContext(t.Context(), tc.method, base+tc.path, body)
			require.NoError(t, err)
			req.Header["authorization"] = []string{"Bearer t"} // header names in any case
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			for k, v := range tc.header {
				req.Header[strings.ToLower(k)] = []string{v}
			}
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			raw, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			require.Equal(t, tc.want, res.StatusCode, "%s", raw)
			assert.NotEmpty(t, res.Header.Get("request-id"))
			var b map[string]any
			if len(raw) > 0 {
				require.NoError(t, json.Unmarshal(raw, &b))
			}
			if tc.check != nil {
				tc.check(t, res.Header, b)
			}
		})
	}
}
