package hybridid_test

import (
	"fmt"

	"github.com/hybridid/hybridid/anchor"
)

// The ImmutableID to hard-match a cloud user to an AD user is the Base64 of the AD user's
// objectGUID bytes in wire order, not of its text and not of the RFC 4122 byte order.
func Example() {
	g, err := anchor.ParseGUID("35918bc9-196d-40ea-9779-889d79b753f0")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("set onPremisesImmutableId to", g.ImmutableID())
	fmt.Println(anchor.CheckImmutableID("NZGLyRltQOqXeYidebdT8A==", g) != nil)
	// Output:
	// set onPremisesImmutableId to yYuRNW0Z6kCXeYidebdT8A==
	// true
}
