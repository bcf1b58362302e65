package matching

import (
	"strings"
	"testing"
)

// The word-at-a-time part of foldHash folds like EqualFold: any value hashes like its ASCII
// upper and lower case spellings, whatever its length and wherever its non-ASCII bytes are.
func FuzzFoldHashWords(f *testing.F) {
	f.Add("Ann.Example@Contoso.COM")
	f.Add("@[`{AZaz@[`{AZaz@")
	f.Add("ABCDEFGHÀÉ@x.ORG")
	f.Fuzz(func(t *testing.T, s string) {
		for _, u := range []string{asciiCase(s, 'a', 'z', -32), asciiCase(s, 'A', 'Z', 32), strings.ToUpper(s)} {
			if EqualFold(s, u) && foldHash(s) != foldHash(u) {
				t.Fatalf("EqualFold(%q, %q) but the hashes differ", s, u)
			}
		}
		if !EqualFold(s, asciiCase(s, 'a', 'z', -32)) {
			t.Fatalf("EqualFold(%q) differs from its ASCII upper case", s)
		}
	})
}

func asciiCase(s string, lo, hi byte, d int) string {
	b := []byte(s)
	for i, c := range b {
		if lo <= c && c <= hi {
			b[i] = byte(int(c) + d)
		}
	}
	return string(b)
}
