package ldif

import (
	"encoding/binary"
	"encoding/hex"
	"io"
	"iter"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/internal/sid"
	"github.com/hybridid/hybridid/matching"
)

// Mapping says how entries become matching.OnPrem records.
type Mapping struct {
	// CustomAnchor names a custom sourceAnchor attribute (such as "employeeID") whose value goes
	// to OnPrem.CustomAnchor; empty for the default configuration (objectGUID and
	// mS-DS-ConsistencyGuid, which are always read).
	CustomAnchor string
	// CustomAnchorBinary says the custom attribute has a binary (or integer-as-bytes) syntax:
	// its value is Base64-encoded (anchor.BinaryAnchor, docs/entra-rules.md §1.2). Otherwise it is a string
	// attribute used as is (anchor.StringAnchor, docs/entra-rules.md §1.5).
	CustomAnchorBinary bool
}

// userAccountControl's ACCOUNTDISABLE flag (docs/entra-rules.md §7).
const uacAccountDisable = 0x2

// OnPrem maps an entry to the record the matching engine reads. ok is false for entries that
// sync does not handle as users, groups or contacts: computers (which are objectClass user too),
// organizational units, containers and everything else. err is always nil: a value that cannot
// be decoded does not fail the entry (one bad object must not stop a run); it is recorded in
// rec.ReadErrors with the attribute, the value and the entry's file:line, and the engine then
// reports the object with the outcome error. An entry without objectClass is returned (ok true,
// class unknown) with a read error, so that it is reported rather than silently dropped.
//
// The mapping (docs/entra-rules.md §7): objectClass gives the class; objectGUID and
// mS-DS-ConsistencyGuid must be exactly 16 raw bytes (an LDIF "attr:: base64" value); objectSid
// is converted from its binary form to S-1-5-… text; Enabled is userAccountControl &
// ACCOUNTDISABLE == 0 (true when the attribute is absent; the value must be a decimal number, as
// AD writes it); MailEnabled is Connect's mail-enabled test: a mail value containing "@" or an
// "SMTP:" proxy address containing "@".
func (m Mapping) OnPrem(e *Entry) (rec matching.OnPrem, ok bool, err error) {
	rec.DN = e.DN
	rec.Source = e.Source
	rec.Enabled = true
	var isUser, isGroup, isContact, isComputer bool
	classes := e.Values("objectClass")
	for _, v := range classes {
		switch {
		case strings.EqualFold(v, "user"):
			isUser = true
		case strings.EqualFold(v, "computer"):
			isComputer = true
		case strings.EqualFold(v, "group"):
			isGroup = true
		case strings.EqualFold(v, "contact"):
			isContact = true
		}
	}
	switch {
	case isComputer:
		return rec, false, nil
	case isUser:
		rec.Class = matching.ClassUser
	case isGroup:
		rec.Class = matching.ClassGroup
	case isContact:
		rec.Class = matching.ClassContact
	case len(classes) == 0:
		rec.ReadErrors = append(rec.ReadErrors, matching.ReadError{Attribute: "objectClass", Source: e.Source,
			Message: "the entry has no objectClass, so whether sync handles it cannot be told (export objectClass with every entry)"})
		return rec, true, nil
	default:
		return rec, false, nil
	}
	fail := func(attr, value, msg string) {
		rec.ReadErrors = append(rec.ReadErrors, matching.ReadError{Attribute: attr, Value: printable(value), Source: e.Source, Message: msg})
	}
	for i := range e.Attrs {
		a := &e.Attrs[i]
		if len(a.Values) == 0 {
			continue
		}
		v := a.Values[0]
		n := a.Name
		switch {
		case strings.EqualFold(n, "objectGUID"):
			if g, gerr := guidValue(a); gerr != nil {
				fail(n, v, gerr.Error())
			} else {
				rec.ObjectGUID = g
			}
		case strings.EqualFold(n, "mS-DS-ConsistencyGuid"):
			if g, gerr := guidValue(a); gerr != nil {
				fail(n, v, gerr.Error())
			} else {
				rec.ConsistencyGUID = g
			}
		case strings.EqualFold(n, "userPrincipalName"):
			rec.UserPrincipalName = v
		case strings.EqualFold(n, "proxyAddresses"):
			rec.ProxyAddresses = a.Values
		case strings.EqualFold(n, "mail"):
			rec.Mail = v
		case strings.EqualFold(n, "mailNickname"):
			rec.MailNickname = v
		case strings.EqualFold(n, "sAMAccountName"):
			rec.SAMAccountName = v
		case strings.EqualFold(n, "objectSid"):
			if sid, msg := sid.Text(v); msg != "" {
				fail(n, v, msg)
			} else {
				rec.ObjectSID = sid
			}
		case strings.EqualFold(n, "userAccountControl"):
			if uac, perr := strconv.ParseInt(strings.TrimSpace(v), 10, 64); perr != nil {
				fail(n, v, "not a decimal number")
			} else {
				rec.Enabled = uac&uacAccountDisable == 0
			}
		case strings.EqualFold(n, "displayName"):
			rec.DisplayName = v
		case strings.EqualFold(n, "givenName"):
			rec.GivenName = v
		case strings.EqualFold(n, "sn"):
			rec.Surname = v
		}
		if m.CustomAnchor != "" && strings.EqualFold(n, m.CustomAnchor) {
			var aerr error
			switch {
			case m.CustomAnchorBinary:
				rec.CustomAnchor = anchor.BinaryAnchor([]byte(v))
			case !utf8.ValidString(v):
				fail(n, v, "not valid UTF-8 text; set CustomAnchorBinary for a binary attribute")
			default:
				if rec.CustomAnchor, aerr = anchor.StringAnchor(v); aerr != nil {
					fail(n, v, "not a valid sourceAnchor value: "+aerr.Error())
				}
			}
		}
	}
	rec.MailEnabled = strings.Contains(rec.Mail, "@")
	for _, p := range rec.ProxyAddresses {
		if strings.HasPrefix(p, "SMTP:") && strings.Contains(p, "@") {
			rec.MailEnabled = true
		}
	}
	return rec, true, nil
}

