package dn_test

import (
	"fmt"

	"github.com/hybridid/hybridid/dn"
)

func Example() {
	d, err := dn.Parse(`CN=Lee\2C Ann, OU=Staff,DC=corp,DC=example`)
	if err != nil {
		panic(err)
	}
	scope := dn.MustParse("ou=staff,dc=CORP,dc=example")
	fmt.Println(d)
	fmt.Println(d.RDN().Value(), "|", d.Parent())
	fmt.Println(d.Within(scope), d.Parent().Equal(scope), d.Parent().IsUnder(scope))

	r, _ := dn.NewRDN("CN", "#1 Lee, Ann")
	fmt.Println(scope.Child(r))

	_, err = dn.Parse("CN=a;DC=b")
	fmt.Println(err)
	// Output:
	// CN=Lee\, Ann,OU=Staff,DC=corp,DC=example
	// Lee, Ann | OU=Staff,DC=corp,DC=example
	// true true false
	// CN=\#1 Lee\, Ann,ou=staff,dc=CORP,dc=example
	// dn.Parse("CN=a;DC=b"): syntax error: unescaped ';' at offset 4
}
