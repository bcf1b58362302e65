package ldif_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/matching/matchingtest"
	"github.com/hybridid/hybridid/validation"
)

const validationLDIF = `version: 1

dn: CN=Ann Lee,OU=Users,DC=corp,DC=example,DC=test
objectClass: user
cn: Ann Lee
sAMAccountName: ann
userPrincipalName: ann@corp.example.test
targetAddress: SMTP:ann@example.org
userCertificate:: AAE=
userCertificate:: AAI=
objectGUID:: c2hvcnQ=

dn: CN=PC1,OU=Computers,DC=corp,DC=example,DC=test
objectClass: user
objectClass: computer

dn: CN=krbtgt,CN=Users,DC=corp,DC=example,DC=test
objectClass: user
sAMAccountName: krbtgt
isCriticalSystemObject: TRUE
`

func TestReadObjects(t *testing.T) {
	t.Parallel()
	var got []validation.Object
	for o, err := range ldif.ReadObjects(strings.NewReader(validationLDIF), "t.ldif") {
		require.NoError(t, err)
		got = append(got, o)
	}
	require.Len(t, got, 2, "the computer is skipped")
	ann := got[0]
	assert.Equal(t, "Ann Lee", ann.CN)
	assert.Equal(t, "SMTP:ann@example.org", ann.TargetAddress)
	assert.Equal(t, 2, ann.Certificates)
	assert.Equal(t, "t.ldif:3", ann.Source)
	assert.Equal(t, []validation.InvalidValue{{Attribute: "objectGUID", Message: "is 5 bytes, not 16"}}, ann.Invalid, "a bad value does not stop the read")
	assert.True(t, got[1].CriticalSystemObject)

	_, err := collectObjects("dn: CN=x\nobjectClass: user\nbad line\n")
	assert.True(t, errors.Is(err, ldif.ErrSyntax), "%v", err)
}

func collectObjects(in string) ([]validation.Object, error) {
	var out []validation.Object
	for o, err := range ldif.ReadObjects(strings.NewReader(in), "f.ldif") {
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

// ReadObjects (the lean scanner) accepts and refuses what Reader does and yields what
// ValidationObject makes of Reader's entries; the records agree with Mapping.OnPrem whenever it
// succeeds.
func FuzzReadObjects(f *testing.F) {
	f.Add(validationLDIF)
	f.Add("dn: CN=a\nobjectClass: group\nproxyAddresses: X500:/o=a (b)/cn=o'c\nproxyAddresses:: c210cDp6b8OrQGEuYg==\n")
	f.Add("dn: CN=a\\0ACNF:1\nobjectClass: contact\nmail: a@b\n\ndn: CN=b\nobjectClass: contact\nmail: A@B\n")
	f.Add("version: 1\ndn: CN=a\nchangetype: add\nobjectClass: user\nuserCertificate;binary:: AA==\nmail;lang-en: x\nMAIL: y\n")
	f.Fuzz(func(t *testing.T, in string) {
		fast, fastErr := collectObjects(in)
		var slow []validation.Object
		var slowErr error
		var entries []ldif.Entry
		for e, err := range ldif.NewReader(strings.NewReader(in), "f.ldif").All() {
			if err != nil {
				slowErr = err
				break
			}
			entries = append(entries, e)
			if o := ldif.ValidationObject(&e); o.Synced() {
				slow = append(slow, o)
			}
		}
		if (fastErr == nil) != (slowErr == nil) {
			t.Fatalf("errors differ: ReadObjects %v, Reader %v", fastErr, slowErr)
		}
		if fastErr != nil && (errors.Is(fastErr, ldif.ErrSyntax) != errors.Is(slowErr, ldif.ErrSyntax) || fastErr.Error() != slowErr.Error()) {
			t.Fatalf("errors differ: ReadObjects %v, Reader %v", fastErr, slowErr)
		}
		require.Equal(t, len(slow), len(fast))
		for i := range slow {
			assert.Equal(t, slow[i], fast[i])
		}
		for i := range entries {
			o := ldif.ValidationObject(&entries[i])
			rec, ok, err := ldif.Mapping{}.OnPrem(&entries[i])
			if err == nil && ok && rec.Class == matching.ClassUnknown {
				// An entry without objectClass is a record with a read error to the engine
				// (outcome error); validation has no class for it and leaves it out.
				continue
			}
			if err == nil && ok && (rec.Class != o.Class || rec.UserPrincipalName != o.UserPrincipalName ||
				rec.ObjectGUID != o.ObjectGUID || rec.ObjectSID != o.ObjectSID || rec.MailEnabled != o.MailEnabled) {
				t.Fatalf("records differ:\nMapping    %+v\nvalidation %+v", rec, o.OnPrem)
			}
			if err == nil && ok != o.Synced() {
				t.Fatalf("Mapping ok=%v but validation synced=%v", ok, o.Synced())
			}
		}
		fs := validation.Validate(validation.Config{}, fast)
		_ = validation.AppendFixLDIF(nil, fs)
	})
}

// BenchmarkReadObjects reads a generated export of 10,000 users and groups.
func BenchmarkReadObjects(b *testing.B) {
	d := matchingtest.Generate(1, 10000)
	var buf bytes.Buffer
	w := ldif.NewWriter(&buf)
	for i := range d.OnPrem {
		require.NoError(b, w.WriteOnPrem(&d.OnPrem[i]))
	}
	require.NoError(b, w.Flush())
	in := buf.Bytes()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range ldif.ReadObjects(bytes.NewReader(in), "bench.ldif") {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != len(d.OnPrem) {
			b.Fatalf("read %d objects, want %d", n, len(d.OnPrem))
		}
	}
}
