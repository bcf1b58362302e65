package matching

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hybridid/hybridid/dn"
)

// FuzzFoldHash: values EqualFold calls equal hash equally (the indexes rely on it), EqualFold
// is symmetric, and no non-ASCII character folds onto an ASCII one.
func FuzzFoldHash(f *testing.F) {
	for _, s := range [][2]string{{"Ann@Corp.Example", "ann@corp.example"}, {"K", "\u212a"}, {"ß", "ẞ"}, {"\xff", "\ufffd"},
		{"Σσς", "σΣς"}, {"ı", "I"}, {"İ", "i"}, {"ſ", "S"}, {"\xff", "\xfe"}, {"ÅB", "åb"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		eq := EqualFold(a, b)
		if eq && foldHash(a) != foldHash(b) {
			t.Fatalf("EqualFold(%q, %q) but hashes differ", a, b)
		}
		if eq != EqualFold(b, a) {
			t.Fatalf("EqualFold(%q, %q) is not symmetric", a, b)
		}
		if eq && isASCII(a) != isASCII(b) {
			t.Fatalf("EqualFold(%q, %q): an ASCII value equals a non-ASCII one", a, b)
		}
		if eq && !strings.EqualFold(a, b) && utf8.ValidString(a) && utf8.ValidString(b) {
			t.Fatalf("EqualFold(%q, %q) is looser than Unicode simple folding", a, b)
		}
		u := strings.ToUpper(a)
		if isASCII(a) && (!EqualFold(a, u) || foldHash(a) != foldHash(u)) {
			t.Fatalf("upper-casing ASCII %q changed the value or the hash", a)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// FuzzUPN: the UPN check never panics, its fast path agrees with the full rules, and a value
// it accepts is within the documented limits.
func FuzzUPN(f *testing.F) {
	for _, s := range []string{"ann@corp.example.test", "", "a@b", "a b@c", ".a@b", "a..b@c", "a@b..c", "a@@b", "ä@b.c", "a@b_c.d", "a.@b",
		"\u212aelvin@corp.example", "a+b@c.d", "x\xff@y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, upn string) {
		v := CheckUPN(upn)
		if plainUPN(upn) && v != nil {
			t.Fatalf("fast path accepts %q, full rules say %v", upn, v)
		}
		if v == nil {
			at := strings.IndexByte(upn, '@')
			if at <= 0 || utf8.RuneCountInString(upn) > MaxUPNLength || at > MaxUPNPrefixLength || len(upn)-at-1 > MaxUPNDomainLength || upn[at-1] == '.' {
				t.Fatalf("CheckUPN accepts %q", upn)
			}
		}
		_ = mailNicknameOf(&OnPrem{UserPrincipalName: upn, Mail: upn, ProxyAddresses: []string{upn, "smtp:" + upn}})
	})
}

// FuzzScope: the scope check never panics, a DN is in its own scope and its children are too,
// and text that is not a DN is in no scope.
func FuzzScope(f *testing.F) {
	for _, s := range []string{"CN=a,OU=Synced,DC=corp", "cn = a , ou = x", `CN=a\,b,OU=x`, `CN=a\ ,OU=x`, "", " ", `\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, child := newScope([]string{s}).contains(s), newScope([]string{s}).contains("CN=x,"+s)
		if _, err := dn.Parse(s); err != nil {
			if strings.TrimSpace(s) != "" && (in || child) {
				t.Fatalf("%q is not a DN but is in scope (%v, %v)", s, in, child)
			}
			return
		}
		if !in || !child {
			t.Fatalf("%q: own scope %v, child in scope %v", s, in, child)
		}
	})
}

// FuzzDNValueFold: package dn compares DN values with the same folding as EqualFold (the two are
// written separately on purpose: dn stays independent of the engine).
func FuzzDNValueFold(f *testing.F) {
	for _, s := range [][2]string{{"Ann", "ANN"}, {"K", "\u212a"}, {"ß", "ẞ"}, {"ı", "I"}, {"İ", "i"}, {"\xff", "\xff"}, {"#a ", "#A "}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ra, errA := dn.NewRDN("CN", "x"+a)
		rb, errB := dn.NewRDN("CN", "x"+b)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if ra.Equal(rb) != EqualFold(a, b) {
			t.Fatalf("dn says %v, EqualFold says %v for %q, %q", ra.Equal(rb), EqualFold(a, b), a, b)
		}
	})
}
