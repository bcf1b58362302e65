package anchor_test

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
)

// cloudUserDN is the connector-space DN of the cloud-sourced user
// 7c9e6679-7425-40de-944b-e07fc1f90ae7: the hex of "User_7c9e6679-…".
var cloudUserDN = "CN={" + strings.ToUpper(hex.EncodeToString([]byte("User_7c9e6679-7425-40de-944b-e07fc1f90ae7"))) + "}"

func TestPastedForms(t *testing.T) {
	t.Parallel()
	ann := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	tests := []struct {
		name  string
		parse func(string) (anchor.ObjectGUID, error)
		in    string
		form  anchor.Form
	}{
		{"attribute editor hex", anchor.ParseHex, "22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20", anchor.FormHex},
		{"attribute editor hex lower case", anchor.ParseHex, "22 44 e7 8b d9 b0 ec 47 b8 61 e7 de 1a 9c fb 20", anchor.FormHex},
		{"filter value", anchor.ParseLDAPFilterValue, `\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20`, anchor.FormLDAPFilter},
		{"filter value upper case", anchor.ParseLDAPFilterValue, `\22\44\E7\8B\D9\B0\EC\47\B8\61\E7\DE\1A\9C\FB\20`, anchor.FormLDAPFilter},
		{"guid upper case in braces", anchor.ParseGUID, "{8BE74422-B0D9-47EC-B861-E7DE1A9CFB20}", anchor.FormGUID},
		{"guid mixed case", anchor.ParseGUID, "8Be74422-B0d9-47eC-b861-E7de1a9cfb20", anchor.FormGUID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := tt.parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, ann, g)
			f, err := anchor.DetectForm(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.form, f)
			g, err = anchor.Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, ann, g)
			g, err = anchor.ParseAs(tt.form, tt.in)
			require.NoError(t, err)
			assert.Equal(t, ann, g)
		})
	}
}

func TestPastedFormErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		parse func(string) (anchor.ObjectGUID, error)
		in    string
		want  error
		msg   string
	}{
		{"spaced hex with a tab", anchor.ParseHex, "22\t44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20", anchor.ErrSyntax,
			`anchor.ParseHex("22\t44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20"): want ' ' at offset 2, found 0x09`},
		{"spaced hex bad digit", anchor.ParseHex, "22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 2G", anchor.ErrSyntax,
			`anchor.ParseHex("22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 2G"): invalid hex digit 'G' at offset 46`},
		{"spaced hex 15 bytes", anchor.ParseHex, "22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB", anchor.ErrLength, ""},
		{"filter value missing backslash", anchor.ParseLDAPFilterValue, `\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fbx20`, anchor.ErrSyntax,
			`anchor.ParseLDAPFilterValue("\\22\\44\\e7\\8b\\d9\\b0\\ec\\47\\b8\\61\\e7\\de\\1a\\9c\\fbx20"): want '\' at offset 45, found 'x'`},
		{"filter value bad digit", anchor.ParseLDAPFilterValue, `\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\2x`, anchor.ErrSyntax, "invalid hex digit 'x' at offset 47"},
		{"filter value unescaped byte", anchor.ParseLDAPFilterValue, `"D\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20`, anchor.ErrLength, ""},
		{"whole filter", anchor.ParseLDAPFilterValue, `(objectGUID=\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20)`, anchor.ErrSyntax, "a whole filter; give only the escaped value after '='"},
		{"filter value empty", anchor.ParseLDAPFilterValue, "", anchor.ErrEmpty, ""},
		{"cloud DN as a GUID anchor", anchor.ParseConnectorDN, cloudUserDN, anchor.ErrCloudAnchor,
			"the DN of a cloud-sourced User (object id 7c9e6679-7425-40de-944b-e07fc1f90ae7), which has no AD source anchor; read it with ParseCloudConnectorDN"},
		{"cloud DN under auto", anchor.Parse, cloudUserDN, anchor.ErrCloudAnchor, ""},
		{"cloud DN as a custom anchor", func(s string) (anchor.ObjectGUID, error) {
			_, err := anchor.ParseConnectorDNAnchor(s)
			return anchor.ObjectGUID{}, err
		}, cloudUserDN, anchor.ErrCloudAnchor, "anchor.ParseConnectorDNAnchor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := tt.parse(tt.in)
			require.Error(t, err)
			assert.True(t, g.IsZero())
			assert.ErrorIs(t, err, tt.want)
			var pe *anchor.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.in, pe.Input)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestCloudAnchor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		typ  anchor.CloudObjectType
	}{
		{"User_7c9e6679-7425-40de-944b-e07fc1f90ae7", anchor.CloudUser},
		{"Group_7c9e6679-7425-40de-944b-e07fc1f90ae7", anchor.CloudGroup},
		{"Contact_7c9e6679-7425-40de-944b-e07fc1f90ae7", anchor.CloudContact},
		{"Device_7c9e6679-7425-40de-944b-e07fc1f90ae7", anchor.CloudDevice},
	} {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			c, err := anchor.ParseCloudAnchor(tt.text)
			require.NoError(t, err)
			assert.Equal(t, tt.typ, c.Type())
			assert.Equal(t, "7c9e6679-7425-40de-944b-e07fc1f90ae7", c.ObjectID())
			assert.Equal(t, "7c9e6679-7425-40de-944b-e07fc1f90ae7", string(c.AppendObjectID(nil)))
			assert.Equal(t, tt.text, c.String())
			dn := "CN={" + strings.ToUpper(hex.EncodeToString([]byte(tt.text))) + "}"
			assert.Equal(t, dn, c.ConnectorDN())
			back, err := anchor.ParseCloudConnectorDN(strings.ToLower(dn))
			require.NoError(t, err)
			assert.Equal(t, c, back)
			f, err := anchor.DetectForm(dn)
			require.NoError(t, err)
			assert.Equal(t, anchor.FormConnectorDN, f)
			text, err := c.MarshalText()
			require.NoError(t, err)
			var u anchor.CloudAnchor
			require.NoError(t, u.UnmarshalText(text))
			assert.Equal(t, c, u)
		})
	}
	// Any case of the type and id is read, and written back canonical.
	c, err := anchor.ParseCloudAnchor("user_7C9E6679-7425-40DE-944B-E07FC1F90AE7")
	require.NoError(t, err)
	assert.Equal(t, "User_7c9e6679-7425-40de-944b-e07fc1f90ae7", c.String())
	var zero anchor.CloudAnchor
	assert.True(t, zero.IsZero())
	assert.Empty(t, zero.String())
	assert.Empty(t, zero.ConnectorDN())
	require.NoError(t, zero.UnmarshalText(nil))
	assert.Equal(t, "CloudObjectType(9)", anchor.CloudObjectType(9).String())
}

