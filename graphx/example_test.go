package graphx_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

func Example() {
	// An in-process fake tenant; against Microsoft Graph use azidentity credentials and the
	// default base URL: graphx.New(cred).
	on := true
	fake, _ := graphxtest.New(graphxtest.WithSeed(&snapshot.Snapshot{
		Organization: snapshot.Organization{ID: "t1"},
		Users: []snapshot.User{
			{ID: "u1", UserPrincipalName: "ann@contoso.example", OnPremisesImmutableID: "IkTni9mw7Ee4YefeGpz7IA==", OnPremisesSyncEnabled: &on},
			{ID: "u2", UserPrincipalName: "bob@contoso.example"},
		},
	}))
	c, _ := graphx.New(graphx.StaticToken("any"), graphx.WithBaseURL("http://localhost/v1.0"),
		graphx.WithHTTPClient(&http.Client{Transport: fake.Transport()}))
	ctx := context.Background()

	for u, err := range c.Users(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s anchor=%q\n", u.UserPrincipalName, u.OnPremisesImmutableID)
	}
	err := c.SetImmutableID(ctx, "u1", "yYuRNW0Z6kCXeYidebdT8A==")
	fmt.Println(errors.Is(err, graphx.ErrReadOnly))
	fmt.Println(c.SetImmutableID(ctx, "u2", "yYuRNW0Z6kCXeYidebdT8A=="))
	// Output:
	// ann@contoso.example anchor="IkTni9mw7Ee4YefeGpz7IA=="
	// bob@contoso.example anchor=""
	// true
	// <nil>
}
