package anchor_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
)

func TestSourceAnchor(t *testing.T) {
	t.Parallel()
	g := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	tests := []struct {
		name     string
		a        anchor.SourceAnchor
		text     string
		wantGUID bool
	}{
		{"from guid", anchor.AnchorOf(g), "IkTni9mw7Ee4YefeGpz7IA==", true},
		{"from 16 bytes", anchor.BinaryAnchor(func() []byte { b := g.Bytes(); return b[:] }()), "IkTni9mw7Ee4YefeGpz7IA==", true},
		{"from 4 bytes (integer attribute)", anchor.BinaryAnchor([]byte{1, 2, 3, 4}), "AQIDBA==", false},
		{"parsed guid", anchor.MustParseSourceAnchor("IkTni9mw7Ee4YefeGpz7IA=="), "IkTni9mw7Ee4YefeGpz7IA==", true},
		{"parsed employee id (docs/entra-rules.md §1.5)", anchor.MustParseSourceAnchor("E1234567"), "E1234567", false},
		{"parsed non-canonical base64 kept as string", anchor.MustParseSourceAnchor("IkTni9mw7Ee4YefeGpz7IB=="), "IkTni9mw7Ee4YefeGpz7IB==", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.text, tc.a.String())
			assert.False(t, tc.a.IsZero())
			got, ok := tc.a.GUID()
			assert.Equal(t, tc.wantGUID, ok)
			if ok {
				assert.Equal(t, g, got)
			}
			text, err := tc.a.MarshalText()
			require.NoError(t, err)
			var back anchor.SourceAnchor
			require.NoError(t, back.UnmarshalText(text))
			assert.Equal(t, tc.a, back)

			dn, err := anchor.ParseConnectorDNAnchor(tc.a.ConnectorDN())
			require.NoError(t, err)
			assert.Equal(t, tc.a, dn)
		})
	}
	assert.True(t, anchor.AnchorOf(anchor.ObjectGUID{}).IsZero())
	assert.True(t, anchor.BinaryAnchor(nil).IsZero())
	assert.Empty(t, anchor.SourceAnchor{}.ConnectorDN())
}

func TestParseSourceAnchorErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", anchor.ErrEmpty},
		{"abc$def", anchor.ErrSyntax},
		{"abc_def", anchor.ErrSyntax},
	} {
		_, err := anchor.ParseSourceAnchor(tc.in)
		assert.ErrorIs(t, err, tc.want, tc.in)
	}
}

func TestStringAnchor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want error
	}{
		{"E1234567", nil},
		{"emp-0042", nil},
		{"", anchor.ErrEmpty},
		{"john@contoso", anchor.ErrSyntax},
		{"a_b", anchor.ErrSyntax},
		{"a+b", anchor.ErrSyntax},
		{"tab\there", anchor.ErrSyntax},
		{strings.Repeat("a", 59), nil},
		{strings.Repeat("a", 60), anchor.ErrLength},
		{strings.Repeat("-", 19), nil},
		{strings.Repeat("-", 20), anchor.ErrLength},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			a, err := anchor.StringAnchor(tc.in)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.in, a.String())
				return
			}
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestDiagnose(t *testing.T) {
	t.Parallel()
	g := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	assert.NoError(t, anchor.AnchorOf(g).Diagnose())
	assert.NoError(t, anchor.MustParseSourceAnchor("E1234567").Diagnose())
	assert.ErrorIs(t, anchor.MustParseSourceAnchor(base64.StdEncoding.EncodeToString([]byte(g.String()))).Diagnose(), anchor.ErrGUIDText)
	assert.ErrorIs(t, anchor.MustParseSourceAnchor("IkTni9mw7Ee4YefeGpz7IB==").Diagnose(), anchor.ErrSyntax)
}

func TestSourceAnchorCompare(t *testing.T) {
	t.Parallel()
	a := anchor.MustParseSourceAnchor("AAAA")
	b := anchor.MustParseSourceAnchor("BBBB")
	assert.Equal(t, -1, a.Compare(b))
	assert.Equal(t, 0, a.Compare(a))
	assert.Equal(t, -1, anchor.SourceAnchor{}.Compare(a))
	assert.NotEqual(t, anchor.MustParseSourceAnchor("aaaa"), anchor.MustParseSourceAnchor("AAAA"), "anchors compare byte for byte")
}

func TestParseConnectorDNAnchorErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "CN={}", "CN={4}", "CN={ZZ}", "CN={245F}", "OU={41}"} {
		_, err := anchor.ParseConnectorDNAnchor(in)
		assert.Error(t, err, in)
	}
}
