package dn_test

import (
	"strings"
	"testing"

	"github.com/hybridid/hybridid/dn"
)

// FuzzParse: never panics; the canonical text parses to itself, Equal to the original;
// Normalize is idempotent and agrees with Equal; Parent and RDN rebuild the DN.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"CN=a,DC=b", `cn=Lee\, Ann , ou=x`, `CN=\#\ a\ `, "CN=#0a0b", `CN=\c3\a9+UID=é`, "2.5.4.3=x", "CN=a\n", `CN=\ff`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := dn.Parse(s)
		if err != nil {
			if d != (dn.DN{}) {
				t.Fatalf("Parse(%q) failed but returned %v", s, d)
			}
			return
		}
		again, err := dn.Parse(d.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", s, d, err)
		}
		if again != d {
			t.Fatalf("Parse(%q) = %q, parsed again %q", s, d, again)
		}
		if !d.Equal(again) || !dn.Equal(s, d.String()) {
			t.Fatalf("%q not equal to its canonical text %q", s, d)
		}
		if d.Parent().Len() != d.Len()-1 || !d.Parent().Child(d.RDN()).Equal(d) {
			t.Fatalf("Parent/RDN of %q do not rebuild it: %q %q", d, d.Parent(), d.RDN())
		}
		if !d.Within(d) || d.IsUnder(d) || (d.Len() > 1 && !d.IsUnder(d.Parent())) {
			t.Fatalf("Within/IsUnder wrong for %q", d)
		}
		k := d.Normalize()
		nk, err := dn.Parse(k)
		if err != nil || !nk.Equal(d) || nk.Normalize() != k {
			t.Fatalf("Normalize(%q) = %q, not a stable equal DN (%v)", d, k, err)
		}
		if r, err := dn.NewRDN(d.RDN().Type(), d.RDN().Value()); err != nil || (!strings.Contains(d.RDN().String(), "+") && !strings.HasPrefix(d.RDN().Value(), "#") && !r.Equal(d.RDN())) {
			t.Fatalf("NewRDN(%q, %q) = %q, %v; want %q", d.RDN().Type(), d.RDN().Value(), r, err, d.RDN())
		}
	})
}

// FuzzEqual: reflexive, symmetric, consistent with Normalize, and with Within at equal length.
func FuzzEqual(f *testing.F) {
	f.Add("CN=a,DC=b", "cn=A, dc=B")
	f.Add("CN=\u212a", "CN=k")
	f.Add(`CN=\c3\a9`, "CN=É")
	f.Add("x", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !dn.Equal(a, a) || dn.Equal(a, b) != dn.Equal(b, a) {
			t.Fatalf("Equal not reflexive or symmetric on %q, %q", a, b)
		}
		if dn.Equal(a, b) != (dn.Key(a) == dn.Key(b)) {
			t.Fatalf("Equal(%q, %q) = %v but Key gives %q, %q", a, b, dn.Equal(a, b), dn.Key(a), dn.Key(b))
		}
		da, errA := dn.Parse(a)
		db, errB := dn.Parse(b)
		if errA != nil || errB != nil {
			return
		}
		eq := da.Equal(db)
		if eq != (da.Normalize() == db.Normalize()) {
			t.Fatalf("Equal(%q, %q) = %v but Normalize gives %q, %q", a, b, eq, da.Normalize(), db.Normalize())
		}
		if eq != (da.Len() == db.Len() && da.Within(db)) {
			t.Fatalf("Equal(%q, %q) = %v disagrees with Within", a, b, eq)
		}
	})
}

// FuzzEscapeValue: any value escapes to text that parses back to the value.
func FuzzEscapeValue(f *testing.F) {
	for _, s := range []string{"a", " #a, b+c ", "é\xff", "a\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		r, err := dn.NewRDN("CN", v)
		if v == "" {
			if err == nil {
				t.Fatal("NewRDN accepted an empty value")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		d, err := dn.Parse(r.String())
		if err != nil || d.String() != r.String() || d.RDN().Value() != v {
			t.Fatalf("EscapeValue(%q) = %q: parses to %q, %v", v, r, d.RDN().Value(), err)
		}
	})
}