// printable returns v for a message: as is when it is printable UTF-8 text, else its bytes in
// hex; at most 64 bytes of it.
func printable(v string) string {
	const limit = 64
	text := utf8.ValidString(v)
	for _, r := range v {
		if !unicode.IsPrint(r) {
			text = false
			break
		}
	}
	cut := ""
	if len(v) > limit {
		v, cut = v[:limit], "…"
	}
	if text {
		return strings.ToValidUTF8(v, "") + cut
	}
	return hex.EncodeToString([]byte(v)) + cut
}

func guidValue(a *Attr) (anchor.ObjectGUID, error) {
	if len(a.Values) > 1 {
		return anchor.ObjectGUID{}, &valueErr{strconv.Itoa(len(a.Values)) + " values (the attribute is single-valued)"}
	}
	v := a.Values[0]
	if len(v) != 16 {
		msg := strconv.Itoa(len(v)) + " bytes (want 16 raw bytes, written as \"" + a.Name + ":: <base64>\")"
		if _, err := anchor.ParseGUID(v); err == nil {
			msg = "holds the GUID text " + strconv.Quote(v) + ", not its 16 raw bytes (want \"" + a.Name + ":: <base64>\")"
		}
		return anchor.ObjectGUID{}, &valueErr{msg}
	}
	return anchor.FromBytes([]byte(v))
}

type valueErr struct{ msg string }

func (e *valueErr) Error() string { return e.msg }

// sidBytes converts S-1-… text to the binary SID; ok is false when s is not a SID.
func sidBytes(s string) ([]byte, bool) {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || parts[0] != "S" || parts[1] != "1" || len(parts)-3 > 255 {
		return nil, false
	}
	auth, err := strconv.ParseUint(parts[2], 10, 48)
	if err != nil {
		return nil, false
	}
	n := len(parts) - 3
	b := make([]byte, 8, 8+4*n)
	b[0], b[1] = 1, byte(n)
	for i := 7; i >= 2; i-- {
		b[i] = byte(auth)
		auth >>= 8
	}
	for _, p := range parts[3:] {
		sub, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			return nil, false
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(sub))
	}
	return b, true
}

// ReadOnPrem reads LDIF from r (named name in messages) and yields the users, groups and
// contacts it holds as matching records, skipping other entries (see Mapping.OnPrem). A value
// that cannot be decoded is recorded in the record's ReadErrors and reading goes on; an error
// of the LDIF itself (syntax, a read failure) is yielded once and stops the sequence.
func ReadOnPrem(r io.Reader, name string, m Mapping) iter.Seq2[matching.OnPrem, error] {
	// Mapping.OnPrem never fails: value problems are in rec.ReadErrors.
	return NewReader(r, name).OnPrem(m)
}
