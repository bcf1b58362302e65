package anchor_test

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/hybridid/hybridid/anchor"
)

func seed(f *testing.F, extra ...string) {
	for _, v := range vectors {
		f.Add(v.guid)
		f.Add(v.immutableID)
		f.Add(v.hex)
		f.Add(v.dn)
		f.Add("{" + strings.ToUpper(v.guid) + "}")
	}
	for _, s := range extra {
		f.Add(s)
	}
	f.Add("")
	f.Add("IkTni9mw7Ee4YefeGpz7I-==")
	f.Add("IkTni9mw7Ee4YefeGpz7IB==")
	f.Add("OGJlNzQ0MjItYjBkOS00N2VjLWI4NjEtZTdkZTFhOWNmYjIw")
	f.Add("22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20")
	f.Add(`\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20`)
	f.Add(cloudUserDN)
}

func FuzzParseGUID(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		g, err := anchor.ParseGUID(s)
		if err != nil {
			if !g.IsZero() {
				t.Fatalf("error with non-zero value for %q", s)
			}
			return
		}
		back, err := anchor.ParseGUID(g.String())
		if err != nil || back != g {
			t.Fatalf("round trip of %q: %v %v", s, back, err)
		}
		canon := strings.ToLower(strings.Trim(s, "{}"))
		if len(canon) == 32 {
			canon = strings.ReplaceAll(g.String(), "-", "")
			if canon != strings.ToLower(s) {
				t.Fatalf("N form %q formats as %q", s, g.String())
			}
		} else if canon != g.String() {
			t.Fatalf("%q formats as %q", s, g.String())
		}
	})
}

// FuzzParseImmutableID checks the parser against the standard library's strict decoder: it
// accepts exactly the 24-character canonical padded Base64 of 16 bytes (a subset of what .NET's
// Convert.FromBase64String accepts plus a 16-byte check), and formats back to its input.
func FuzzParseImmutableID(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		g, err := anchor.ParseImmutableID(s)
		raw, stdErr := base64.StdEncoding.Strict().DecodeString(s)
		wantOK := len(s) == 24 && stdErr == nil && len(raw) == 16
		if (err == nil) != wantOK {
			t.Fatalf("ParseImmutableID(%q) err=%v, strict std decoder err=%v len=%d", s, err, stdErr, len(raw))
		}
		if err != nil {
			return
		}
		if got := g.ImmutableID(); got != s {
			t.Fatalf("round trip %q -> %q", s, got)
		}
		b := g.Bytes()
		if string(b[:]) != string(raw) {
			t.Fatalf("bytes differ for %q", s)
		}
	})
}

func FuzzParseHex(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		g, err := anchor.ParseHex(s)
		// The Attribute Editor's form is the same digits with single spaces between the pairs.
		plain := s
		if len(s) == 47 && strings.Count(s, " ") == 15 {
			spaced := true
			for i := 2; i < len(s); i += 3 {
				spaced = spaced && s[i] == ' '
			}
			if spaced {
				plain = strings.ReplaceAll(s, " ", "")
			}
		}
		raw, hexErr := hex.DecodeString(plain)
		if (err == nil) != (hexErr == nil && len(raw) == 16) {
			t.Fatalf("ParseHex(%q) err=%v, encoding/hex err=%v", s, err, hexErr)
		}
		if err == nil && g.Hex() != strings.ToLower(plain) {
			t.Fatalf("round trip %q -> %q", s, g.Hex())
		}
	})
}

func FuzzParseConnectorDN(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		g, err := anchor.ParseConnectorDN(s)
		if err != nil {
			return
		}
		if !strings.EqualFold(g.ConnectorDN(), s) {
			t.Fatalf("round trip %q -> %q", s, g.ConnectorDN())
		}
		a, err := anchor.ParseConnectorDNAnchor(s)
		if err != nil || a != anchor.AnchorOf(g) {
			t.Fatalf("ParseConnectorDNAnchor(%q) = %v, %v", s, a, err)
		}
	})
}

func FuzzParse(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		g, err := anchor.Parse(s)
		form, ferr := anchor.DetectForm(s)
		if ferr != nil {
			if err == nil {
				t.Fatalf("Parse(%q) succeeded but DetectForm failed: %v", s, ferr)
			}
			return
		}
		g2, err2 := anchor.ParseAs(form, s)
		if g != g2 || (err == nil) != (err2 == nil) {
			t.Fatalf("Parse(%q) disagrees with ParseAs(%v)", s, form)
		}
	})
}

