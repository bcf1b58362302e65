package graphxtest_test

import (
	"context"
	"errors"
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

// ExampleFuncs injects a fault per operation: the first PATCH of a user is made and then its
// answer is lost, so graphx reports the outcome as unknown and does not resend it.
func ExampleFuncs() {
	t := &testing.T{} // in a test, use the test's own t
	lost := false
	srv := graphxtest.NewServer(t, graphxtest.WithSeed(&snapshot.Snapshot{
		Organization: snapshot.Organization{ID: "t1"},
		Users:        []snapshot.User{{ID: "u1", UserPrincipalName: "ann@contoso.example"}},
	}), graphxtest.WithFuncs(graphxtest.Funcs{
		UpdateUser: func(ctx context.Context, req *graphxtest.Request, next graphxtest.Handler) (*graphxtest.Response, error) {
			resp, err := next(ctx, req)
			if err == nil && !lost {
				lost = true
				return nil, &graphxtest.Fault{Drop: true}
			}
			return resp, err
		},
	}))
	defer srv.Close()
	c, _ := graphx.New(graphx.StaticToken("any"), graphx.WithBaseURL(srv.URL))
	err := c.SetImmutableID(context.Background(), "u1", "IkTni9mw7Ee4YefeGpz7IA==")
	u, _ := srv.User("u1")
	fmt.Println(errors.Is(err, graphx.ErrOutcomeUnknown), u.OnPremisesImmutableID, len(srv.Writes()))
	// Output: true IkTni9mw7Ee4YefeGpz7IA== 1
}
