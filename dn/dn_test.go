package dn_test

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/dn"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		n              int
	}{
		{"canonical", "CN=Ann Lee,OU=Staff,DC=corp,DC=example", "CN=Ann Lee,OU=Staff,DC=corp,DC=example", 4},
		{"spaces after commas", "CN=Ann Lee, OU=Staff, DC=corp", "CN=Ann Lee,OU=Staff,DC=corp", 3},
		{"spaces around = and ends", "  cn = Ann ,ou= x  ", "cn=Ann,ou=x", 2},
		{"escaped comma", `CN=Lee\, Ann,OU=x`, `CN=Lee\, Ann,OU=x`, 2},
		{"hex comma", `CN=Lee\2C Ann,OU=x`, `CN=Lee\, Ann,OU=x`, 2},
		{"all specials", `CN=a\,\+\"\\\<\>\;\=\#b`, `CN=a\,\+\"\\\<\>\;\=#b`, 1},
		{"unescaped = in value", `CN=a=b`, `CN=a\=b`, 1},
		{"leading hash escaped", `CN=\#1`, `CN=\#1`, 1},
		{"leading and trailing spaces escaped", `CN=\ a\ `, `CN=\ a\ `, 1},
		{"escaped inner space", `CN=a\ b`, `CN=a b`, 1},
		{"escaped trailing space then spaces", `CN=a\  ,DC=x`, `CN=a\ ,DC=x`, 2},
		{"hex value", "CN=#04024869,DC=x", "CN=#04024869,DC=x", 2},
		{"hex value lower case", "CN=#0a0b", "CN=#0A0B", 1},
		{"utf8 as hex escapes", `CN=Andr\C3\A9`, "CN=André", 1},
		{"utf8 literal", "CN=André,OU=Müller", "CN=André,OU=Müller", 2},
		{"invalid utf8 escape kept", `CN=a\FF`, `CN=a\FF`, 1},
		{"invalid utf8 escape lower", `CN=a\ff`, `CN=a\FF`, 1},
		{"control character", "CN=a\nb", `CN=a\0Ab`, 1},
		{"multi-valued sorted", "UID=x+CN=y,DC=z", "CN=y+UID=x,DC=z", 2},
		{"multi-valued already sorted", "cn=y + uid=x", "cn=y+uid=x", 1},
		{"numeric oid", "2.5.4.3=x", "2.5.4.3=x", 1},
		{"hyphen type", "msDS-x=y", "msDS-x=y", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := dn.Parse(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, d.String())
			assert.Equal(t, tc.n, d.Len())
			again, err := dn.Parse(d.String())
			require.NoError(t, err)
			assert.Equal(t, d, again, "canonical text parses to itself")
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", dn.ErrEmpty},
		{"spaces", "   ", dn.ErrEmpty},
		{"trailing comma", "CN=a,", dn.ErrEmpty},
		{"empty rdn", "CN=a,,DC=x", dn.ErrEmpty},
		{"empty value", "CN=,DC=x", dn.ErrEmpty},
		{"empty multi", "CN=a+,DC=x", dn.ErrEmpty},
		{"no equals", "CN", dn.ErrSyntax},
		{"bad type", "C N=a", dn.ErrSyntax},
		{"type starts with hyphen", "-a=b", dn.ErrType},
		{"oid leading zero", "2.05.4=a", dn.ErrType},
		{"oid with letter", "2.5x=a", dn.ErrType},
		{"oid prefix", "OID.2.5.4.3=a", dn.ErrSyntax},
		{"semicolon separator", "CN=a;DC=x", dn.ErrSyntax},
		{"quoted value", `CN="a"`, dn.ErrSyntax},
		{"angle", "CN=a<b", dn.ErrSyntax},
		{"nul", "CN=a\x00", dn.ErrSyntax},
		{"bad escape", `CN=a\x`, dn.ErrEscape},
		{"half hex escape", `CN=a\4`, dn.ErrEscape},
		{"trailing backslash", `CN=a\`, dn.ErrEscape},
		{"invalid utf8", "CN=a\xff", dn.ErrSyntax},
		{"odd hex", "CN=#123", dn.ErrSyntax},
		{"hex then text", "CN=#12zz", dn.ErrSyntax},
		{"bare hash", "CN=#", dn.ErrSyntax},
		{"type twice", "CN=a+cn=b", dn.ErrSyntax},
		{"extended dn", "<GUID=1234>", dn.ErrType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := dn.Parse(tc.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			var pe *dn.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "Parse", pe.Func)
			assert.Equal(t, tc.in, pe.Input)
			assert.Contains(t, err.Error(), "dn.Parse(")
		})
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, a, b string
		want       bool
	}{
		{"case", "CN=Ann,OU=Staff,DC=corp", "cn=ann,ou=STAFF,dc=CORP", true},
		{"spaces", "CN=Ann, OU=Staff", "CN=Ann,OU=Staff", true},
		{"escape forms", `CN=Lee\, Ann`, `CN=Lee\2c Ann`, true},
		{"inner space matters", "CN=Ann Lee", "CN=Ann  Lee", false},
		{"escaped trailing space matters", `CN=Ann\ `, "CN=Ann", false},
		{"non-ascii case", "CN=ÉLODIE", "CN=élodie", true},
		{"kelvin is not k", "CN=\u212a", "CN=k", false},
		{"long s is not s", "CN=\u017f", "CN=S", false},
		{"dotless i is not i", "CN=\u0131", "CN=I", false},
		{"dotted capital I is not i", "CN=\u0130", "CN=i", false},
		{"multi-valued as a set", "CN=a+UID=b", "uid=B+cn=A", true},
		{"oid is not name", "2.5.4.3=a", "CN=a", false},
		{"hex is not string", "CN=#0401", `CN=\#0401`, false},
		{"different length", "CN=a,DC=x", "CN=a", false},
		{"unparsable identical", "garbage", "garbage", true},
		{"unparsable differs in case", "garbage", "GARBAGE", false},
		{"one unparsable", "CN=a", "CN=a;", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, dn.Equal(tc.a, tc.b))
			assert.Equal(t, tc.want, dn.Equal(tc.b, tc.a))
			da, errA := dn.Parse(tc.a)
			db, errB := dn.Parse(tc.b)
			if errA == nil && errB == nil {
				assert.Equal(t, tc.want, da.Normalize() == db.Normalize(), "Normalize agrees with Equal")
			}
		})
	}
}

