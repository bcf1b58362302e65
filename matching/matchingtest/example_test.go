package matchingtest_test

import (
	"fmt"

	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/matching/matchingtest"
)

func ExampleGenerate() {
	d := matchingtest.Generate(1, 1000)
	rep := matching.Evaluate(d.Config, d.Tenant, d.OnPrem, d.Cloud)
	fmt.Println(len(d.OnPrem), len(d.Cloud), d.Config.Scope[0])
	fmt.Println(rep.Summary[matching.Joined] > 500, rep.Summary[matching.HardMatch] > 0, rep.Summary[matching.Blocked] > 0)
	// Output:
	// 1000 1000 OU=Synced,DC=corp,DC=example,DC=test
	// true true true
}
