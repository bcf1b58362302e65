package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const validateLDIF = `version: 1

dn: CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test
objectClass: user
sAMAccountName: ann
userPrincipalName: ann lee@corp.example.test
mailNickname: .ann
proxyAddresses: SMTP:ann@corp.example.test
proxyAddresses: X500:/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=o'lee

dn: CN=Bob Ray,OU=Synced,DC=corp,DC=example,DC=test
objectClass: user
sAMAccountName: bob
userPrincipalName: bob@corp.local
proxyAddresses: SMTP:bob@corp.example.test
proxyAddresses: smtp:ann@corp.example.test

dn: CN=krbtgt,CN=Users,DC=corp,DC=example,DC=test
objectClass: user
sAMAccountName: krbtgt
isCriticalSystemObject: TRUE
`

type validateJSON struct {
	Findings []struct {
		DN, Attribute, Value, Rule, Severity, Consequence, Fix, Suggested, Message string
	} `json:"findings"`
	Summary map[string]int `json:"summary"`
}

func TestValidate(t *testing.T) {
	t.Parallel()
	in := writeTemp(t, "corp.ldif", validateLDIF)

	t.Run("json, exit 1 when something blocks", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := run(t, "", "validate", "--onprem", in, "--format", "json")
		assert.Equal(t, 1, code, errOut)
		var rep validateJSON
		require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
		rules := map[string]string{}
		for _, f := range rep.Findings {
			rules[f.Rule] = f.Consequence
		}
		assert.Equal(t, map[string]string{"excluded-critical-system-object": "none", "upn-character": "block",
			"mailnickname-leading-period": "block", "upn-non-routable": "rename", "proxy-duplicate": "quarantine"}, rules)
		assert.Equal(t, 3, rep.Summary["objects"])
		assert.Equal(t, 2, rep.Summary["block"])
	})
	t.Run("table", func(t *testing.T) {
		t.Parallel()
		out, _, code := run(t, "", "validate", "--onprem", in)
		assert.Equal(t, 1, code)
		assert.Contains(t, out, "SEVERITY")
		assert.Contains(t, out, "annlee@corp.example.test")
		assert.Contains(t, out, "Summary: 3 objects checked")
		assert.NotContains(t, out, "§")
	})
	t.Run("csv", func(t *testing.T) {
		t.Parallel()
		out, _, _ := run(t, "", "validate", "--onprem", in, "--format", "csv")
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		require.NoError(t, err)
		assert.Equal(t, "dn", rows[0][0])
		assert.Len(t, rows, 6)
	})
	t.Run("fix LDIF", func(t *testing.T) {
		t.Parallel()
		fix := filepath.Join(t.TempDir(), "fix.ldif")
		_, errOut, code := run(t, "", "validate", "--onprem", in, "--fix-ldif", fix, "--format", "json")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "nothing was changed")
		b, err := os.ReadFile(fix)
		require.NoError(t, err)
		assert.Contains(t, string(b), "changetype: modify\nreplace: userPrincipalName\nuserPrincipalName: annlee@corp.example.test\n-\n")
		assert.Contains(t, string(b), "delete: proxyAddresses\nproxyAddresses: smtp:ann@corp.example.test\n-\n")
	})
	t.Run("clean directory exits 0", func(t *testing.T) {
		t.Parallel()
		clean := writeTemp(t, "clean.ldif", "dn: CN=a,DC=x,DC=test\nobjectClass: user\nsAMAccountName: a\nuserPrincipalName: a@example.com\n\n")
		out, _, code := run(t, "", "validate", "--onprem", clean, "--json")
		assert.Equal(t, 0, code)
		assert.Contains(t, out, `"findings": []`)
	})
	t.Run("with the tenant", func(t *testing.T) {
		t.Parallel()
		on, cl := demoFiles(t)
		out, errOut, code := run(t, "", "validate", "--onprem", on, "--cloud", cl, "--scope", demoScope, "--format", "json")
		require.Contains(t, []int{0, 1}, code, errOut)
		var rep validateJSON
		require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
		assert.Positive(t, rep.Summary["objects"])
		for _, f := range rep.Findings {
			assert.NotEqual(t, "upn-non-routable", f.Rule, "with a tenant, suffixes are checked against its domains")
		}
	})
}

func TestValidateUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"validate"},
		{"validate", "--onprem", "x.ldif", "--format", "xml"},
		{"validate", "--onprem", "x.ldif", "extra"},
		{"validate", "--onprem", "x.ldif", "--base", "DC=x"},
	} {
		_, errOut, code := run(t, "", args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Contains(t, errOut, "hybridctl validate:")
	}
	_, errOut, code := run(t, "", "validate", "--onprem", filepath.Join(t.TempDir(), "missing.ldif"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "missing.ldif")
}
