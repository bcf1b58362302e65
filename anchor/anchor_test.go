package anchor_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
)

// vector is one GUID written in every form.
type vector struct {
	name        string
	source      string // the docs/entra-rules.md section the vector comes from
	guid        string
	immutableID string
	hex         string
	dn          string
	filter      string
}

var vectors = []vector{
	{
		name:        "dotnet ToByteArray example",
		source:      "docs/entra-rules.md §1.3 (Guid.ToByteArray)",
		guid:        "35918bc9-196d-40ea-9779-889d79b753f0",
		immutableID: "yYuRNW0Z6kCXeYidebdT8A==",
		hex:         "c98b91356d19ea409779889d79b753f0",
		dn:          "CN={795975524E57305A366B4358655969646562645438413D3D}",
		filter:      `\c9\8b\91\35\6d\19\ea\40\97\79\88\9d\79\b7\53\f0`,
	},
	{
		name:        "ADSyncTools round trip",
		source:      "docs/entra-rules.md §1.3 [ADSYNCTOOLS]",
		guid:        "88666888-0101-1111-bbbb-1234567890ab",
		immutableID: "iGhmiAEBERG7uxI0VniQqw==",
		hex:         "8868668801011111bbbb1234567890ab",
		dn:          "CN={6947686D694145424552473775784930566E695171773D3D}",
		filter:      `\88\68\66\88\01\01\11\11\bb\bb\12\34\56\78\90\ab`,
	},
	{
		name:        "ADSyncTools connector DN",
		source:      "docs/entra-rules.md §1.2 [ADSYNCTOOLS]",
		guid:        "30475e40-e7ae-4af3-af75-8b143c81daf5",
		immutableID: "QF5HMK7n80qvdYsUPIHa9Q==",
		hex:         "405e4730aee7f34aaf758b143c81daf5",
		dn:          "CN={514635484D4B376E38307176645973555049486139513D3D}",
		filter:      `\40\5e\47\30\ae\e7\f3\4a\af\75\8b\14\3c\81\da\f5`,
	},
	{
		name:        "cli spec example",
		source:      "docs/cli.md (the anchor forms table)",
		guid:        "8be74422-b0d9-47ec-b861-e7de1a9cfb20",
		immutableID: "IkTni9mw7Ee4YefeGpz7IA==",
		hex:         "2244e78bd9b0ec47b861e7de1a9cfb20",
		dn:          "CN={496B546E69396D77374565345965666547707A3749413D3D}",
		filter:      `\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20`,
	},
	{
		name:        "nil GUID is present, not absent",
		source:      "the zero value means absent (package doc)",
		guid:        "00000000-0000-0000-0000-000000000000",
		immutableID: "AAAAAAAAAAAAAAAAAAAAAA==",
		hex:         "00000000000000000000000000000000",
		dn:          "CN={414141414141414141414141414141414141414141413D3D}",
		filter:      `\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00`,
	},
}

func TestVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			g, err := anchor.ParseGUID(v.guid)
			require.NoError(t, err, v.source)
			assert.Equal(t, v.guid, g.String())
			assert.Equal(t, v.immutableID, g.ImmutableID())
			assert.Equal(t, v.hex, g.Hex())
			assert.Equal(t, v.dn, g.ConnectorDN())
			assert.Equal(t, v.filter, g.LDAPFilterValue())
			assert.False(t, g.IsZero())

			raw, err := base64.StdEncoding.DecodeString(v.immutableID)
			require.NoError(t, err)
			fromBytes, err := anchor.FromBytes(raw)
			require.NoError(t, err)
			assert.Equal(t, g, fromBytes, "raw LDAP bytes are the wire order")

			for _, tc := range []struct {
				form anchor.Form
				in   string
			}{
				{anchor.FormGUID, v.guid},
				{anchor.FormImmutableID, v.immutableID},
				{anchor.FormHex, v.hex},
				{anchor.FormConnectorDN, v.dn},
			} {
				got, err := anchor.ParseAs(tc.form, tc.in)
				require.NoError(t, err, "%s %q", tc.form, tc.in)
				assert.Equal(t, g, got, "%s %q", tc.form, tc.in)
				if tc.form != anchor.FormHex {
					got, err = anchor.Parse(tc.in)
					require.NoError(t, err, "auto %q", tc.in)
					assert.Equal(t, g, got, "auto %q", tc.in)
				}
			}
		})
	}
}

