package validation_test

import (
	"fmt"
	"strings"

	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/validation"
)

// Validate an AD export before the first sync: a userPrincipalName with a space, an X500
// address with parentheses (valid), and a duplicate proxy address; then print the fix LDIF.
func Example() {
	export := `dn: CN=Ann Lee,OU=Users,DC=corp,DC=example,DC=com
objectClass: user
sAMAccountName: ann
userPrincipalName: ann lee@corp.example.com
proxyAddresses: SMTP:ann@corp.example.com
proxyAddresses: X500:/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=ann

dn: CN=Bob Ray,OU=Users,DC=corp,DC=example,DC=com
objectClass: user
sAMAccountName: bob
userPrincipalName: bob@corp.example.com
proxyAddresses: SMTP:bob@corp.example.com
proxyAddresses: smtp:ann@corp.example.com

`
	v := validation.New(validation.Config{})
	var findings []validation.Finding
	for o, err := range ldif.ReadObjects(strings.NewReader(export), "export.ldif") {
		if err != nil {
			fmt.Println(err)
			return
		}
		findings = v.Check(findings, &o)
	}
	for _, f := range findings {
		fmt.Printf("%s %s %s %q -> %q\n", f.Rule, f.Severity, f.Consequence, f.Value, f.Suggested)
	}
	fmt.Print(string(validation.AppendFixLDIF(nil, findings)))
	// Output:
	// upn-character error block "ann lee@corp.example.com" -> "annlee@corp.example.com"
	// proxy-duplicate error quarantine "smtp:ann@corp.example.com" -> ""
	// version: 1
	//
	// dn: CN=Ann Lee,OU=Users,DC=corp,DC=example,DC=com
	// changetype: modify
	// replace: userPrincipalName
	// userPrincipalName: annlee@corp.example.com
	// -
	//
	// dn: CN=Bob Ray,OU=Users,DC=corp,DC=example,DC=com
	// changetype: modify
	// delete: proxyAddresses
	// proxyAddresses: smtp:ann@corp.example.com
	// -
}
