package ldapxtest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/hybridid/hybridid/conversion"
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

// A directory that is busy for the first modify and then answers normally.
func ExampleFuncs() {
	ctx := context.Background()
	calls := 0
	dir := ldapxtest.NewDirectory(ldapxtest.WithFuncs(ldapxtest.Funcs{
		Modify: func(ctx context.Context, req *ldapx.ModifyRequest, next ldapxtest.ModifyFunc) error {
			if calls++; calls == 1 {
				return &ldapx.ResultError{Code: ldapx.ResultBusy, Message: "try later"}
			}
			return next(ctx, req)
		},
	}))
	c, _ := ldapx.New(dir)
	users := "CN=Users," + dir.BaseDN()
	err := c.ReplaceUPN(ctx, users, "", "a@contoso.example")
	fmt.Println(errors.Is(err, ldapx.ErrThrottled), errors.Is(err, conversion.ErrThrottled))
	fmt.Println(err)
	fmt.Println(c.ReplaceUPN(ctx, users, "", "a@contoso.example"))
	// Output:
	// true true
	// ldapx.ReplaceUPN "CN=Users,DC=corp,DC=example,DC=test": directory busy or unavailable (busy): try later
	// <nil>
}
