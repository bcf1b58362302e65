package graphx_test

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// nonStatic is a credential that is not a StaticToken (as DefaultAzureCredential).
type nonStatic struct{}

func (nonStatic) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "real", ExpiresOn: time.Now().Add(time.Hour)}, nil
}