func TestParseGUIDForms(t *testing.T) {
	t.Parallel()
	want := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	for _, in := range []string{
		"8BE74422-B0D9-47EC-B861-E7DE1A9CFB20",
		"{8be74422-b0d9-47ec-b861-e7de1a9cfb20}",
		"{8Be74422-b0d9-47eC-b861-e7de1a9cfb20}",
		"8be74422b0d947ecb861e7de1a9cfb20",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			got, err := anchor.ParseGUID(in)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		parse   func(string) (anchor.ObjectGUID, error)
		in      string
		want    error
		message string
	}{
		{"guid short", anchor.ParseGUID, "8be74422-b0d9-47ec-b861-e7de1a9cfb2", anchor.ErrLength,
			`anchor.ParseGUID("8be74422-b0d9-47ec-b861-e7de1a9cfb2"): invalid length 35 (want 36 with dashes, 38 in braces, or 32 hex digits)`},
		{"guid bad digit", anchor.ParseGUID, "8be74422-b0d9-47ec-b861-e7de1a9cfbzz", anchor.ErrSyntax,
			`anchor.ParseGUID("8be74422-b0d9-47ec-b861-e7de1a9cfbzz"): invalid hex digit 'z' at offset 34`},
		{"guid dash misplaced", anchor.ParseGUID, "8be74422b-0d9-47ec-b861-e7de1a9cfb20", anchor.ErrSyntax,
			`anchor.ParseGUID("8be74422b-0d9-47ec-b861-e7de1a9cfb20"): want '-' at offset 8, found 'b'`},
		{"guid one brace", anchor.ParseGUID, "{8be74422-b0d9-47ec-b861-e7de1a9cfb20x", anchor.ErrSyntax, ""},
		{"guid parens", anchor.ParseGUID, "(8be74422-b0d9-47ec-b861-e7de1a9cfb20)", anchor.ErrSyntax, ""},
		{"guid empty", anchor.ParseGUID, "", anchor.ErrEmpty, `anchor.ParseGUID(""): empty input`},
		{"guid sign in hex", anchor.ParseGUID, "+be74422-b0d9-47ec-b861-e7de1a9cfb20", anchor.ErrSyntax, ""},
		{"immutableid url-safe", anchor.ParseImmutableID, "IkTni9mw7Ee4YefeGpz7I-==", anchor.ErrSyntax,
			`anchor.ParseImmutableID("IkTni9mw7Ee4YefeGpz7I-=="): URL-safe Base64 character '-' at offset 21 (the ImmutableID uses the standard alphabet with '+' and '/')`},
		{"immutableid url-safe underscore", anchor.ParseImmutableID, "_kTni9mw7Ee4YefeGpz7IA==", anchor.ErrSyntax, ""},
		{"immutableid no padding", anchor.ParseImmutableID, "IkTni9mw7Ee4YefeGpz7IA", anchor.ErrLength, ""},
		{"immutableid padding replaced", anchor.ParseImmutableID, "IkTni9mw7Ee4YefeGpz7IAAA", anchor.ErrSyntax, ""},
		{"immutableid one pad char", anchor.ParseImmutableID, "IkTni9mw7Ee4YefeGpz7IAA=", anchor.ErrSyntax, ""},
		{"immutableid whitespace inside", anchor.ParseImmutableID, "IkTni9mw7Ee4 efeGpz7IA==", anchor.ErrSyntax, ""},
		{"immutableid trailing newline", anchor.ParseImmutableID, "IkTni9mw7Ee4YefeGpz7IA==\n", anchor.ErrSyntax, ""},
		{"immutableid leading space", anchor.ParseImmutableID, " IkTni9mw7Ee4YefeGpz7IA==", anchor.ErrSyntax, ""},
		{"immutableid non-canonical bits", anchor.ParseImmutableID, "IkTni9mw7Ee4YefeGpz7IB==", anchor.ErrSyntax, ""},
		{"immutableid 12 bytes", anchor.ParseImmutableID, "AAAAAAAAAAAAAAAA", anchor.ErrLength,
			`anchor.ParseImmutableID("AAAAAAAAAAAAAAAA"): decodes to 12 bytes (want 16); a custom sourceAnchor is not an objectGUID`},
		{"immutableid of guid text", anchor.ParseImmutableID, "OGJlNzQ0MjItYjBkOS00N2VjLWI4NjEtZTdkZTFhOWNmYjIw", anchor.ErrGUIDText,
			`anchor.ParseImmutableID("OGJlNzQ0MjItYjBkOS00N2VjLWI4NjEtZTdkZTFhOWNmYjIw"): Base64 of the GUID text "8be74422-b0d9-47ec-b861-e7de1a9cfb20" instead of its 16 bytes; the ImmutableID of that GUID is IkTni9mw7Ee4YefeGpz7IA==`},
		{"immutableid of utf16 guid text", anchor.ParseImmutableID,
			base64.StdEncoding.EncodeToString(utf16le("{8be74422-b0d9-47ec-b861-e7de1a9cfb20}")), anchor.ErrGUIDText, ""},
		{"immutableid empty", anchor.ParseImmutableID, "", anchor.ErrEmpty, ""},
		{"hex short", anchor.ParseHex, "2244e78bd9b0ec47b861e7de1a9cfb2", anchor.ErrLength, ""},
		{"hex bad digit", anchor.ParseHex, "2244e78bd9b0ec47b861e7de1a9cfbg0", anchor.ErrSyntax,
			`anchor.ParseHex("2244e78bd9b0ec47b861e7de1a9cfbg0"): invalid hex digit 'g' at offset 30`},
		{"hex with backslashes", anchor.ParseHex, `\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20`, anchor.ErrLength, ""},
		{"dn no braces", anchor.ParseConnectorDN, "CN=496B546E69396D7737456534596566654770", anchor.ErrSyntax, ""},
		{"dn short", anchor.ParseConnectorDN, "CN={496B}", anchor.ErrLength, ""},
		{"dn not an immutableid", anchor.ParseConnectorDN, "CN={414141414141414141414141414141414141414141414141}", anchor.ErrSyntax, ""},
		{"dn bad hex", anchor.ParseConnectorDN, "CN={496B546E69396D7737456534596566654770Z83749413D3D}", anchor.ErrSyntax, ""},
		{"auto ambiguous", anchor.Parse, "2244e78bd9b0ec47b861e7de1a9cfb20", anchor.ErrAmbiguous,
			`anchor.Parse("2244e78bd9b0ec47b861e7de1a9cfb20"): 32 hex digits are either wire-order hex or a GUID without dashes (text order); parse with ParseHex or ParseGUID`},
		{"auto garbage", anchor.Parse, "hello world", anchor.ErrLength, ""},
		{"auto empty", anchor.Parse, "", anchor.ErrEmpty, ""},
		{"auto bad guid", anchor.Parse, "8be74422-b0d9-47ec-b861", anchor.ErrLength, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, err := tc.parse(tc.in)
			require.Error(t, err)
			assert.True(t, g.IsZero(), "a failed parse returns the zero value")
			assert.ErrorIs(t, err, tc.want)
			var pe *anchor.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.in, pe.Input)
			if tc.message != "" {
				assert.Equal(t, tc.message, err.Error())
			}
		})
	}
}

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

