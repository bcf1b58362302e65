package validation

import (
	"iter"
	"strconv"
	"strings"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/internal/sid"
	"github.com/hybridid/hybridid/matching"
)

// Object is one directory object as validation reads it: the record the matching engine reads,
// and the raw attributes only the rules need.
type Object struct {
	matching.OnPrem
	Extra
}

// Extra holds what the rules read beyond matching.OnPrem. A caller that keeps the matching
// records for the engine can keep these apart, small, and join them again for Check.
type Extra struct {
	CN                   string // cn (the relative name); from the DN when the attribute is absent
	TargetAddress        string // targetAddress, e.g. "SMTP:someone@example.com"
	CriticalSystemObject bool   // isCriticalSystemObject is TRUE
	Computer             bool   // objectClass includes computer
	Certificates         int    // values of userCertificate
	SMIMECertificates    int    // values of userSMIMECertificate
	// Invalid lists values the reader could not decode (an objectGUID that is not 16 bytes, a
	// malformed objectSid or userAccountControl). Each becomes an attribute-invalid finding;
	// the object is still checked.
	Invalid []InvalidValue
}

// InvalidValue is one attribute value that could not be decoded.
type InvalidValue struct {
	Attribute string
	Message   string
}

// Attributes returns the LDAP names of the attributes NewObject reads; a reader may leave the
// others out.
func Attributes() []string {
	return []string{"objectClass", "objectGUID", "mS-DS-ConsistencyGuid", "userPrincipalName", "proxyAddresses",
		"mail", "mailNickname", "sAMAccountName", "objectSid", "userAccountControl", "displayName", "givenName", "sn",
		"cn", "targetAddress", "isCriticalSystemObject", "userCertificate", "userSMIMECertificate"}
}

// CountOnly reports whether NewObject reads only the number of values of the attribute (the
// certificates), so that a reader may pass placeholders instead of the values.
func CountOnly(name string) bool {
	return strings.EqualFold(name, "userCertificate") || strings.EqualFold(name, "userSMIMECertificate")
}

// Synced reports whether sync exports objects of this kind at all: users (not computers),
// groups and contacts.
func (o *Object) Synced() bool { return o.Class != matching.ClassUnknown && !o.Computer }

// NewObject builds an Object from an entry's attributes, given as name and values (values as
// stored: text, or raw bytes for binary attributes). Attribute names are compared
// case-insensitively and options such as ";binary" are ignored. A value that does not fit its
// attribute is recorded in Invalid, never returned as an error, so that one bad object does not
// stop a run. source says where the entry came from (file:line, an LDAP URL).
//
// The Object keeps the values slice of proxyAddresses (as ProxyAddresses) and strings of the
// other attributes' values, never their slices: a caller may reuse those.
func NewObject(dn, source string, attrs iter.Seq2[string, []string]) Object {
	var b ObjectBuilder
	b.Reset(dn, source)
	for name, values := range attrs {
		b.Add(name, values)
	}
	return b.Object()
}

// ObjectBuilder makes an Object from an entry's attributes added one at a time: NewObject for a
// reader that holds attributes in its own form, without an iterator per object. Reset starts an
// object, Add adds one attribute (as NewObject's attrs yields it) and Object returns the result.
// It keeps what NewObject keeps: the values slice of proxyAddresses, and strings.
type ObjectBuilder struct {
	o                          Object
	isUser, isGroup, isContact bool
}

// Reset starts the object with the given DN and source, forgetting any earlier one.
func (b *ObjectBuilder) Reset(dn, source string) {
	*b = ObjectBuilder{o: Object{OnPrem: matching.OnPrem{DN: dn, Source: source, Enabled: true}}}
}