func TestWithinIsUnder(t *testing.T) {
	t.Parallel()
	base := dn.MustParse("OU=Synced,DC=corp,DC=example")
	tests := []struct {
		name, d       string
		within, under bool
	}{
		{"the OU itself", "ou=synced, dc=CORP,dc=example", true, false},
		{"child", "CN=Ann,OU=Synced,DC=corp,DC=example", true, true},
		{"grandchild", "CN=Ann,OU=Users,OU=Synced,DC=corp,DC=example", true, true},
		{"sibling", "CN=Ann,OU=Other,DC=corp,DC=example", false, false},
		{"suffix inside a value", "CN=Ann,OU=NotSynced,DC=corp,DC=example", false, false},
		{"escaped comma is not a boundary", `CN=Ann\,OU=Synced,DC=corp,DC=example`, false, false},
		{"parent", "DC=corp,DC=example", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := dn.MustParse(tc.d)
			assert.Equal(t, tc.within, d.Within(base))
			assert.Equal(t, tc.under, d.IsUnder(base))
		})
	}
	assert.False(t, base.Within(dn.DN{}), "nothing is within the zero DN")
	assert.False(t, base.IsUnder(dn.DN{}), "nothing is under the zero DN")
}

func TestParentRDNChild(t *testing.T) {
	t.Parallel()
	d := dn.MustParse(`CN=Lee\, Ann, OU=Staff,DC=corp`)
	assert.Equal(t, "OU=Staff,DC=corp", d.Parent().String())
	assert.Equal(t, 2, d.Parent().Len())
	assert.Equal(t, `CN=Lee\, Ann`, d.RDN().String())
	assert.Equal(t, "CN", d.RDN().Type())
	assert.Equal(t, "Lee, Ann", d.RDN().Value())
	assert.True(t, d.Parent().Parent().Parent().IsZero())
	assert.True(t, dn.DN{}.Parent().IsZero())
	assert.True(t, dn.DN{}.RDN().IsZero())

	r, err := dn.NewRDN("CN", ` #Lee, "Ann" <a+b>;=\ `)
	require.NoError(t, err)
	assert.Equal(t, `CN=\ #Lee\, \"Ann\" \<a\+b\>\;\=\\\ `, r.String())
	assert.Equal(t, ` #Lee, "Ann" <a+b>;=\ `, r.Value())
	c := d.Parent().Child(r)
	assert.Equal(t, 3, c.Len())
	again, err := dn.Parse(c.String())
	require.NoError(t, err)
	assert.True(t, again.Equal(c))
	assert.True(t, c.Parent().Equal(d.Parent()))
	assert.Equal(t, "CN=x", dn.DN{}.Child(dn.RDN{}).Child(mustRDN(t, "CN", "x")).String())

	_, err = dn.NewRDN("C N", "x")
	assert.ErrorIs(t, err, dn.ErrType)
	_, err = dn.NewRDN("CN", "")
	assert.ErrorIs(t, err, dn.ErrEmpty)
	multi := dn.MustParse("UID=b+CN=a").RDN()
	assert.Equal(t, "CN", multi.Type())
	assert.Equal(t, "a", multi.Value())
}

