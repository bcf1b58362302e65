package ldapx

import (
	"testing"

	"github.com/hybridid/hybridid/validation"
)

// The validation record of an entry carries the same matching record as Decode whenever Decode
// succeeds, and never fails or panics itself.
func FuzzValidationObject(f *testing.F) {
	f.Add([]byte("user"), []byte{1, 1, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0}, []byte("512"), make([]byte, 16), []byte("SMTP:a@b.c"))
	f.Add([]byte("group"), []byte{}, []byte("x"), []byte{1}, []byte("x500:/o=a"))
	f.Fuzz(func(t *testing.T, class, sid, uac, guid, proxy []byte) {
		e := Entry{DN: "CN=f,DC=x", Attributes: []Attribute{
			{Name: "objectClass", Values: [][]byte{class}},
			{Name: "objectSid", Values: [][]byte{sid}}, {Name: "userAccountControl", Values: [][]byte{uac}},
			{Name: "objectGUID", Values: [][]byte{guid}}, {Name: "proxyAddresses", Values: [][]byte{proxy, proxy}},
			{Name: "targetAddress", Values: [][]byte{proxy}}, {Name: "userPrincipalName", Values: [][]byte{proxy}},
		}}
		o := ValidationObject(&e, "fuzz")
		r, err := decodeEntry(&e, "fuzz", "")
		if err == nil && (r.Class != o.Class || r.ObjectSID != o.ObjectSID || r.ObjectGUID != o.ObjectGUID ||
			r.Enabled != o.Enabled || r.UserPrincipalName != o.UserPrincipalName || len(r.ProxyAddresses) != len(o.ProxyAddresses)) {
			t.Fatalf("records differ:\nDecode     %+v\nvalidation %+v", r, o.OnPrem)
		}
		fs := validation.Validate(validation.Config{}, []validation.Object{o, o})
		_ = validation.AppendFixLDIF(nil, fs)
	})
}
