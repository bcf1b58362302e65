package syncsim_test

import (
	"context"
	"fmt"
	"time"

	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/internal/syncsim"
	"github.com/hybridid/hybridid/snapshot"
)

func Example() {
	tenant, onprem, cloud := conversiontest.Population(2, time.Now())
	fake, _ := graphxtest.New(graphxtest.WithSeed(snapshot.FromRecords(tenant, cloud)))
	sim := &syncsim.Sim{Source: syncsim.Users(onprem[0]), Tenant: fake} // user 1 left AD
	c, _ := sim.Run(context.Background())
	fmt.Println(c.Outcome(onprem[0].DN).Outcome, c.Deleted(cloud[1].ID))
	// Output: joined true
}
