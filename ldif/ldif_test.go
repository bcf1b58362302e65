package ldif_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
)

func readAll(t *testing.T, in string) ([]ldif.Entry, error) {
	t.Helper()
	var out []ldif.Entry
	for e, err := range ldif.NewReader(strings.NewReader(in), "t.ldif").All() {
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

func TestReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []ldif.Entry
	}{
		{
			name: "ldifde export with version and base64",
			in:   "version: 1\n\ndn: CN=Ann,DC=corp\nobjectGUID:: IkTni9mw7Ee4YefeGpz7IA==\ncn: Ann\n",
			want: []ldif.Entry{{DN: "CN=Ann,DC=corp", Source: "t.ldif:3", Attrs: []ldif.Attr{
				{Name: "objectGUID", Values: []string{string(mustB64("IkTni9mw7Ee4YefeGpz7IA=="))}},
				{Name: "cn", Values: []string{"Ann"}},
			}}},
		},
		{
			name: "folded lines and CRLF",
			in:   "dn: CN=Ann Lee,OU=Sy\r\n nced,DC=corp\r\ndescription: a lo\r\n ng\r\n  value\r\n\r\n",
			want: []ldif.Entry{{DN: "CN=Ann Lee,OU=Synced,DC=corp", Source: "t.ldif:1", Attrs: []ldif.Attr{
				{Name: "description", Values: []string{"a long value"}},
			}}},
		},
		{
			name: "ldapsearch comments and referrals skipped",
			in: "version: 1\n\n#\n# LDAPv3\n#\n\ndn: CN=a,DC=corp\n# inside\ncn: a\n\n" +
				"# search reference\n# refldaps://corp.example.test/CN=Configuration,DC=corp\n\n# search result\n\n# numResponses: 2\n",
			want: []ldif.Entry{{DN: "CN=a,DC=corp", Source: "t.ldif:7", Attrs: []ldif.Attr{{Name: "cn", Values: []string{"a"}}}}},
		},
		{
			name: "multiple values, case-insensitive names, ranged names merged",
			in: "dn: CN=g,DC=corp\nproxyAddresses;range=0-1: SMTP:g@x.test\nPROXYADDRESSES;range=2-*: smtp:h@x.test\n" +
				"member: CN=a\nmember: CN=b\nuserCertificate;binary:: AAE=\n\n",
			want: []ldif.Entry{{DN: "CN=g,DC=corp", Source: "t.ldif:1", Attrs: []ldif.Attr{
				{Name: "proxyAddresses", Values: []string{"SMTP:g@x.test", "smtp:h@x.test"}},
				{Name: "member", Values: []string{"CN=a", "CN=b"}},
				{Name: "userCertificate;binary", Values: []string{"\x00\x01"}},
			}}},
		},
		{
			name: "changetype add and base64 dn",
			in:   "dn:: Q049Sm9zw6ksREM9Y29ycA==\nchangetype: add\ncn: x\n\n\n\ndn: CN=b\n\n",
			want: []ldif.Entry{
				{DN: "CN=José,DC=corp", Source: "t.ldif:1", Attrs: []ldif.Attr{{Name: "cn", Values: []string{"x"}}}},
				{DN: "CN=b", Source: "t.ldif:7"},
			},
		},
		{name: "empty input", in: ""},
		{name: "only comments", in: "# nothing\n\n# at all\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readAll(t, tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func mustB64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestReaderErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		sentinel error
		msg      string
	}{
		{"url value", "dn: CN=a\nphoto:< file:///x.jpg\n", ldif.ErrUnsupported, `t.ldif:2: photo: URL values ("photo:<") are not supported; export the value inline (ldapsearch -t writes values to files: run it without -t)`},
		{"modify record", "version: 1\n\ndn: CN=a\nchangetype: modify\n", ldif.ErrUnsupported, `t.ldif:4: changetype "modify" (only add records are supported)`},
		{"delete record", "dn: CN=a\nchangetype: delete\n", ldif.ErrUnsupported, `t.ldif:2: changetype "delete" (only add records are supported)`},
		{"late changetype", "dn: CN=a\ncn: a\nchangetype: add\n", ldif.ErrSyntax, "t.ldif:3: changetype must follow the dn line"},
		{"second dn", "dn: CN=a\ncn: a\ndn: CN=b\n", ldif.ErrSyntax, "t.ldif:3: a second dn line in one record (records are separated by a blank line)"},
		{"control", "dn: CN=a\ncontrol: 1.2.3 true\n", ldif.ErrUnsupported, "t.ldif:2: LDIF controls are not supported"},
		{"no dn", "\n\ncn: a\n", ldif.ErrSyntax, `t.ldif:3: a record starts with "dn:", not "cn:"`},
		{"missing colon", "dn: CN=a\njunk\n", ldif.ErrSyntax, `t.ldif:2: missing ':' in "junk"`},
		{"bad base64", "dn: CN=a\nobjectGUID:: ***\n", ldif.ErrSyntax, "t.ldif:2: objectGUID: invalid base64 value: illegal base64 data at input byte 0"},
		{"bad attribute name", "dn: CN=a\nbad_name: x\n", ldif.ErrSyntax, `t.ldif:2: invalid character '_' in attribute name "bad_name"`},
		{"bad version", "version: 2\n", ldif.ErrUnsupported, `t.ldif:1: LDIF version "2" (want 1)`},
		{"error line after folding", "dn: CN=a\ndescription: x\n y\n z\nbroken\n", ldif.ErrSyntax, `t.ldif:5: missing ':' in "broken"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := readAll(t, tt.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.sentinel)
			assert.EqualError(t, err, tt.msg)
			var le *ldif.Error
			require.ErrorAs(t, err, &le)
			assert.Equal(t, "t.ldif", le.Name)
		})
	}
}

func TestReaderStickyError(t *testing.T) {
	t.Parallel()
	r := ldif.NewReader(strings.NewReader("dn: a\nbroken\n\ndn: b\n"), "t.ldif")
	_, err1 := r.Next()
	_, err2 := r.Next()
	require.Error(t, err1)
	assert.Equal(t, err1, err2)
	r = ldif.NewReader(strings.NewReader("dn: a\n\n"), "t.ldif")
	_, err := r.Next()
	require.NoError(t, err)
	_, err = r.Next()
	assert.ErrorIs(t, err, io.EOF)
}

const annGUID = "8be74422-b0d9-47ec-b861-e7de1a9cfb20"

func TestMappingOnPrem(t *testing.T) {
	t.Parallel()
	g := anchor.MustParse(annGUID)
	gb := g.Bytes()
	c := anchor.MustParse("35918bc9-196d-40ea-9779-889d79b753f0")
	cb := c.Bytes()
	// S-1-5-21-1004336348-1177238915-682003330-512
	sid := "AQUAAAAAAAUVAAAA3PTcO4M9K0aCi6YoAAIAAA=="
	user := "dn: CN=Ann Lee,OU=Synced,DC=corp\nobjectClass: top\nobjectClass: user\n" +
		"objectGUID:: " + base64.StdEncoding.EncodeToString(gb[:]) + "\n" +
		"mS-DS-ConsistencyGuid:: " + base64.StdEncoding.EncodeToString(cb[:]) + "\n" +
		"objectSid:: " + sid + "\nuserPrincipalName: ann@contoso.example\nmail: ann@contoso.example\n" +
		"mailNickname: ann\nsAMAccountName: ann\nproxyAddresses: SMTP:ann@contoso.example\nproxyAddresses: smtp:a@contoso.example\n" +
		"userAccountControl: 514\ndisplayName: Ann Lee\ngivenName: Ann\nsn: Lee\nemployeeID: E1234\n"
	tests := []struct {
		name    string
		in      string
		m       ldif.Mapping
		want    matching.OnPrem
		ok      bool
		wantErr string
	}{
		{
			name: "full user with custom anchor",
			in:   user,
			m:    ldif.Mapping{CustomAnchor: "employeeid"},
			ok:   true,
			want: matching.OnPrem{
				DN: "CN=Ann Lee,OU=Synced,DC=corp", Class: matching.ClassUser, ObjectGUID: g, ConsistencyGUID: c,
				CustomAnchor:      anchor.MustParseSourceAnchor("E1234"),
				UserPrincipalName: "ann@contoso.example", ProxyAddresses: []string{"SMTP:ann@contoso.example", "smtp:a@contoso.example"},
				Mail: "ann@contoso.example", MailNickname: "ann", SAMAccountName: "ann",
				ObjectSID: "S-1-5-21-1004336348-1177238915-682003330-512", Enabled: false, MailEnabled: true,
				DisplayName: "Ann Lee", GivenName: "Ann", Surname: "Lee", Source: "t.ldif:1",
			},
		},
		{
			name: "binary custom anchor",
			in:   "dn: CN=x\nobjectClass: user\nmsDS-SourceAnchor:: AAEC\n",
			m:    ldif.Mapping{CustomAnchor: "msDS-SourceAnchor", CustomAnchorBinary: true},
			ok:   true,
			want: matching.OnPrem{DN: "CN=x", Class: matching.ClassUser, Enabled: true, Source: "t.ldif:1",
				CustomAnchor: anchor.BinaryAnchor([]byte{0, 1, 2})},
		},
		{
			name: "security group is not mail-enabled",
			in:   "dn: CN=g\nobjectClass: group\ngroupType: -2147483646\n",
			ok:   true,
			want: matching.OnPrem{DN: "CN=g", Class: matching.ClassGroup, Enabled: true, Source: "t.ldif:1"},
		},
		{
			name: "contact mail-enabled by mail",
			in:   "dn: CN=c\nobjectClass: contact\nmail: c@fabrikam.example\n",
			ok:   true,
			want: matching.OnPrem{DN: "CN=c", Class: matching.ClassContact, Mail: "c@fabrikam.example", MailEnabled: true, Enabled: true, Source: "t.ldif:1"},
		},
		{name: "computer skipped", in: "dn: CN=WS1\nobjectClass: user\nobjectClass: computer\n"},
		{name: "organizational unit skipped", in: "dn: OU=Synced\nobjectClass: organizationalUnit\n"},
		{
			name:    "short objectGUID",
			in:      "dn: CN=x\nobjectClass: user\ncn: x\nobjectGUID:: AAEC\n",
			wantErr: "t.ldif:1: objectGUID: 3 bytes (want 16 raw bytes, written as \"objectGUID:: <base64>\") (value \"000102\")",
		},
		{
			name:    "objectGUID as text",
			in:      "dn: CN=x\nobjectClass: user\nmS-DS-ConsistencyGuid: " + annGUID + "\n",
			wantErr: "t.ldif:1: mS-DS-ConsistencyGuid: holds the GUID text \"" + annGUID + "\", not its 16 raw bytes (want \"mS-DS-ConsistencyGuid:: <base64>\") (value \"" + annGUID + "\")",
		},
		{
			name:    "bad userAccountControl",
			in:      "dn: CN=x\nobjectClass: user\nuserAccountControl: enabled\n",
			wantErr: "t.ldif:1: userAccountControl: not a decimal number (value \"enabled\")",
		},
		{
			name:    "bad objectSid",
			in:      "dn: CN=x\nobjectClass: user\nobjectSid:: AQUAAAAAAAUVAAAA\n",
			wantErr: "t.ldif:1: objectSid: 12 bytes for 5 sub-authorities (want 28) (value \"010500000000000515000000\")",
		},
		{
			name:    "bad string anchor",
			in:      "dn: CN=x\nobjectClass: user\nemployeeID: a_b\n",
			m:       ldif.Mapping{CustomAnchor: "employeeID"},
			wantErr: "t.ldif:1: employeeID: not a valid sourceAnchor value: anchor.StringAnchor(\"a_b\"): character '_' at offset 1 is not allowed in a sourceAnchor value (value \"a_b\")",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			entries, err := readAll(t, tt.in+"\n")
			require.NoError(t, err)
			require.Len(t, entries, 1)
			got, ok, err := tt.m.OnPrem(&entries[0])
			if tt.wantErr != "" {
				// A bad value does not fail the entry: it is a read error on the record.
				require.NoError(t, err)
				require.True(t, ok)
				require.Len(t, got.ReadErrors, 1)
				assert.Equal(t, tt.wantErr, got.ReadErrors[0].Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.ok, ok)
			if ok {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}

func TestWriterRoundTrip(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 300)
	entries := []ldif.Entry{
		{DN: "CN=" + long + ",DC=corp", Attrs: []ldif.Attr{
			{Name: "description", Values: []string{long, " leading space", "trailing ", ":colon", "<angle", "", "José", "a\nb\r\n"}},
			{Name: "objectGUID", Values: []string{"\x00\xff\x10\x20\x30\x40\x50\x60\x70\x80\x90\xa0\xb0\xc0\xd0\xe0"}},
		}},
		{DN: "", Attrs: []ldif.Attr{{Name: "cn", Values: []string{"root"}}}},
	}
	var buf bytes.Buffer
	w := ldif.NewWriter(&buf)
	for i := range entries {
		require.NoError(t, w.Write(&entries[i]))
	}
	require.NoError(t, w.Flush())
	for line := range strings.SplitSeq(buf.String(), "\n") {
		assert.LessOrEqual(t, len(line), 76, "line %q", line)
	}
	got, err := readAll(t, buf.String())
	require.NoError(t, err)
	require.Len(t, got, len(entries))
	for i := range got {
		assert.Equal(t, entries[i].DN, got[i].DN)
		assert.Equal(t, entries[i].Attrs, got[i].Attrs)
	}
}

func TestOnPremRoundTrip(t *testing.T) {
	t.Parallel()
	m := ldif.Mapping{CustomAnchor: "msDS-SourceAnchor", CustomAnchorBinary: true}
	recs := []matching.OnPrem{
		{DN: "CN=Ann,DC=corp", Class: matching.ClassUser, ObjectGUID: anchor.MustParse(annGUID),
			ConsistencyGUID: anchor.MustParse("35918bc9-196d-40ea-9779-889d79b753f0"), CustomAnchor: anchor.BinaryAnchor([]byte{1, 2, 3}),
			UserPrincipalName: "ann@x.test", ProxyAddresses: []string{"SMTP:ann@x.test"}, Mail: "ann@x.test", MailNickname: "ann",
			SAMAccountName: "ann", ObjectSID: "S-1-5-21-1-2-3-1104", Enabled: true, MailEnabled: true, DisplayName: "Ann", GivenName: "A", Surname: "L"},
		{DN: "CN=Grp,DC=corp", Class: matching.ClassGroup, Enabled: true},
		{DN: "CN=Con,DC=corp", Class: matching.ClassContact, Mail: "c@x.test", MailEnabled: true, Enabled: true},
		{DN: "CN=Off,DC=corp", Class: matching.ClassUser, Enabled: false},
	}
	var buf bytes.Buffer
	w := ldif.NewWriter(&buf)
	w.Mapping = m
	for i := range recs {
		require.NoError(t, w.WriteOnPrem(&recs[i]))
	}
	require.NoError(t, w.Flush())
	var got []matching.OnPrem
	for rec, err := range ldif.ReadOnPrem(&buf, "rt.ldif", m) {
		require.NoError(t, err)
		rec.Source = ""
		got = append(got, rec)
	}
	assert.Equal(t, recs, got)

	_, err := ldif.EntryOf(&matching.OnPrem{DN: "CN=x", ObjectSID: "S-1-x"}, ldif.Mapping{})
	assert.ErrorIs(t, err, ldif.ErrValue)
}

func TestWriterRefusesBadNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "bad name", "a_b", "dn", "changetype", "cn;", "member;range=0-1", "x:y"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := ldif.NewWriter(&buf).Write(&ldif.Entry{DN: "CN=x", Attrs: []ldif.Attr{{Name: name, Values: []string{"v"}}}})
			assert.ErrorIs(t, err, ldif.ErrValue)
			assert.Empty(t, buf.String())
		})
	}
	var buf bytes.Buffer
	w := ldif.NewWriter(&buf)
	require.NoError(t, w.Write(&ldif.Entry{DN: "CN=x", Attrs: []ldif.Attr{{Name: "userCertificate;binary", Values: []string{"\x00"}}, {Name: "1.2.840.113556.1.4.1360", Values: []string{"v"}}}}))
}

func TestReadOnPremGoesOnAfterABadValue(t *testing.T) {
	t.Parallel()
	in := "dn: CN=a\nobjectClass: user\n\ndn: CN=b\nobjectClass: user\nobjectGUID:: AA==\n\ndn: CN=c\nobjectClass: user\n\n"
	var recs []matching.OnPrem
	for rec, err := range ldif.ReadOnPrem(strings.NewReader(in), "t.ldif", ldif.Mapping{}) {
		require.NoError(t, err)
		recs = append(recs, rec)
	}
	require.Len(t, recs, 3)
	assert.Empty(t, recs[0].ReadErrors)
	require.Len(t, recs[1].ReadErrors, 1)
	assert.Equal(t, `t.ldif:4: objectGUID: 1 bytes (want 16 raw bytes, written as "objectGUID:: <base64>") (value "00")`, recs[1].ReadErrors[0].Error())
	assert.Empty(t, recs[2].ReadErrors)
}

func FuzzReader(f *testing.F) {
	f.Add("version: 1\n\ndn: CN=a\nobjectGUID:: IkTni9mw7Ee4YefeGpz7IA==\ncn: a\n")
	f.Add("dn: CN=a,\r\n DC=b\r\nproxyAddresses;range=0-1: SMTP:a@b\r\n\r\n# refldap://x\r\n")
	f.Add("dn:: Q049SsOp\nchangetype: add\nx:< file:///y\n")
	f.Add("dn: a\ndescription:: AAE=\n\ndn: b\n-\n")
	f.Add("dn: CN=x\nobjectClass: user\nobjectSid:: AQUAAAAAAAUVAAAA3PTcO4M9K0aCi6YoAAIAAA==\nuserAccountControl: 2\n")
	f.Fuzz(func(t *testing.T, in string) {
		var first []ldif.Entry
		for e, err := range ldif.NewReader(strings.NewReader(in), "f.ldif").All() {
			if err != nil {
				var le *ldif.Error
				if !errors.As(err, &le) || le.Line < 1 {
					t.Fatalf("error without a line: %v", err)
				}
				break
			}
			_, _, _ = ldif.Mapping{CustomAnchor: "cn"}.OnPrem(&e)
			first = append(first, e)
		}
		// Read as a partial export: never ErrIncomplete, and what the strict read returned is a
		// prefix of what this read returns.
		var partial []ldif.Entry
		for e, err := range ldif.NewReader(strings.NewReader(in), "f.ldif", ldif.AcceptPartialExport()).All() {
			if errors.Is(err, ldif.ErrIncomplete) {
				t.Fatalf("ErrIncomplete under AcceptPartialExport: %v", err)
			}
			if err != nil {
				break
			}
			partial = append(partial, e)
		}
		if len(partial) < len(first) || fmt.Sprint(partial[:len(first)]) != fmt.Sprint(first) {
			t.Fatalf("strict read %q is not a prefix of the partial read %q", first, partial)
		}
		var buf bytes.Buffer
		w := ldif.NewWriter(&buf)
		for i := range first {
			if err := w.Write(&first[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		var second []ldif.Entry
		for e, err := range ldif.NewReader(&buf, "rt.ldif").All() {
			if err != nil {
				t.Fatalf("reading back: %v\n%s", err, buf.String())
			}
			second = append(second, e)
		}
		if len(first) != len(second) {
			t.Fatalf("read %d entries, read back %d", len(first), len(second))
		}
		for i := range first {
			if first[i].DN != second[i].DN || fmt.Sprint(first[i].Attrs) != fmt.Sprint(second[i].Attrs) {
				t.Fatalf("entry %d differs:\n%q\n%q", i, first[i], second[i])
			}
		}
	})
}

func benchInput(n int) []byte {
	var buf bytes.Buffer
	w := ldif.NewWriter(&buf)
	for i := range n {
		var g [16]byte
		g[0], g[1], g[2] = byte(i), byte(i>>8), byte(i>>16)
		guid, _ := anchor.FromBytes(g[:])
		rec := matching.OnPrem{
			DN: fmt.Sprintf("CN=User %d,OU=Synced,DC=corp,DC=example,DC=test", i), Class: matching.ClassUser,
			ObjectGUID: guid, ObjectSID: fmt.Sprintf("S-1-5-21-1-2-3-%d", 1000+i),
			UserPrincipalName: fmt.Sprintf("user%d@contoso.example", i), Mail: fmt.Sprintf("user%d@contoso.example", i),
			MailNickname: fmt.Sprintf("user%d", i), SAMAccountName: fmt.Sprintf("user%d", i),
			ProxyAddresses: []string{fmt.Sprintf("SMTP:user%d@contoso.example", i), fmt.Sprintf("smtp:u%d@contoso.mail.example", i)},
			Enabled:        true, DisplayName: fmt.Sprintf("User %d", i), GivenName: "User", Surname: fmt.Sprint(i),
		}
		if err := w.WriteOnPrem(&rec); err != nil {
			panic(err)
		}
	}
	w.Flush()
	return buf.Bytes()
}

func BenchmarkReader(b *testing.B) {
	in := benchInput(10000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range ldif.NewReader(bytes.NewReader(in), "b.ldif").All() {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkReadOnPrem(b *testing.B) {
	in := benchInput(10000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range ldif.ReadOnPrem(bytes.NewReader(in), "b.ldif", ldif.Mapping{}) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestReaderForms(t *testing.T) {
	t.Parallel()
	utf16le := func(s string, bom bool) string {
		var b []byte
		if bom {
			b = append(b, 0xff, 0xfe)
		}
		for _, r := range []rune(s) {
			if r > 0xffff {
				r -= 0x10000
				hi, lo := 0xd800+(r>>10), 0xdc00+(r&0x3ff)
				b = append(b, byte(hi), byte(hi>>8), byte(lo), byte(lo>>8))
				continue
			}
			b = append(b, byte(r), byte(r>>8))
		}
		return string(b)
	}
	utf16be := func(s string) string {
		b := []byte{0xfe, 0xff}
		for _, r := range []rune(s) {
			b = append(b, byte(r>>8), byte(r))
		}
		return string(b)
	}
	tests := []struct {
		name string
		in   string
		dns  []string
		err  error
		msg  string
	}{
		{name: "writer output is whole", in: "version: 1\n\ndn: CN=a\ncn: a\n\ndn: CN=b\ncn: b\n", dns: []string{"CN=a", "CN=b"}},
		{name: "ldifde without a final blank line", in: "\r\ndn: CN=a\r\nchangetype: add\r\ncn: a\r\n", dns: []string{"CN=a"}},
		{name: "utf-16le with surrogates", in: utf16le("dn: CN=😀\r\nchangetype: add\r\n", true), dns: []string{"CN=😀"}},
		{name: "utf-16be", in: utf16be("dn: CN=é\n\n"), dns: []string{"CN=é"}},
		{name: "utf-16 cut in a character", in: utf16le("dn: CN=a\n\n", true)[:7], err: ldif.ErrIncomplete, msg: "t.ldif:1: the input ends in the middle of a UTF-16 character"},
		{name: "utf-16 without a mark", in: utf16le("dn: CN=a\n\n", false), err: ldif.ErrSyntax, msg: `t.ldif:1: the input looks like UTF-16 without a byte-order mark; export it with "ldifde -u"`},
		{name: "ANSI value", in: "dn: CN=a\ncn: Jos\xe9\n\n", err: ldif.ErrSyntax, msg: "t.ldif:2: cn: the value is not UTF-8 text (was the file saved in an ANSI code page?)"},
		{name: "Format-List output", in: "DistinguishedName : CN=a\n", err: ldif.ErrSyntax, msg: `PowerShell's Format-List output, not LDIF; export LDIF with ldifde -f`},
		{name: "csvde header", in: "DN,objectClass,objectGUID\n", err: ldif.ErrUnsupported, msg: "t.ldif:1: this is CSV"},
		{name: "cut in a comment", in: "version: 1\n\ndn: CN=a\n\n# numEntr", dns: []string{"CN=a"}, err: ldif.ErrIncomplete, msg: `t.ldif:5: the input ends in the middle of a line; the last complete entry is "CN=a" (line 3)`},
		{name: "cut in a continuation line", in: "version: 1\n\ndn: CN=a\ndescription: x\n y", err: ldif.ErrIncomplete, msg: `t.ldif:4: the input ends in the middle of a line, inside the entry "CN=a" (line 3); no entry before it is complete`},
		{
			name: "numEntries disagrees", in: "# extended LDIF\n#\n# LDAPv3\n#\n\ndn: CN=a\n\n# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 3\n# numEntries: 2\n",
			dns: []string{"CN=a"}, err: ldif.ErrIncomplete, msg: "t.ldif:13: ldapsearch counted 2 entries but the input holds 1",
		},
		{
			name: "last page has a cookie", in: "# extended LDIF\n#\n# LDAPv3\n#\n\ndn: CN=a\n\n# search result\nsearch: 2\nresult: 0 Success\npagedresults: estimate=2 cookie=MQA=\n",
			dns: []string{"CN=a"}, err: ldif.ErrIncomplete, msg: `t.ldif:11: the last "pagedresults:" line carries a cookie, so more pages were to follow`,
		},
		{
			name: "no closing comment", in: "# extended LDIF\n#\n# LDAPv3\n#\n\ndn: CN=a\n\n# search result\nsearch: 2\nresult: 0 Success\n\n",
			dns: []string{"CN=a"}, err: ldif.ErrIncomplete, msg: `the input ends without the "# numResponses:" comment`,
		},
		{name: "bad result line", in: "search: 2\nresult: Success\n", err: ldif.ErrSyntax, msg: `t.ldif:2: result line "Success" does not start with a result code`},
		{name: "odd line in a trailer", in: "search: 2\nresult: 0 Success\ncn: x\n", err: ldif.ErrSyntax, msg: `t.ldif:3: unexpected "cn:" line in ldapsearch's result lines`},
		{name: "odd line in a reference", in: "ref: ldap://x/\ncn: x\n", err: ldif.ErrSyntax, msg: `t.ldif:2: a search reference holds only "ref:" lines, not "cn:"`},
		{name: "time limit", in: "search: 2\nresult: 3 Time limit exceeded\ntext: stopped\n\n", err: ldif.ErrIncomplete, msg: "t.ldif:2: ldapsearch reports result 3 Time limit exceeded (stopped), so the search stopped before the end (the time limit"},
		{name: "empty", in: ""},
		{name: "version only", in: "version: 1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readAll(t, tt.in)
			var dns []string
			for _, e := range got {
				dns = append(dns, e.DN)
			}
			assert.Equal(t, tt.dns, dns)
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.err)
			assert.Contains(t, err.Error(), tt.msg)
			var le *ldif.Error
			require.ErrorAs(t, err, &le)
			assert.Positive(t, le.Line)
		})
	}
}