func TestFromBytes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 15, 17, 32} {
		_, err := anchor.FromBytes(make([]byte, n))
		assert.ErrorIs(t, err, anchor.ErrLength, "%d bytes", n)
	}
	g, err := anchor.FromBytes(make([]byte, 16))
	require.NoError(t, err)
	assert.False(t, g.IsZero())
}

func TestRFCOrder(t *testing.T) {
	t.Parallel()
	g := anchor.MustParse("35918bc9-196d-40ea-9779-889d79b753f0")
	rfc := g.RFCBytes()
	assert.Equal(t, "NZGLyRltQOqXeYidebdT8A==", base64.StdEncoding.EncodeToString(rfc[:]),
		"docs/entra-rules.md §1.3: the wrong (big-endian) value")
	assert.Equal(t, g, anchor.FromRFCBytes(rfc))
}

func TestCheckImmutableID(t *testing.T) {
	t.Parallel()
	g := anchor.MustParse("35918bc9-196d-40ea-9779-889d79b753f0")
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"correct", "yYuRNW0Z6kCXeYidebdT8A==", nil},
		{"big-endian bytes", "NZGLyRltQOqXeYidebdT8A==", anchor.ErrByteOrder},
		{"guid text", base64.StdEncoding.EncodeToString([]byte(g.String())), anchor.ErrGUIDText},
		{"other guid", "IkTni9mw7Ee4YefeGpz7IA==", anchor.ErrMismatch},
		{"malformed", "not base64", anchor.ErrLength},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := anchor.CheckImmutableID(tc.in, g)
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.want)
			if !errors.Is(tc.want, anchor.ErrLength) {
				assert.Contains(t, err.Error(), "yYuRNW0Z6kCXeYidebdT8A==", "the message names the correct value")
			}
		})
	}
}