// Add adds one attribute with its values; an attribute with no values is ignored.
func (b *ObjectBuilder) Add(name string, values []string) {
	if len(values) == 0 {
		return
	}
	if i := strings.IndexByte(name, ';'); i >= 0 {
		name = name[:i]
	}
	o := &b.o
	v := values[0]
	var buf [32]byte
	switch string(lowerASCII(buf[:0], name)) {
	case "objectclass":
		for _, c := range values {
			switch {
			case strings.EqualFold(c, "user"):
				b.isUser = true
			case strings.EqualFold(c, "computer"):
				o.Computer = true
			case strings.EqualFold(c, "group"):
				b.isGroup = true
			case strings.EqualFold(c, "contact"):
				b.isContact = true
			}
		}
	case "objectguid":
		if g, ok := guid(o, "objectGUID", values); ok {
			o.ObjectGUID = g
		}
	case "ms-ds-consistencyguid":
		if g, ok := guid(o, "mS-DS-ConsistencyGuid", values); ok {
			o.ConsistencyGUID = g
		}
	case "userprincipalname":
		o.UserPrincipalName = v
	case "proxyaddresses":
		o.ProxyAddresses = values
	case "mail":
		o.Mail = v
	case "mailnickname":
		o.MailNickname = v
	case "samaccountname":
		o.SAMAccountName = v
	case "objectsid":
		if s, msg := sid.Text(v); msg == "" {
			o.ObjectSID = s
		} else {
			o.Invalid = append(o.Invalid, InvalidValue{"objectSid", "is not a binary SID (" + strconv.Itoa(len(v)) + " bytes)"})
		}
	case "useraccountcontrol":
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			o.Enabled = n&0x2 == 0 // ACCOUNTDISABLE
		} else {
			o.Invalid = append(o.Invalid, InvalidValue{"userAccountControl", "is not a number"})
		}
	case "displayname":
		o.DisplayName = v
	case "givenname":
		o.GivenName = v
	case "sn":
		o.Surname = v
	case "cn":
		o.CN = v
	case "targetaddress":
		o.TargetAddress = v
	case "iscriticalsystemobject":
		o.CriticalSystemObject = strings.EqualFold(strings.TrimSpace(v), "TRUE")
	case "usercertificate":
		o.Certificates += len(values)
	case "usersmimecertificate":
		o.SMIMECertificates += len(values)
	}
}

// Object returns the object made of the attributes added since Reset.
func (b *ObjectBuilder) Object() Object {
	o := b.o
	switch {
	case b.isUser:
		o.Class = matching.ClassUser
	case b.isGroup:
		o.Class = matching.ClassGroup
	case b.isContact:
		o.Class = matching.ClassContact
	}
	if o.CN == "" {
		o.CN = firstRDNValue(o.DN)
	}
	// Connect's mail-enabled test (docs/entra-rules.md §7).
	o.MailEnabled = strings.Contains(o.Mail, "@")
	for _, p := range o.ProxyAddresses {
		if strings.HasPrefix(p, "SMTP:") && strings.Contains(p, "@") {
			o.MailEnabled = true
		}
	}
	return o
}

func guid(o *Object, attr string, values []string) (anchor.ObjectGUID, bool) {
	if len(values) > 1 {
		o.Invalid = append(o.Invalid, InvalidValue{attr, "has " + strconv.Itoa(len(values)) + " values (it is single-valued)"})
		return anchor.ObjectGUID{}, false
	}
	g, err := anchor.FromBytes([]byte(values[0]))
	if err != nil {
		o.Invalid = append(o.Invalid, InvalidValue{attr, "is " + strconv.Itoa(len(values[0])) + " bytes, not 16"})
		return anchor.ObjectGUID{}, false
	}
	return g, true
}

// firstRDNValue returns the value of the first RDN of dn ("Jane" for "CN=Jane,OU=…"), with
// escapes left as they are; "" when dn has none.
func firstRDNValue(dn string) string {
	eq := strings.IndexByte(dn, '=')
	if eq < 0 {
		return ""
	}
	rest := dn[eq+1:]
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '\\':
			i++
		case ',', '+':
			return rest[:i]
		}
	}
	return rest
}

// lowerASCII appends s lower-cased (ASCII only) to b, up to cap(b) bytes; longer names are cut,
// which no attribute read here needs.
func lowerASCII(b []byte, s string) []byte {
	for i := 0; i < len(s) && len(b) < cap(b); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
