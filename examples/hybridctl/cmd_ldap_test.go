package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

func TestMain(m *testing.M) { ldapxtest.SambaMain(m) }

// TestMatchLiveSamba reads a real Samba AD DC through `match --onprem ldaps://…`, with verified
// TLS against the test CA (docs/cli.md: bind and CA from the environment).
func TestMatchLiveSamba(t *testing.T) {
	dc := ldapxtest.StartSamba(t)
	vars := map[string]string{
		"HYBRIDCTL_LDAP_BIND_DN":  dc.BindDN,
		"HYBRIDCTL_LDAP_PASSWORD": dc.Password,
		"HYBRIDCTL_LDAP_CA_FILE":  dc.CAFile,
	}
	tenant := filepath.Join("demodata", "tenant.json")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"ldaps from the domain root", []string{"match", "--onprem", dc.URL, "--cloud", tenant, "--json"}},
		{"starttls under a base", []string{"match", "--onprem", dc.StartTLSURL, "--base", "CN=Users," + dc.BaseDN, "--cloud", tenant, "--json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runEnv(t, vars, strings.NewReader(""), tc.args...)
			require.Equal(t, 0, code, errOut)
			assert.NotContains(t, out+errOut, dc.Password, "the password is never printed")
			var rep struct {
				Objects []struct {
					Side, DN, Outcome string
				} `json:"objects"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &rep))
			found := false
			for _, o := range rep.Objects {
				if o.Side == "onprem" && strings.EqualFold(o.DN, "CN=Administrator,CN=Users,"+dc.BaseDN) {
					found = true
					assert.NotEmpty(t, o.Outcome)
				}
			}
			assert.True(t, found, "the Administrator account was read from the DC")
		})
	}

	t.Run("wrong CA is refused", func(t *testing.T) {
		other := map[string]string{"HYBRIDCTL_LDAP_BIND_DN": dc.BindDN, "HYBRIDCTL_LDAP_PASSWORD": dc.Password}
		_, errOut, code := runEnv(t, other, strings.NewReader(""), "match", "--onprem", dc.URL, "--cloud", tenant)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "certificate")
		assert.NotContains(t, errOut, dc.Password)
	})
}