func TestZeroValue(t *testing.T) {
	t.Parallel()
	var g anchor.ObjectGUID
	assert.True(t, g.IsZero())
	for _, s := range []string{g.String(), g.ImmutableID(), g.Hex(), g.ConnectorDN(), g.LDAPFilterValue()} {
		assert.Empty(t, s)
	}
	text, err := g.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, text)
	bin, err := g.MarshalBinary()
	require.NoError(t, err)
	assert.Empty(t, bin)

	var back anchor.ObjectGUID
	require.NoError(t, back.UnmarshalText(nil))
	assert.True(t, back.IsZero())
	require.NoError(t, back.UnmarshalBinary(nil))
	assert.True(t, back.IsZero())

	nilGUID := anchor.MustParse("00000000-0000-0000-0000-000000000000")
	assert.NotEqual(t, g, nilGUID)
	assert.Equal(t, -1, g.Compare(nilGUID))
	assert.Equal(t, 1, nilGUID.Compare(g))
	assert.Equal(t, 0, g.Compare(anchor.ObjectGUID{}))
}

func TestCompare(t *testing.T) {
	t.Parallel()
	a := anchor.MustParse("00000100-0000-0000-0000-000000000000") // wire 00 01 00 00 …
	b := anchor.MustParse("00000001-0000-0000-0000-000000000000") // wire 01 00 00 00 …
	assert.Equal(t, -1, a.Compare(b), "wire order: Data1's low byte comes first")
	assert.Equal(t, 1, b.Compare(a))
	assert.Equal(t, 0, a.Compare(a))
}

func TestMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	for _, v := range vectors {
		g := anchor.MustParse(v.guid)
		text, err := g.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, v.guid, string(text))
		var back anchor.ObjectGUID
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, g, back)

		bin, err := g.MarshalBinary()
		require.NoError(t, err)
		assert.Len(t, bin, 16)
		back = anchor.ObjectGUID{}
		require.NoError(t, back.UnmarshalBinary(bin))
		assert.Equal(t, g, back)

		app, err := g.AppendText([]byte("x="))
		require.NoError(t, err)
		assert.Equal(t, "x="+v.guid, string(app))
	}
	var g anchor.ObjectGUID
	assert.ErrorIs(t, g.UnmarshalText([]byte("nope")), anchor.ErrLength)
	assert.ErrorIs(t, g.UnmarshalBinary([]byte{1, 2}), anchor.ErrLength)
}

func TestDetectForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want anchor.Form
	}{
		{"8be74422-b0d9-47ec-b861-e7de1a9cfb20", anchor.FormGUID},
		{"{8be74422-b0d9-47ec-b861-e7de1a9cfb20}", anchor.FormGUID},
		{"IkTni9mw7Ee4YefeGpz7IA==", anchor.FormImmutableID},
		{"cn={496B}", anchor.FormConnectorDN},
		{"2244e78bd9b0ec47b861e7de1a9cfb", anchor.FormHex},
		{"deadbeefdeadbeefdeadbeef", anchor.FormImmutableID},
	}
	for _, tc := range tests {
		got, err := anchor.DetectForm(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestForm(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"auto", "guid", "immutableid", "hex", "dn", "ldapfilter", "GUID", "ImmutableID"} {
		var f anchor.Form
		require.NoError(t, f.UnmarshalText([]byte(name)), name)
		text, err := f.MarshalText()
		require.NoError(t, err)
		assert.True(t, len(text) > 0)
	}
	_, err := anchor.ParseForm("base64")
	assert.ErrorIs(t, err, anchor.ErrSyntax)
	_, err = anchor.ParseAs(anchor.FormLDAPFilter, "x")
	assert.ErrorIs(t, err, anchor.ErrLength)
	_, err = anchor.ParseAs(anchor.Form(99), "x")
	assert.ErrorIs(t, err, anchor.ErrSyntax)
	assert.Equal(t, "Form(99)", anchor.Form(99).String())
}

func TestLongInputIsTruncatedInMessage(t *testing.T) {
	t.Parallel()
	long := make([]byte, 1000)
	for i := range long {
		long[i] = 'a'
	}
	_, err := anchor.ParseGUID(string(long))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 200)
	var pe *anchor.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Len(t, pe.Input, 1000, "the field keeps the whole input")
}

func TestAllocations(t *testing.T) {
	// Not parallel: AllocsPerRun is disturbed by other goroutines allocating.
	g := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	buf := make([]byte, 0, 128)
	cloudUser, err := anchor.ParseCloudAnchor("User_7c9e6679-7425-40de-944b-e07fc1f90ae7")
	require.NoError(t, err)
	checks := map[string]func(){
		"ParseGUID":               func() { _, _ = anchor.ParseGUID("8be74422-b0d9-47ec-b861-e7de1a9cfb20") },
		"ParseImmutableID":        func() { _, _ = anchor.ParseImmutableID("IkTni9mw7Ee4YefeGpz7IA==") },
		"ParseHex":                func() { _, _ = anchor.ParseHex("2244e78bd9b0ec47b861e7de1a9cfb20") },
		"ParseConnectorDN":        func() { _, _ = anchor.ParseConnectorDN("CN={496B546E69396D77374565345965666547707A3749413D3D}") },
		"Parse":                   func() { _, _ = anchor.Parse("IkTni9mw7Ee4YefeGpz7IA==") },
		"ParseHex spaced":         func() { _, _ = anchor.ParseHex("22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20") },
		"ParseLDAPFilterValue":    func() { _, _ = anchor.ParseLDAPFilterValue(`\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20`) },
		"Parse spaced hex":        func() { _, _ = anchor.Parse("22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20") },
		"Parse filter value":      func() { _, _ = anchor.Parse(`\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20`) },
		"ParseCloudConnectorDN":   func() { _, _ = anchor.ParseCloudConnectorDN(cloudUserDN) },
		"ParseCloudAnchor":        func() { _, _ = anchor.ParseCloudAnchor("User_7c9e6679-7425-40de-944b-e07fc1f90ae7") },
		"Cloud AppendConnectorDN": func() { buf = cloudUser.AppendConnectorDN(buf[:0]) },
		"Cloud AppendObjectID":    func() { buf = cloudUser.AppendObjectID(buf[:0]) },
		"Cloud AppendText":        func() { buf, _ = cloudUser.AppendText(buf[:0]) },
		"AppendGUID":              func() { buf = g.AppendGUID(buf[:0]) },
		"AppendImmutableID":       func() { buf = g.AppendImmutableID(buf[:0]) },
		"AppendHex":               func() { buf = g.AppendHex(buf[:0]) },
		"AppendConnectorDN":       func() { buf = g.AppendConnectorDN(buf[:0]) },
		"AppendLDAPFilterValue":   func() { buf = g.AppendLDAPFilterValue(buf[:0]) },
		"Compare":                 func() { _ = g.Compare(g) },
	}
	for name, f := range checks {
		assert.Zero(t, testing.AllocsPerRun(100, f), name)
	}
}
