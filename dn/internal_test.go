package dn

import "testing"

// FuzzPlainLen: Parse's fast path accepts only text the full parser also gives back unchanged.
func FuzzPlainLen(f *testing.F) {
	for _, s := range []string{"CN=a,DC=b", "CN=a ,DC=b", "CN= a", "CN=#a", "CN=a#", "2.5.4.3=x", "CN=a=b", "CN=a+OU=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := plainLen(s)
		if n == 0 {
			return
		}
		p := parser{fn: "Parse", in: s}
		got, m, err := p.dn()
		if err != nil || got != s || m != n || p.out != nil {
			t.Fatalf("plainLen(%q) = %d, parser gives %q, %d, %v", s, n, got, m, err)
		}
	})
}
