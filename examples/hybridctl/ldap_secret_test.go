package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

// TestLDAPPasswordNeverPrinted: a directory whose bind error echoes the bind request (the
// password, and a terminal escape sequence) makes match fail with a message that holds neither.
func TestLDAPPasswordNeverPrinted(t *testing.T) {
	t.Parallel()
	srv := ldapxtest.StartEchoServer(t)
	_, cl := demoFiles(t)
	const password = "Corp-Bind-Pa55word!"
	vars := map[string]string{
		"HYBRIDCTL_LDAP_BIND_DN":  "CN=svc-sync,CN=Users,DC=corp,DC=example,DC=test",
		"HYBRIDCTL_LDAP_PASSWORD": password,
		"HYBRIDCTL_LDAP_CA_FILE":  srv.CAFile,
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"match", []string{"match", "--onprem", srv.URL, "--cloud", cl}},
		{"match json", []string{"match", "--onprem", srv.URL, "--cloud", cl, "--json"}},
		{"plan", []string{"plan", "--to", "synced", "--onprem", srv.URL, "--cloud", cl, "--all", "-o", t.TempDir() + "/plan.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := runEnv(t, vars, strings.NewReader(""), tc.args...)
			assert.Equal(t, 1, code, errOut)
			assert.NotContains(t, out+errOut, password)
			assert.NotContains(t, out+errOut, "\x1b")
			assert.Contains(t, errOut, "invalidCredentials")
			assert.Contains(t, errOut, "[REDACTED]")
		})
	}
}
