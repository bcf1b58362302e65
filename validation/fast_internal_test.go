package validation

import (
	"strings"
	"testing"
)

// conflictNameSlow is conflictName without its fast path.
func conflictNameSlow(s string) bool {
	for {
		i := strings.Index(s, "CNF:")
		if i < 0 {
			return false
		}
		if i >= 1 && s[i-1] == '\n' || i >= 3 && s[i-3] == '\\' && s[i-2] == '0' && (s[i-1] == 'A' || s[i-1] == 'a') {
			return true
		}
		s = s[i+4:]
	}
}

// The fast paths of addressCharProblem and conflictName agree with the general code.
func FuzzFastPaths(f *testing.F) {
	f.Add("ann@example.com")
	f.Add("an n@exa(mple).com")
	f.Add("ann\x7f@example.com")
	f.Add("jösé@example.com")
	f.Add("a\u00a0b@x")
	f.Add("CN=x\\0ACNF:1234,DC=a")
	f.Add("CN=x\nCNF:1234")
	f.Fuzz(func(t *testing.T, s string) {
		for _, invalid := range []string{proxyInvalid, targetInvalid} {
			if got, want := addressCharProblem(s, invalid), addressCharProblemRunes(s, invalid); got != want {
				t.Fatalf("addressCharProblem(%q, %q) = %q, the rune loop says %q", s, invalid, got, want)
			}
		}
		if got, want := conflictName(s), conflictNameSlow(s); got != want {
			t.Fatalf("conflictName(%q) = %v, want %v", s, got, want)
		}
	})
}
