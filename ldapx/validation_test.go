package ldapx_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/validation"
)

func TestValidationObjects(t *testing.T) {
	t.Parallel()
	dir := ldapxtest.NewDirectory()
	c, err := ldapx.New(dir)
	require.NoError(t, err)
	ou := "CN=Users," + dir.BaseDN()
	_, err = c.CreateUser(t.Context(), ldapx.NewUser{OU: ou, CN: "Ann Lee", SAMAccountName: "ann", UserPrincipalName: "ann lee@corp.example.test"})
	require.NoError(t, err)
	require.NoError(t, dir.Add(t.Context(), &ldapx.AddRequest{DN: "CN=Ext," + ou, Attributes: []ldapx.Attribute{
		{Name: "objectClass", Values: [][]byte{[]byte("contact")}},
		{Name: "proxyAddresses", Values: [][]byte{[]byte("SMTP:ext@example.local")}}}}))
	var got []validation.Object
	for o, err := range c.ValidationObjects(t.Context(), dir.BaseDN()) {
		require.NoError(t, err)
		got = append(got, o)
	}
	require.Len(t, got, 2)
	rules := map[validation.RuleID]string{}
	for _, f := range validation.Validate(validation.Config{}, got) {
		rules[f.Rule] = f.DN
	}
	assert.Equal(t, "CN=Ann Lee,"+ou, rules[matching.RuleUPNCharacter])
	assert.Equal(t, "CN=Ext,"+ou, rules[validation.RuleProxySMTPRoutable])
	assert.Equal(t, "Ann Lee", got[0].CN)
}
