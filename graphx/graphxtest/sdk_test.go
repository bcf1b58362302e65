package graphxtest_test

import (
	"context"
	"testing"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
)

// staticAuth is a kiota AuthenticationProvider with a fixed bearer token.
type staticAuth struct{}

func (staticAuth) AuthenticateRequest(_ context.Context, ri *abs.RequestInformation, _ map[string]any) error {
	ri.Headers.Add("Authorization", "Bearer sdk-test")
	return nil
}

var _ absauth.AuthenticationProvider = staticAuth{}

// sdkClient is msgraph-sdk-go's typed GraphServiceClient pointed at base. Tests using it do not
// run in parallel: NewGraphServiceClient writes a package-level setting of the SDK
// (EnableBackingStore) that the SDK's model constructors read, a data race between parallel
// typed clients.
func sdkClient(t *testing.T, base string) *msgraphsdk.GraphServiceClient {
	t.Helper()
	adapter, err := msgraphsdk.NewGraphRequestAdapter(staticAuth{})
	require.NoError(t, err)
	adapter.SetBaseUrl(base)
	return msgraphsdk.NewGraphServiceClient(adapter)
}

// TestTypedSDKClient drives the fake with msgraph-sdk-go's own typed GraphServiceClient, to
// show the fake speaks what the generated SDK sends and parses.
func TestTypedSDKClient(t *testing.T) { //nolint:paralleltest // see sdkClient
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(seed(now)), graphxtest.WithClock(func() time.Time { return now }))
	client := sdkClient(t, srv.URL)

	res, err := client.Users().Get(t.Context(), &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{
			Select: []string{"id", "userPrincipalName", "onPremisesImmutableId", "onPremisesSyncEnabled"},
			Top:    ptr[int32](2),
		},
	})
	require.NoError(t, err)
	require.Len(t, res.GetValue(), 2)
	assert.Equal(t, "IkTni9mw7Ee4YefeGpz7IA==", *res.GetValue()[0].GetOnPremisesImmutableId())
	require.NotNil(t, res.GetOdataNextLink())
	next, err := client.Users().WithUrl(*res.GetOdataNextLink()).Get(t.Context(), nil)
	require.NoError(t, err)
	assert.Len(t, next.GetValue(), 1)

	body := models.NewUser()
	body.SetOnPremisesImmutableId(ptr("QF5HMK7n80qvdYsUPIHa9Q=="))
	_, err = client.Users().ByUserId("u-cloud").Patch(t.Context(), body, nil)
	require.NoError(t, err)
	u, _ := srv.User("u-cloud")
	assert.Equal(t, "QF5HMK7n80qvdYsUPIHa9Q==", u.OnPremisesImmutableID)

	_, err = client.Users().ByUserId("u-synced").Patch(t.Context(), body, nil)
	var oe *odataerrors.ODataError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 400, oe.ResponseStatusCode)
	assert.Equal(t, "AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService", *oe.GetErrorEscaped().GetCode())

	org, err := client.Organization().Get(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, org.GetValue(), 1)
	assert.Equal(t, "tenant-1", *org.GetValue()[0].GetId())
}

// TestTypedSDKClientRoles reads the July 2026 inputs that Graph v1.0 has with the typed
// GraphServiceClient: PIM eligibilities, role definitions (v1.0 has no isPrivileged: the SDK's
// v1.0 model has no field for it) and the members of a role-holding group.
func TestTypedSDKClientRoles(t *testing.T) { //nolint:paralleltest // see sdkClient
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	s := seed(now)
	start := now.Add(-time.Hour)
	s.RoleEligibilities = []snapshot.RoleEligibility{{ID: "re-1", PrincipalID: "u-cloud", RoleDefinitionID: "fe930be7-5e62-47db-91af-98c3a49a38b1", DirectoryScopeID: "/", StartDateTime: &start}}
	s.RoleDefinitions = []snapshot.RoleDefinition{{ID: "62e90394-69f5-4237-9190-012177145e10", DisplayName: "Global Administrator", IsBuiltIn: true, IsPrivileged: true}}
	s.GroupMembers = []snapshot.GroupMember{{GroupID: "g-1", MemberID: "u-cloud"}}
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(s), graphxtest.WithClock(func() time.Time { return now }))
	client := sdkClient(t, srv.URL)

	el, err := client.RoleManagement().Directory().RoleEligibilityScheduleInstances().Get(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, el.GetValue(), 1)
	assert.Equal(t, "u-cloud", *el.GetValue()[0].GetPrincipalId())
	assert.Equal(t, "fe930be7-5e62-47db-91af-98c3a49a38b1", *el.GetValue()[0].GetRoleDefinitionId())
	require.NotNil(t, el.GetValue()[0].GetStartDateTime())
	assert.True(t, start.Equal(*el.GetValue()[0].GetStartDateTime()))

	defs, err := client.RoleManagement().Directory().RoleDefinitions().Get(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, defs.GetValue(), 1)
	assert.Equal(t, "Global Administrator", *defs.GetValue()[0].GetDisplayName())
	assert.NotContains(t, defs.GetValue()[0].GetAdditionalData(), "isPrivileged", "v1.0 does not have it")

	members, err := client.Groups().ByGroupId("g-1").Members().Get(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, members.GetValue(), 1)
	_, isUser := members.GetValue()[0].(models.Userable)
	assert.True(t, isUser, "@odata.type makes the SDK build a user")
	assert.Equal(t, "u-cloud", *members.GetValue()[0].GetId())
}

// TestTypedSDKClientDirectory drives the directory requests of the documentation through the
// typed client's own builders: deleted users by type cast, a deleted item with a cast,
// restore, the organization by id, and the sync settings by id.
func TestTypedSDKClientDirectory(t *testing.T) { //nolint:paralleltest // see sdkClient
	now := time.Now()
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(seed(now)))
	client := sdkClient(t, srv.URL)

	deleted, err := client.Directory().DeletedItems().GraphUser().Get(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, deleted.GetValue(), 1)
	assert.Equal(t, "d-recent", *deleted.GetValue()[0].GetId())

	one, err := client.Directory().DeletedItems().ByDirectoryObjectId("d-recent").GraphUser().Get(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, "dee@contoso.example", *one.GetUserPrincipalName())

	restored, err := client.Directory().DeletedItems().ByDirectoryObjectId("d-recent").Restore().Post(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, "d-recent", *restored.GetId())
	_, ok := srv.User("d-recent")
	assert.True(t, ok)

	org, err := client.Organization().ByOrganizationId("tenant-1").Get(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, "Contoso", *org.GetDisplayName())

	sync, err := client.Directory().OnPremisesSynchronization().ByOnPremisesDirectorySynchronizationId("tenant-1").Get(t.Context(), nil)
	require.NoError(t, err)
	require.NotNil(t, sync.GetFeatures())
	assert.True(t, *sync.GetFeatures().GetSoftMatchOnUpnEnabled())
}
