package ldapx_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
)

func TestExport(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := ldapxtest.NewDirectory(ldapxtest.WithExchangeSchema())
	c, err := ldapx.New(dir)
	require.NoError(t, err)
	ou := "CN=Users," + dir.BaseDN()
	for _, u := range []ldapx.NewUser{
		{OU: ou, CN: "Ann Lee", SAMAccountName: "ann", UserPrincipalName: "ann@corp.example.test", MailNickname: "ann",
			ProxyAddresses: []string{"SMTP:ann@corp.example.test", "smtp:a@corp.example.test"}, Mail: "ann@corp.example.test",
			GivenName: "Ann", Surname: "Lee", DisplayName: "Ann Lee", ConsistencyGUID: anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")},
		{OU: ou, CN: `Odd, "Name" é`, SAMAccountName: "odd", UserPrincipalName: " lead@corp.example.test", DisplayName: "Zoë: <x>"},
	} {
		_, err := c.CreateUser(ctx, u)
		require.NoError(t, err)
	}
	for _, a := range []*ldapx.AddRequest{
		{DN: "CN=Staff," + ou, Attributes: []ldapx.Attribute{{Name: "objectClass", Values: [][]byte{[]byte("group")}},
			{Name: "sAMAccountName", Values: [][]byte{[]byte("staff")}}, {Name: "mail", Values: [][]byte{[]byte("staff@corp.example.test")}}}},
		{DN: "CN=Ext," + ou, Attributes: []ldapx.Attribute{{Name: "objectClass", Values: [][]byte{[]byte("contact")}},
			{Name: "mail", Values: [][]byte{[]byte("ext@example.org")}}}},
	} {
		require.NoError(t, dir.Add(ctx, a))
	}
	exportRoundTrip(t, c, dir.BaseDN(), 4)

	t.Run("error", func(t *testing.T) {
		t.Parallel()
		fail := errors.New("boom")
		bad, err := ldapx.New(ldapxtest.NewDirectory(ldapxtest.WithFuncs(ldapxtest.Funcs{
			Search: func(context.Context, *ldapx.SearchRequest, ldapxtest.SearchFunc) (*ldapx.SearchPage, error) {
				return nil, fail
			},
		})))
		require.NoError(t, err)
		var buf bytes.Buffer
		assert.Error(t, bad.Export(t.Context(), &buf, ldapxtest.DefaultBaseDN))
	})
}

// exportRoundTrip checks that ldif.ReadOnPrem of c.Export gives exactly the records of c.Objects.
func exportRoundTrip(t *testing.T, c *ldapx.Client, base string, atLeast int) {
	t.Helper()
	var want []matching.OnPrem
	for r, err := range c.Objects(t.Context(), base) {
		require.NoError(t, err)
		r.Source = ""
		want = append(want, r)
	}
	require.GreaterOrEqual(t, len(want), atLeast)
	var buf bytes.Buffer
	require.NoError(t, c.Export(t.Context(), &buf, base))
	var got []matching.OnPrem
	for r, err := range ldif.ReadOnPrem(&buf, "export.ldif", ldif.Mapping{}) {
		require.NoError(t, err)
		r.Source = ""
		got = append(got, r)
	}
	assert.Equal(t, want, got)
}
