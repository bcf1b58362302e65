package ldapx_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
	"github.com/hybridid/hybridid/ldif"
)

func Example() {
	ctx := context.Background()
	dir := ldapxtest.NewDirectory() // or ldapx.Dial(ctx, "ldaps://dc.corp.example:636", ...)
	c, err := ldapx.New(dir)
	if err != nil {
		panic(err)
	}
	res, err := c.CreateUser(ctx, ldapx.NewUser{
		OU: "CN=Users," + dir.BaseDN(), CN: "Ann Lee", SAMAccountName: "ann",
		UserPrincipalName: "ann@corp.example.test", MailNickname: "ann",
		ProxyAddresses: []string{"SMTP:ann@corp.example.test"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("created", res.DN, "skipped", res.Skipped)

	for r, err := range c.Objects(ctx, dir.BaseDN()) {
		if err != nil {
			panic(err)
		}
		fmt.Println(r.Class, r.UserPrincipalName, "enabled:", r.Enabled, "guid set:", !r.ObjectGUID.IsZero())
	}

	// Stamp the anchor, stating the value we expect to replace (absent).
	g := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	fmt.Println(c.SetConsistencyGUID(ctx, res.DN, anchor.ObjectGUID{}, g))
	found, _ := c.FindByAnchor(ctx, dir.BaseDN(), ldapx.AnchorConsistencyGUID, g)
	fmt.Println(len(found), found[0].ConsistencyGUID.ImmutableID())
	// Output:
	// created CN=Ann Lee,CN=Users,DC=corp,DC=example,DC=test skipped [mailNickname]
	// user ann@corp.example.test enabled: false guid set: true
	// <nil>
	// 1 IkTni9mw7Ee4YefeGpz7IA==
}

func ExampleEscapeFilter() {
	fmt.Println(ldapx.EscapeFilter(`a*(b)\c`))
	// Output:
	// a\2a\28b\29\5cc
}

// The conversion port: objects are named by objectGUID, and every write states the value it
// replaces, so a stale plan fails with conversion.ErrConflict instead of overwriting.
func ExampleClient_Directory() {
	ctx := context.Background()
	fake := ldapxtest.NewDirectory()
	c, _ := ldapx.New(fake)
	dir := c.Directory() // a conversion.Directory
	guid, err := dir.CreateUser(ctx, conversion.NewUser{ParentDN: "CN=Users," + fake.BaseDN(), CN: "Ann Lee",
		SAMAccountName: "ann", UPN: "ann@corp.example.test"})
	if err != nil {
		panic(err)
	}
	err = dir.SetUPN(ctx, guid, "someone.else@corp.example.test", "ann.lee@corp.example.test")
	fmt.Println("stale:", errors.Is(err, conversion.ErrConflict))
	err = dir.SetUPN(ctx, guid, "ann@corp.example.test", "ann.lee@corp.example.test")
	fmt.Println("current:", err)
	u, _ := dir.User(ctx, guid)
	fmt.Println(u.DN, u.UserPrincipalName)
	// Output:
	// stale: true
	// current: <nil>
	// CN=Ann Lee,CN=Users,DC=corp,DC=example,DC=test ann.lee@corp.example.test
}

func ExampleClient_Export() {
	ctx := context.Background()
	fake := ldapxtest.NewDirectory()
	c, _ := ldapx.New(fake)
	_, _ = c.CreateUser(ctx, ldapx.NewUser{OU: "CN=Users," + fake.BaseDN(), CN: "Ann Lee", SAMAccountName: "ann",
		UserPrincipalName: "ann@corp.example.test"})
	var out bytes.Buffer
	if err := c.Export(ctx, &out, fake.BaseDN()); err != nil {
		panic(err)
	}
	for r, err := range ldif.ReadOnPrem(&out, "export.ldif", ldif.Mapping{}) {
		fmt.Println(r.Class, r.UserPrincipalName, err)
	}
	// Output:
	// user ann@corp.example.test <nil>
}