func FuzzBinary(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, 16))
	f.Add([]byte("0123456789abcdef"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var g anchor.ObjectGUID
		err := g.UnmarshalBinary(b)
		if (err == nil) != (len(b) == 0 || len(b) == 16) {
			t.Fatalf("UnmarshalBinary(%x): %v", b, err)
		}
		if err != nil {
			return
		}
		out, _ := g.MarshalBinary()
		if string(out) != string(b) {
			t.Fatalf("round trip %x -> %x", b, out)
		}
		a := anchor.BinaryAnchor(b)
		if len(b) == 16 {
			if back, err := anchor.ParseImmutableID(a.String()); err != nil || back != g {
				t.Fatalf("BinaryAnchor(%x) = %q", b, a)
			}
		}
	})
}

func FuzzParseSourceAnchor(f *testing.F) {
	seed(f, "E1234567", "emp-42", "a$b", "a_b")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := anchor.ParseSourceAnchor(s)
		if err != nil {
			return
		}
		if a.String() != s {
			t.Fatalf("text changed: %q -> %q", s, a.String())
		}
		back, err := anchor.ParseConnectorDNAnchor(a.ConnectorDN())
		if err != nil || back != a {
			t.Fatalf("connector DN round trip of %q: %v, %v", s, back, err)
		}
		_ = a.Diagnose()
		if _, err := anchor.StringAnchor(s); err == nil && strings.ContainsAny(s, "$_@=+/") {
			t.Fatalf("StringAnchor accepted %q", s)
		}
	})
}

// FuzzParseLDAPFilterValue checks that the escaped form parses exactly when it is 16 escaped
// bytes (checked against encoding/hex), and formats back to its input.
func FuzzParseLDAPFilterValue(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		g, err := anchor.ParseLDAPFilterValue(s)
		want := len(s) == 48
		var digits strings.Builder
		for i := 0; want && i < len(s); i += 3 {
			want = s[i] == '\\'
			digits.WriteString(s[i+1 : i+3])
		}
		if want {
			raw, herr := hex.DecodeString(digits.String())
			want = herr == nil && len(raw) == 16
		}
		if (err == nil) != want {
			t.Fatalf("ParseLDAPFilterValue(%q) err=%v, want ok=%v", s, err, want)
		}
		if err == nil && g.LDAPFilterValue() != strings.ToLower(s) {
			t.Fatalf("round trip %q -> %q", s, g.LDAPFilterValue())
		}
		if err != nil && !g.IsZero() {
			t.Fatalf("error with a value for %q", s)
		}
	})
}

// FuzzParseCloudConnectorDN checks the cloud anchor forms round trip: a DN that parses formats
// to a DN that parses to the same value, and its text too.
func FuzzParseCloudConnectorDN(f *testing.F) {
	seed(f, "CN={"+hex.EncodeToString([]byte("group_7C9E6679-7425-40de-944b-e07fc1f90ae7"))+"}", "User_7c9e6679-7425-40de-944b-e07fc1f90ae7")
	f.Fuzz(func(t *testing.T, s string) {
		if c, err := anchor.ParseCloudConnectorDN(s); err == nil {
			// The hex spells the text in the case it was written; the value is canonical.
			if back, err := anchor.ParseCloudConnectorDN(c.ConnectorDN()); err != nil || back != c {
				t.Fatalf("round trip %q -> %q: %v", s, c.ConnectorDN(), err)
			}
			if back, err := anchor.ParseCloudAnchor(c.String()); err != nil || back != c {
				t.Fatalf("text of %q: %v %v", s, back, err)
			}
			if _, err := anchor.ParseConnectorDN(s); !errors.Is(err, anchor.ErrCloudAnchor) {
				t.Fatalf("ParseConnectorDN(%q) = %v, want ErrCloudAnchor", s, err)
			}
		} else if !c.IsZero() {
			t.Fatalf("error with a value for %q", s)
		}
		if c, err := anchor.ParseCloudAnchor(s); err == nil {
			if !strings.EqualFold(c.String(), s) {
				t.Fatalf("round trip %q -> %q", s, c.String())
			}
			if back, err := anchor.ParseCloudConnectorDN(c.ConnectorDN()); err != nil || back != c {
				t.Fatalf("DN of %q: %v %v", s, back, err)
			}
		}
	})
}