func mustRDN(t *testing.T, typ, v string) dn.RDN {
	t.Helper()
	r, err := dn.NewRDN(typ, v)
	require.NoError(t, err)
	return r
}

func TestEscapeValue(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Ann Lee", "Ann Lee"},
		{`Lee, Ann "A" + B`, `Lee\, Ann \"A\" \+ B`},
		{"#1", `\#1`},
		{"a#", "a#"},
		{" ", `\ `},
		{"  ", `\ \ `},
		{"a\x00b", `a\00b`},
		{"é\xff", `é\FF`},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got := dn.EscapeValue(tc.in)
			assert.Equal(t, tc.want, got)
			if tc.in != "" {
				d, err := dn.Parse("CN=" + got)
				require.NoError(t, err)
				assert.Equal(t, "CN="+got, d.String(), "EscapeValue writes canonical text")
				assert.Equal(t, tc.in, d.RDN().Value())
			}
		})
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	var d dn.DN
	require.NoError(t, d.UnmarshalText([]byte("cn=a, dc=b")))
	b, err := d.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "cn=a,dc=b", string(b))
	b, err = d.AppendText([]byte("x:"))
	require.NoError(t, err)
	assert.Equal(t, "x:cn=a,dc=b", string(b))
	require.NoError(t, d.UnmarshalText(nil))
	assert.True(t, d.IsZero())
	assert.Error(t, d.UnmarshalText([]byte(",")))
}

// TestFoldClasses checks over every rune that the folding is the documented one and that
// Normalize's key agrees with it: two single-character values are Equal exactly when they are
// the same ASCII letter up to case, or both non-ASCII with the same unicode.ToUpper.
func TestFoldClasses(t *testing.T) {
	t.Parallel()
	byKey := map[string][]rune{}
	for r := rune(0x20); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) || unicode.IsControl(r) {
			continue
		}
		d, err := dn.Parse("CN=" + dn.EscapeValue("x"+string(r)))
		require.NoError(t, err, "%U", r)
		k := d.Normalize()
		byKey[k] = append(byKey[k], r)
	}
	want := func(a, b rune) bool {
		switch {
		case a < utf8.RuneSelf && b < utf8.RuneSelf:
			return unicode.ToLower(a) == unicode.ToLower(b) && (a|0x20 >= 'a' && a|0x20 <= 'z' || a == b)
		case a < utf8.RuneSelf || b < utf8.RuneSelf:
			return false
		}
		return unicode.ToUpper(a) == unicode.ToUpper(b)
	}
	upper := map[rune][]rune{}
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if utf8.ValidRune(r) && !unicode.IsControl(r) {
			upper[unicode.ToUpper(r)] = append(upper[unicode.ToUpper(r)], r)
		}
	}
	for _, class := range byKey {
		for _, r := range class[1:] {
			assert.True(t, want(class[0], r), "%U and %U share a key but differ", class[0], r)
		}
	}
	for _, class := range upper {
		a := dn.MustParse("CN=x" + string(class[0]))
		for _, r := range class[1:] {
			assert.True(t, a.Equal(dn.MustParse("CN=x"+string(r))), "%U and %U should be equal", class[0], r)
			assert.Equal(t, a.Normalize(), dn.MustParse("CN=x"+string(r)).Normalize(), "%U and %U should share a key", class[0], r)
		}
	}
}
