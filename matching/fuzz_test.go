package matching

import (
	"strings"
	"testing"
)

// FuzzFoldHash: values equal under simple case folding hash equally (the indexes rely on it).
func FuzzFoldHash(f *testing.F) {
	for _, s := range [][2]string{{"Ann@Corp.Example", "ann@corp.example"}, {"K", "\u212a"}, {"ß", "ẞ"}, {"\xff", "\ufffd"}, {"Σσς", "σΣς"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if strings.EqualFold(a, b) && foldHash(a) != foldHash(b) {
			t.Fatalf("EqualFold(%q, %q) but hashes differ", a, b)
		}
		if foldHash(a) != foldHash(strings.ToUpper(a)) && strings.EqualFold(a, strings.ToUpper(a)) {
			t.Fatalf("upper-casing %q changed the hash", a)
		}
	})
}

// FuzzUPN: the UPN check never panics and its fast path agrees with the full rules.
func FuzzUPN(f *testing.F) {
	for _, s := range []string{"ann@corp.example.test", "", "a@b", "a b@c", ".a@b", "a..b@c", "a@b..c", "a@@b", "ä@b.c", "a@b_c.d", "a.@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, upn string) {
		p := upnProblem(upn)
		if asciiUPNOK(upn) && p != "" {
			t.Fatalf("fast path accepts %q, full rules say %s", upn, p)
		}
		_ = mailNicknameOf(&OnPrem{UserPrincipalName: upn, Mail: upn, ProxyAddresses: []string{upn, "smtp:" + upn}})
	})
}

// FuzzScope: DN normalisation never panics, is idempotent, and a DN is always in its own scope.
func FuzzScope(f *testing.F) {
	for _, s := range []string{"CN=a,OU=Synced,DC=corp", "cn = a , ou = x", `CN=a\,b,OU=x`, `CN=a\ ,OU=x`, "", " ", `\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dn string) {
		n := normDN(dn)
		if normDN(n) != n {
			t.Fatalf("normDN not idempotent: %q -> %q -> %q", dn, n, normDN(n))
		}
		if n != "" && !newScope([]string{dn}).contains(dn) {
			t.Fatalf("%q is not in its own scope", dn)
		}
		_ = newScope([]string{dn}).contains("CN=x," + dn)
	})
}
