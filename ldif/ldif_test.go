package ldif_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

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
			in:   "dn: CN=Ann Lee,OU=Sy\r\n nced,DC=corp\r\ndescription: a lo\r\n ng\r\n  value\r\n",
			want: []ldif.Entry{{DN: "CN=Ann Lee,OU=Synced,DC=corp", Source: "t.ldif:1", Attrs: []ldif.Attr{
				{Name: "description", Values: []string{"a long value"}},
			}}},
		},
		{
			name: "ldapsearch comments and referrals skipped",
			in: "# extended LDIF\n#\n# search result\n\ndn: CN=a,DC=corp\n# inside\ncn: a\n\n" +
				"# refldaps://corp.example.test/CN=Configuration,DC=corp\n\n# numResponses: 2\n",
			want: []ldif.Entry{{DN: "CN=a,DC=corp", Source: "t.ldif:5", Attrs: []ldif.Attr{{Name: "cn", Values: []string{"a"}}}}},
		},
		{
			name: "multiple values, case-insensitive names, ranged names merged",
			in: "dn: CN=g,DC=corp\nproxyAddresses;range=0-1: SMTP:g@x.test\nPROXYADDRESSES;range=2-*: smtp:h@x.test\n" +
				"member: CN=a\nmember: CN=b\nuserCertificate;binary:: AAE=\n",
			want: []ldif.Entry{{DN: "CN=g,DC=corp", Source: "t.ldif:1", Attrs: []ldif.Attr{
				{Name: "proxyAddresses", Values: []string{"SMTP:g@x.test", "smtp:h@x.test"}},
				{Name: "member", Values: []string{"CN=a", "CN=b"}},
				{Name: "userCertificate;binary", Values: []string{"\x00\x01"}},
			}}},
		},
		{
			name: "changetype add and base64 dn",
			in:   "dn:: Q049Sm9zw6ksREM9Y29ycA==\nchangetype: add\ncn: x\n\n\n\ndn: CN=b\n",
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
		{"url value", "dn: CN=a\nphoto:< file:///x.jpg\n", ldif.ErrUnsupported, `t.ldif:2: photo: URL values ("photo:<") are not supported; export the value inline`},
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
	r = ldif.NewReader(strings.NewReader("dn: a\n"), "t.ldif")
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
			entries, err := readAll(t, tt.in)
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
	in := "dn: CN=a\nobjectClass: user\n\ndn: CN=b\nobjectClass: user\nobjectGUID:: AA==\n\ndn: CN=c\nobjectClass: user\n"
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
