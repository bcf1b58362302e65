package anchor

import (
	"strconv"
	"strings"
)

// Form names a way of writing an anchor.
type Form uint8

// The forms of an anchor. FormAuto asks the parser to detect the form.
const (
	FormAuto Form = iota
	FormGUID
	FormImmutableID
	FormHex
	FormConnectorDN
	FormLDAPFilter
)

var formNames = [...]string{
	FormAuto:        "auto",
	FormGUID:        "guid",
	FormImmutableID: "immutableid",
	FormHex:         "hex",
	FormConnectorDN: "dn",
	FormLDAPFilter:  "ldapfilter",
}

// String returns the form's name as the --from flag spells it.
func (f Form) String() string {
	if int(f) < len(formNames) {
		return formNames[f]
	}
	return "Form(" + strconv.Itoa(int(f)) + ")"
}

// ParseForm parses a form name: auto, guid, immutableid, hex, dn or ldapfilter (any case).
func ParseForm(s string) (Form, error) {
	for f, name := range formNames {
		if strings.EqualFold(s, name) {
			return Form(f), nil
		}
	}
	return 0, perr("ParseForm", s, ErrSyntax, "unknown form (want auto, guid, immutableid, hex, dn or ldapfilter)")
}

// MarshalText implements encoding.TextMarshaler.
func (f Form) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (f *Form) UnmarshalText(b []byte) error {
	v, err := ParseForm(string(b))
	if err == nil {
		*f = v
	}
	return err
}

// DetectForm reports the form s is written in. A value of 32 hex digits is ambiguous (wire-order
// hex, or a GUID written without dashes) and is refused with ErrAmbiguous. The space-separated
// hex of the Attribute Editor (47 characters) and the escaped filter value (\22\44…) are not
// ambiguous. A connector-space DN is FormConnectorDN whether it names an AD anchor or a
// cloud-sourced object (see ParseCloudConnectorDN). Detection looks only at the shape; the
// matching parser then checks the content.
func DetectForm(s string) (Form, error) {
	switch {
	case len(s) == 0:
		return 0, perr("DetectForm", s, ErrEmpty, "")
	case len(s) >= 3 && (s[0] == 'C' || s[0] == 'c') && (s[1] == 'N' || s[1] == 'n') && s[2] == '=':
		return FormConnectorDN, nil
	case s[0] == '\\':
		return FormLDAPFilter, nil
	case len(s) == spacedHexLen && s[2] == ' ':
		return FormHex, nil
	case len(s) == ImmutableIDLen:
		return FormImmutableID, nil
	case len(s) == GUIDLen && s[8] == '-':
		return FormGUID, nil
	case len(s) == GUIDLen+2 && s[0] == '{':
		return FormGUID, nil
	}
	hex, dashes := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case hexvalue[c] != 0xff:
			hex++
		case c == '-' || c == '{' || c == '}':
			dashes++
		}
	}
	switch {
	case hex+dashes == len(s) && dashes > 0:
		return FormGUID, nil
	case hex == len(s) && len(s) == 32:
		return 0, perr("DetectForm", s, ErrAmbiguous,
			"32 hex digits are either wire-order hex or a GUID without dashes (text order); parse with ParseHex or ParseGUID")
	case hex == len(s):
		return FormHex, nil
	}
	return FormImmutableID, nil
}

// Parse detects the form of s (see DetectForm) and parses it. The error of a value in a
// recognised form comes from that form's parser.
func Parse(s string) (ObjectGUID, error) {
	// Fast paths for the common shapes; they agree with DetectForm.
	switch {
	case len(s) == ImmutableIDLen && s[2] != '=':
		return ParseImmutableID(s)
	case len(s) == GUIDLen && s[8] == '-' && s[2] != '=', len(s) == GUIDLen+2 && s[0] == '{':
		return ParseGUID(s)
	}
	f, err := DetectForm(s)
	switch {
	case err != nil:
		pe := err.(*ParseError)
		pe.Func = "Parse"
		return ObjectGUID{}, pe
	case f == FormImmutableID:
		return ParseImmutableID(s)
	case f == FormGUID:
		return ParseGUID(s)
	case f == FormHex:
		return ParseHex(s)
	case f == FormLDAPFilter:
		return ParseLDAPFilterValue(s)
	}
	return ParseConnectorDN(s)
}

// ParseAs parses s in form f; FormAuto behaves as Parse.
func ParseAs(f Form, s string) (ObjectGUID, error) {
	switch f {
	case FormAuto:
		return Parse(s)
	case FormGUID:
		return ParseGUID(s)
	case FormImmutableID:
		return ParseImmutableID(s)
	case FormHex:
		return ParseHex(s)
	case FormConnectorDN:
		return ParseConnectorDN(s)
	case FormLDAPFilter:
		return ParseLDAPFilterValue(s)
	}
	return ObjectGUID{}, badForm(f, s)
}

func badForm(f Form, s string) error {
	return perr("ParseAs", s, ErrSyntax, "form "+f.String()+" cannot be parsed")
}
