package dn_test

import (
	"testing"

	"github.com/hybridid/hybridid/dn"
)

const (
	benchDN    = "CN=Ann Lee 000123,OU=Users,OU=Synced,DC=corp,DC=example,DC=test"
	benchSpace = "CN=Ann Lee 000123, OU=Users, OU=Synced, DC=corp, DC=example, DC=test"
	benchBase  = "OU=Synced,DC=corp,DC=example,DC=test"
)

func TestAllocs(t *testing.T) {
	d := dn.MustParse(benchDN)
	other := dn.MustParse("cn=ann lee 000123,ou=users,ou=synced,dc=CORP,dc=example,dc=test")
	base := dn.MustParse(benchBase)
	tests := []struct {
		name string
		f    func()
	}{
		{"Parse canonical", func() { _, _ = dn.Parse(benchDN) }},
		{"Equal", func() { _ = d.Equal(other) }},
		{"Equal strings", func() { _ = dn.Equal(benchDN, "cn=ann lee 000123,ou=users,ou=synced,dc=CORP,dc=example,dc=test") }},
		{"Within", func() { _ = d.Within(base) }},
		{"IsUnder", func() { _ = d.IsUnder(base) }},
		{"Parent", func() { _ = d.Parent() }},
		{"RDN", func() { _ = d.RDN() }},
		{"Normalize folded", func() { _ = dn.MustParse("cn=a,dc=b").Normalize() }},
		{"EscapeValue plain", func() { _ = dn.EscapeValue("Ann Lee") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, tc.f); n != 0 {
				t.Errorf("%s: %v allocs, want 0", tc.name, n)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for _, in := range []struct{ name, s string }{{"canonical", benchDN}, {"spaces", benchSpace}} {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dn.Parse(in.s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEqual(b *testing.B) {
	d := dn.MustParse(benchDN)
	other := dn.MustParse("cn=ann lee 000123,ou=users,ou=synced,dc=CORP,dc=example,dc=test")
	b.ReportAllocs()
	for b.Loop() {
		if !d.Equal(other) {
			b.Fatal("not equal")
		}
	}
}

func BenchmarkIsUnder(b *testing.B) {
	d := dn.MustParse(benchDN)
	base := dn.MustParse(benchBase)
	b.ReportAllocs()
	for b.Loop() {
		if !d.IsUnder(base) {
			b.Fatal("not under")
		}
	}
}

// BenchmarkParseWithin is matching's scope check per object: parse its DN, test it against an OU.
func BenchmarkParseWithin(b *testing.B) {
	base := dn.MustParse(benchBase)
	b.ReportAllocs()
	for b.Loop() {
		d, err := dn.Parse(benchDN)
		if err != nil || !d.Within(base) {
			b.Fatal("not within")
		}
	}
}
