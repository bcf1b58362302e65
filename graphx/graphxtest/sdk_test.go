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
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
)

// staticAuth is a kiota AuthenticationProvider with a fixed bearer token.
type staticAuth struct{}

func (staticAuth) AuthenticateRequest(_ context.Context, ri *abs.RequestInformation, _ map[string]any) error {
	ri.Headers.Add("Authorization", "Bearer sdk-test")
	return nil
}

var _ absauth.AuthenticationProvider = staticAuth{}

// TestTypedSDKClient drives the fake with msgraph-sdk-go's own typed GraphServiceClient, to
// show the fake speaks what the generated SDK sends and parses.
func TestTypedSDKClient(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(seed(now)), graphxtest.WithClock(func() time.Time { return now }))
	adapter, err := msgraphsdk.NewGraphRequestAdapter(staticAuth{})
	require.NoError(t, err)
	adapter.SetBaseUrl(srv.URL)
	client := msgraphsdk.NewGraphServiceClient(adapter)

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