func TestReaderWarningsForReferences(t *testing.T) {
	t.Parallel()
	in := "dn: CN=a\n\n# refldap://dc2.corp.example.test/DC=DomainDnsZones,DC=corp\n\nref: ldap://x/DC=a\nref: ldap://y/DC=b\n\n"
	var got []string
	r := ldif.NewReader(strings.NewReader(in), "t.ldif", ldif.WithWarnings(func(w ldif.Warning) {
		assert.NoError(t, w.Err)
		got = append(got, w.String())
	}))
	for _, err := range r.All() {
		require.NoError(t, err)
	}
	assert.Equal(t, []string{
		`t.ldif:3: search reference skipped: objects under "ldap://dc2.corp.example.test/DC=DomainDnsZones,DC=corp" are in another naming context or domain and are not in this export`,
		`t.ldif:5: search reference skipped: objects under "ldap://x/DC=a" are in another naming context or domain and are not in this export`,
		`t.ldif:6: search reference skipped: objects under "ldap://y/DC=b" are in another naming context or domain and are not in this export`,
	}, got)
}

// FuzzReaderUTF16 checks that UTF-16 input (as "ldifde -u" writes it) reads exactly as the
// same text in UTF-8: the same entries, or the same error at the same line.
func FuzzReaderUTF16(f *testing.F) {
	f.Add("dn: CN=é\r\nchangetype: add\r\n")
	f.Add("dn: a\n\n# refldap://x\n")
	f.Add("search: 2\nresult: 4 x\n")
	f.Add("dn: 😀\n x")
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) || strings.ContainsRune(in, 0) || strings.HasPrefix(in, "\ufeff") {
			return
		}
		b := []byte{0xff, 0xfe}
		for _, u := range utf16.Encode([]rune(in)) {
			b = append(b, byte(u), byte(u>>8))
		}
		read := func(r io.Reader) string {
			var out strings.Builder
			for e, err := range ldif.NewReader(r, "f.ldif").All() {
				if err != nil {
					fmt.Fprintf(&out, "error %v\n", err)
					break
				}
				fmt.Fprintf(&out, "%q %q\n", e.DN, e.Attrs)
			}
			return out.String()
		}
		if a, b := read(strings.NewReader(in)), read(bytes.NewReader(b)); a != b {
			t.Fatalf("UTF-8 and UTF-16 differ:\n%s\n%s", a, b)
		}
	})
}