func TestCloudAnchorErrors(t *testing.T) {
	t.Parallel()
	h := func(s string) string { return "CN={" + hex.EncodeToString([]byte(s)) + "}" }
	tests := []struct {
		name string
		in   string
		dn   bool
		want error
		msg  string
	}{
		{"unknown type", "Printer_7c9e6679-7425-40de-944b-e07fc1f90ae7", false, anchor.ErrSyntax, `unknown object type "Printer" (want User, Group, Contact or Device)`},
		{"no underscore", "User7c9e6679-7425-40de-944b-e07fc1f90ae7", false, anchor.ErrSyntax, "no '_' between the object type and the object id"},
		{"short id", "User_7c9e6679-7425-40de-944b-e07fc1f90ae", false, anchor.ErrSyntax, "the object id has 35 characters"},
		{"id not a guid", "User_7c9e6679-7425-40de-944b-e07fc1f90aeg", false, anchor.ErrSyntax, "the object id is not a GUID: invalid hex digit 'g' at offset 35"},
		{"empty", "", false, anchor.ErrEmpty, ""},
		{"dn of a source anchor", "CN={496B546E69396D77374565345965666547707A3749413D3D}", true, anchor.ErrSyntax, "the braces hold 48 hex digits"},
		{"dn odd hex", "CN={555}", true, anchor.ErrSyntax, "an odd number of hex digits (3)"},
		{"dn bad hex", "CN={" + strings.Repeat("5Z", 41) + "}", true, anchor.ErrSyntax, "invalid hex digit 'Z' at offset 5"},
		{"dn unknown type", h("Thing_7c9e6679-7425-40de-944b-e07fc1f90ae7"), true, anchor.ErrSyntax, `the hex spells "Thing_7c9e6679-7425-40de-944b-e07fc1f90ae7", not <Type>_<object id>: unknown object type "Thing"`},
		{"dn frame", "DN={}", true, anchor.ErrSyntax, "want CN={<hex>}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c anchor.CloudAnchor
			var err error
			if tt.dn {
				c, err = anchor.ParseCloudConnectorDN(tt.in)
			} else {
				c, err = anchor.ParseCloudAnchor(tt.in)
			}
			require.Error(t, err)
			assert.True(t, c.IsZero())
			assert.ErrorIs(t, err, tt.want)
			var pe *anchor.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}
