package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

// TestValidateLiveSamba seeds a Samba AD DC with values IdFix and Entra refuse, validates the
// directory live (verified TLS against the test CA), applies the fix LDIF with ldapmodify, and
// validates again: nothing is left.
func TestValidateLiveSamba(t *testing.T) {
	dc := ldapxtest.StartSamba(t)
	ldapmodify, err := exec.LookPath("ldapmodify")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ldapmodify (ldap-utils) is missing")
		}
		t.Skip("ldapmodify (ldap-utils) is missing")
	}
	ctx := t.Context()
	conn, err := ldapx.DialConn(ctx, dc.URL, ldapx.WithCAFile(dc.CAFile), ldapx.WithSimpleBind(dc.BindDN, dc.Password))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	c, err := ldapx.New(conn)
	require.NoError(t, err)

	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	tag := hex.EncodeToString(rnd[:])
	ou := "OU=validate" + tag + "," + dc.BaseDN
	require.NoError(t, conn.Add(ctx, &ldapx.AddRequest{DN: ou, Attributes: []ldapx.Attribute{
		{Name: "objectClass", Values: [][]byte{[]byte("top"), []byte("organizationalUnit")}},
		{Name: "ou", Values: [][]byte{[]byte("validate" + tag)}},
	}}))
	addr := func(name string) string { return name + "." + tag + "@contoso.example" }
	for _, u := range []ldapx.NewUser{
		// IdFix userPrincipalName: invalid characters (a space) and umlauts.
		{CN: "Ann Lee", SAMAccountName: "ann" + tag, UserPrincipalName: "ann lee." + tag + "@contoso.example",
			ProxyAddresses: []string{"SMTP:" + addr("ann")}},
		{CN: "Zoe Roe", SAMAccountName: "zoe" + tag, UserPrincipalName: addr("zoë")},
		// Microsoft 365: the name may not end with a period.
		{CN: "Bob Ray", SAMAccountName: "bob" + tag, UserPrincipalName: "bob." + tag + ".@contoso.example"},
		// IdFix proxyAddresses: whitespace; a second primary SMTP:; a duplicate of Ann's address.
		{CN: "Cy Ra", SAMAccountName: "cy" + tag, UserPrincipalName: addr("cy"),
			ProxyAddresses: []string{"SMTP:" + addr("cy"), "smtp:cy ra." + tag + "@contoso.example", "SMTP:" + addr("cyra"), "smtp:" + addr("ann")}},
		// An X500 value with parentheses and an apostrophe is valid.
		{CN: "Dee O'Hara", SAMAccountName: "dee" + tag, UserPrincipalName: addr("dee"),
			ProxyAddresses: []string{"SMTP:" + addr("dee"), "X500:/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=o'hara" + tag}},
	} {
		u.OU = ou
		_, err := c.CreateUser(ctx, u)
		require.NoError(t, err, "creating %s", u.CN)
	}

	vars := map[string]string{
		"HYBRIDCTL_LDAP_BIND_DN":  dc.BindDN,
		"HYBRIDCTL_LDAP_PASSWORD": dc.Password,
		"HYBRIDCTL_LDAP_CA_FILE":  dc.CAFile,
	}
	fix := filepath.Join(t.TempDir(), "fix.ldif")
	out, errOut, code := runEnv(t, vars, strings.NewReader(""), "validate", "--onprem", dc.URL, "--base", ou, "--format", "json", "--fix-ldif", fix)
	require.Equal(t, 1, code, "something blocks: %s", errOut)
	assert.NotContains(t, out+errOut, dc.Password, "the password is never printed")
	var rep validateJSON
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	got := map[string]int{}
	for _, f := range rep.Findings {
		got[f.Rule]++
	}
	assert.Equal(t, map[string]int{"upn-character": 2, "upn-dot-before-at": 1, "proxy-character": 1, "proxy-multiple-primary": 1,
		"proxy-duplicate": 1}, got, "%+v", rep.Findings)
	assert.Equal(t, 5, rep.Summary["objects"])

	pw := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pw, []byte(dc.Password), 0o600))
	cmd := exec.CommandContext(ctx, ldapmodify, "-H", dc.URL, "-x", "-D", dc.BindDN, "-y", pw, "-f", fix)
	cmd.Env = append(os.Environ(), "LDAPTLS_CACERT="+dc.CAFile, "LDAPTLS_REQCERT=demand")
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "ldapmodify: %s", b)

	out, errOut, code = runEnv(t, vars, strings.NewReader(""), "validate", "--onprem", dc.URL, "--base", ou, "--format", "json")
	require.Equal(t, 0, code, errOut)
	rep = validateJSON{}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Empty(t, rep.Findings, "the fixes leave nothing to report")

	// The raw attributes only validation reads come over LDAP too: krbtgt is a critical
	// system object, which IdFix leaves out.
	out, errOut, _ = runEnv(t, vars, strings.NewReader(""), "validate", "--onprem", dc.URL, "--base", "CN=Users,"+dc.BaseDN, "--format", "json")
	rep = validateJSON{}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), errOut)
	critical := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule == "excluded-critical-system-object" {
			critical[strings.ToLower(f.DN)] = true
		}
	}
	assert.True(t, critical[strings.ToLower("CN=krbtgt,CN=Users,"+dc.BaseDN)], "%+v", rep.Findings)
}
