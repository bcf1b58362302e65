package graphxtest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

func ExampleNewServer() {
	t := &testing.T{} // in a test, use the test's own t
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(&snapshot.Snapshot{
		Organization: snapshot.Organization{ID: "t1"},
		Users:        []snapshot.User{{ID: "u1", UserPrincipalName: "ann@contoso.example"}},
	}))
	defer srv.Close()
	c, _ := graphx.New(graphx.StaticToken("any"), graphx.WithBaseURL(srv.URL))
	_ = c.SetImmutableID(context.Background(), "u1", "IkTni9mw7Ee4YefeGpz7IA==")
	u, _ := srv.User("u1")
	fmt.Println(u.OnPremisesImmutableID, len(srv.Writes()))
	// Output: IkTni9mw7Ee4YefeGpz7IA== 1
}
