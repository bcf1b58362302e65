package ldif

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/validation"
)

// refEntry makes the Entry of r.raw the plain way: a string per value, added with Entry.Add.
func refEntry(r *Reader) Entry {
	e := Entry{DN: string(r.raw.dn()), Source: r.name + ":" + strconv.Itoa(r.raw.line)}
	for _, a := range r.raw.attrs {
		e.Add(a.name, string(r.raw.vals[a.start:a.end]))
	}
	return e
}

// FuzzView checks view against refEntry on arbitrary input: the Entry Next returns is the
// plain one, and the records made from the reused, filtered views (ReadObjects, Reader.OnPrem)
// are those made from the plain entries, also once later entries have reused the views.
func FuzzView(f *testing.F) {
	f.Add("dn: CN=a\nobjectClass: user\nmail: a@b\nMAIL: c@d\nmail;lang-en: x\nproxyAddresses: SMTP:a@b\n", "", false, false)
	f.Add("dn: CN=a\nobjectClass: group\nobjectGUID:: IkTni9mw7Ee4YefeGpz7IA==\nproxyAddresses: smtp:x@y\n\n"+
		"dn: CN=b\nobjectClass: contact\nproxyAddresses: SMTP:b@c\nuserCertificate;binary:: AA==\n", "employeeID", false, false)
	f.Add("dn: CN=x\nobjectClass: user\nobjectSid:: AQUAAAAAAAUVAAAA3PTcO4M9K0aCi6YoAAIAAA==\nuserAccountControl: 2\nemployeeID: 7\n", "EMPLOYEEID", true, true)
	f.Add("dn: CN=y\nmember;range=0-1: a\nMember: b\ncn: y\n\ndn: CN=z\nobjectClass: user\n", "cn", false, true)
	f.Fuzz(func(t *testing.T, in, custom string, binary, partial bool) {
		m := Mapping{CustomAnchor: custom, CustomAnchorBinary: binary}
		var opts []Option
		if partial {
			opts = append(opts, AcceptPartialExport())
		}
		r := NewReader(strings.NewReader(in), "f.ldif", opts...)
		vc := &classifier{classify: validationUse}
		mc := &classifier{classify: m.use}
		var (
			ve, me          Entry
			gotObj, wantObj []validation.Object
			gotRec, wantRec []matching.OnPrem
			gotOK, wantOK   []bool
			gotEntry, plain []Entry
		)
		for r.readRaw() == nil {
			want := refEntry(r)
			var got Entry
			r.view(&got, nil)
			require.Equal(t, want, got)
			gotEntry, plain = append(gotEntry, got), append(plain, want)

			r.view(&ve, vc)
			gotObj, wantObj = append(gotObj, ValidationObject(&ve)), append(wantObj, ValidationObject(&want))
			r.view(&me, mc)
			rec, ok, err := m.OnPrem(&me)
			require.NoError(t, err)
			gotRec, gotOK = append(gotRec, rec), append(gotOK, ok)
			rec, ok, err = m.OnPrem(&want)
			require.NoError(t, err)
			wantRec, wantOK = append(wantRec, rec), append(wantOK, ok)
		}
		assert.Equal(t, plain, gotEntry)
		assert.Equal(t, wantObj, gotObj)
		assert.Equal(t, wantRec, gotRec)
		assert.Equal(t, wantOK, gotOK)
		// An Entry of Next is the caller's own: adding to one attribute leaves the others be.
		for i := range gotEntry {
			e := &gotEntry[i]
			before := plain[i].Attrs
			for _, a := range e.Attrs {
				e.Add(a.Name, "added")
			}
			for j := range before {
				require.Equal(t, append(append([]string(nil), before[j].Values...), "added"), e.Attrs[j].Values)
			}
		}
	})
}

// TestViewAllocations checks the point of view: a record costs a few allocations, whatever
// the number of attributes and values of its entry.
// (Not parallel: testing.AllocsPerRun refuses parallel tests.)
func TestViewAllocations(t *testing.T) {
	const entry = "dn: CN=user1,OU=Users,DC=corp,DC=example,DC=test\nobjectClass: top\nobjectClass: person\n" +
		"objectClass: organizationalPerson\nobjectClass: user\ndisplayName: User 1\ngivenName: User\nsn: 1\n" +
		"objectGUID:: t1id0XUVQp8S+WLuY8ScxA==\nmS-DS-ConsistencyGuid:: t1id0XUVQp8S+WLuY8ScxA==\n" +
		"objectSid:: AQUAAAAAAAUVAAAA3PTcO4M9K0aCi6YoCPYFAA==\nsAMAccountName: user1\n" +
		"userPrincipalName: user1@corp.example.test\nmail: user1@corp.example.test\nmailNickname: user1\n" +
		"proxyAddresses: SMTP:user1@corp.example.test\nproxyAddresses: smtp:user1@mail.corp.example.test\n" +
		"userAccountControl: 512\ndescription: not read\nwhenCreated: 20260101000000.0Z\n\n"
	in := bytes.Repeat([]byte(entry), 200)
	vc, mc := &classifier{classify: validationUse}, &classifier{classify: Mapping{}.use}
	tests := []struct {
		name string
		read func(r *Reader, e *Entry) bool
		max  float64
	}{
		// The DN, Source and kept values in one string; the converted ones in another; the
		// proxyAddresses slice; the objectSid text.
		{"validation", func(r *Reader, e *Entry) bool {
			if r.readRaw() != nil {
				return false
			}
			r.view(e, vc)
			o := ValidationObject(e)
			return o.Synced()
		}, 4},
		{"matching", func(r *Reader, e *Entry) bool {
			if r.readRaw() != nil {
				return false
			}
			r.view(e, mc)
			_, ok, _ := Mapping{}.OnPrem(e)
			return ok
		}, 4},
		// One string, one slice of values, one of attributes.
		{"entry", func(r *Reader, e *Entry) bool {
			if r.readRaw() != nil {
				return false
			}
			r.view(e, nil)
			return len(e.Attrs) > 0
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(in), "a.ldif")
			var e Entry
			require.True(t, tt.read(r, &e)) // the reader's buffers are made
			allocs := testing.AllocsPerRun(100, func() {
				if !tt.read(r, &e) {
					t.Fatal("no record")
				}
			})
			assert.LessOrEqual(t, allocs, tt.max)
		})
	}
}
