package ldapxtest_test

import (
	"context"
	"fmt"

	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

func ExampleNewDirectory() {
	ctx := context.Background()
	dir := ldapxtest.NewDirectory()
	err := dir.Add(ctx, &ldapx.AddRequest{DN: "CN=x,CN=Users," + dir.BaseDN(), Attributes: []ldapx.Attribute{
		{Name: "objectClass", Values: [][]byte{[]byte("user")}},
		{Name: "sAMAccountName", Values: [][]byte{[]byte("x")}},
		{Name: "mailNickname", Values: [][]byte{[]byte("x")}},
	}})
	fmt.Println(err)
	// Output:
	// LDAP undefinedAttributeType: attribute 'mailNickname' was not found in the schema
}
