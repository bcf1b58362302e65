package ldif_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
)

func ExampleReadOnPrem() {
	const export = `version: 1

# An ldifde export: binary attributes are Base64.
dn: CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test
objectClass: top
objectClass: person
objectClass: organizationalPerson
objectClass: user
objectGUID:: IkTni9mw7Ee4YefeGpz7IA==
userPrincipalName: ann.lee@contoso.example
proxyAddresses: SMTP:ann.lee@contoso.example
userAccountControl: 512

dn: CN=WS01,OU=Synced,DC=corp,DC=example,DC=test
objectClass: user
objectClass: computer
`
	for rec, err := range ldif.ReadOnPrem(strings.NewReader(export), "corp.ldif", ldif.Mapping{}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rec.Source, rec.Class, rec.ObjectGUID, rec.ObjectGUID.ImmutableID(), rec.Enabled, rec.MailEnabled)
	}
	// Output:
	// corp.ldif:4 user 8be74422-b0d9-47ec-b861-e7de1a9cfb20 IkTni9mw7Ee4YefeGpz7IA== true true
}

func ExampleWriter() {
	w := ldif.NewWriter(os.Stdout)
	rec := matching.OnPrem{
		DN:                "CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test",
		Class:             matching.ClassUser,
		UserPrincipalName: "ann.lee@contoso.example",
		DisplayName:       "Ann Lee",
		Enabled:           true,
	}
	if err := w.WriteOnPrem(&rec); err != nil {
		fmt.Println(err)
	}
	w.Flush()
	// Output:
	// version: 1
	//
	// dn: CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test
	// objectClass: top
	// objectClass: person
	// objectClass: organizationalPerson
	// objectClass: user
	// displayName: Ann Lee
	// userPrincipalName: ann.lee@contoso.example
	// userAccountControl: 512
}

func ExampleReader_errors() {
	const bad = "dn: CN=x,DC=corp\nobjectClass: user\nphoto:< file:///tmp/ann.jpg\n"
	_, err := ldif.NewReader(strings.NewReader(bad), "people.ldif").Next()
	fmt.Println(err)
	// Output:
	// people.ldif:3: photo: URL values ("photo:<") are not supported; export the value inline (ldapsearch -t writes values to files: run it without -t)
}

func ExampleAcceptPartialExport() {
	// An ldapsearch export cut short: no "result:" line, so the search output did not end.
	const cut = "# extended LDIF\n#\n# LDAPv3\n#\n\n# Ann Lee, Synced\ndn: CN=Ann Lee,OU=Synced,DC=corp\ncn: Ann Lee\n\n"
	r := ldif.NewReader(strings.NewReader(cut), "corp.ldif")
	for _, err := range r.All() {
		if err != nil {
			fmt.Println(err)
		}
	}

	// Read anyway, as the user asked: the whole entries, and a warning.
	r = ldif.NewReader(strings.NewReader(cut), "corp.ldif", ldif.AcceptPartialExport(),
		ldif.WithWarnings(func(w ldif.Warning) { fmt.Println("warning:", w) }))
	for e, err := range r.All() {
		fmt.Println(e.DN, err)
	}
	// Output:
	// corp.ldif:9: the input ends without the "# search result" / "result:" lines that ldapsearch writes last, so the search output was cut short; the last complete entry is "CN=Ann Lee,OU=Synced,DC=corp" (line 7)
	// CN=Ann Lee,OU=Synced,DC=corp <nil>
	// warning: corp.ldif:9: the input ends without the "# search result" / "result:" lines that ldapsearch writes last, so the search output was cut short; the last complete entry is "CN=Ann Lee,OU=Synced,DC=corp" (line 7); read as a partial export, as asked
}
