package anchor_test

import (
	"encoding/base64"
	"encoding/hex"
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
		raw, hexErr := hex.DecodeString(s)
		if (err == nil) != (hexErr == nil && len(raw) == 16) {
			t.Fatalf("ParseHex(%q) err=%v, encoding/hex err=%v", s, err, hexErr)
		}
		if err == nil && g.Hex() != strings.ToLower(s) {
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
