package validation

import (
	"strings"
	"testing"

	"github.com/hybridid/hybridid/matching"
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

// Strings equal under matching.EqualFold hash alike across the word-at-a-time part: checked on
// upper- and lower-cased spellings of every length.
func FuzzFoldHashWords(f *testing.F) {
	f.Add("Ann.Example@Contoso.COM")
	f.Add("@[`{AZaz")
	f.Add("ÀÉ@x.ORG")
	f.Fuzz(func(t *testing.T, s string) {
		for _, u := range []string{strings.ToUpper(s), strings.ToLower(s), asciiUpper(s)} {
			if matching.EqualFold(s, u) && foldHash(s) != foldHash(u) {
				t.Fatalf("EqualFold(%q, %q) but the hashes differ", s, u)
			}
		}
		if foldHash(s) != foldHash(asciiUpper(s)) {
			t.Fatalf("foldHash(%q) differs from its ASCII upper case", s)
		}
	})
}

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}
