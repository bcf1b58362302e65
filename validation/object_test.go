package validation_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hybridid/hybridid/validation"
)

// An ObjectBuilder reused for object after object gives what NewObject gives for each: Reset
// forgets everything of the one before.
func TestObjectBuilderReset(t *testing.T) {
	t.Parallel()
	objects := []struct {
		dn    string
		attrs attrs
	}{
		{"CN=Ann,DC=corp", attrs{"objectClass", "user", "objectClass", "computer", "mail", "ann@corp", "objectSid", "\x01",
			"userAccountControl", "514", "userCertificate;binary", "x", "isCriticalSystemObject", "TRUE", "cn", "Ann L"}},
		{"CN=Team,DC=corp", attrs{"objectClass", "group", "proxyAddresses", "SMTP:team@corp", "objectGUID", "short"}},
		{"CN=Bob,DC=corp", attrs{"OBJECTCLASS", "contact", "targetAddress", "SMTP:bob@example.org"}},
		{"CN=Nobody,DC=corp", nil},
	}
	var b validation.ObjectBuilder
	for _, o := range objects {
		b.Reset(o.dn, "test")
		for i := 0; i+1 < len(o.attrs); i += 2 {
			b.Add(o.attrs[i], []string{o.attrs[i+1]})
		}
		assert.Equal(t, object(o.dn, o.attrs), b.Object(), o.dn)
	}
}

// NewObject costs at most the objectSid text: the rest of the record is its caller's strings.
// (Not parallel: testing.AllocsPerRun refuses parallel tests.)
func TestNewObjectAllocations(t *testing.T) {
	sid := "\x01\x05\x00\x00\x00\x00\x00\x05\x15\x00\x00\x00\xdc\xf4\xdc\x3b\x83\x3d\x2b\x46\x82\x8b\xa6\x28\x08\xf6\x05\x00"
	names := []string{"objectClass", "objectGUID", "objectSid", "mail", "proxyAddresses", "userAccountControl"}
	values := [][]string{{"top", "user"}, {"0123456789abcdef"}, {sid}, {"a@b"}, {"SMTP:a@b", "smtp:c@d"}, {"512"}}
	var b validation.ObjectBuilder
	allocs := testing.AllocsPerRun(100, func() {
		b.Reset("CN=a,DC=b", "t:1")
		for i := range names {
			b.Add(names[i], values[i])
		}
		if o := b.Object(); o.ObjectSID == "" || !o.Synced() {
			t.Fatal("not read")
		}
	})
	assert.LessOrEqual(t, allocs, 1.0)
}
