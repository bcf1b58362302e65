package anchor

import (
	"strconv"
	"strings"
	"unsafe"
)

// CloudObjectType is the kind of a cloud-sourced object named by its Entra connector-space DN.
type CloudObjectType uint8

// The object types a cloud anchor names. The zero value is "none".
const (
	CloudUser CloudObjectType = iota + 1
	CloudGroup
	CloudContact
	CloudDevice
)

var cloudTypeNames = [...]string{CloudUser: "User", CloudGroup: "Group", CloudContact: "Contact", CloudDevice: "Device"}

// String returns the type as the cloud anchor spells it: User, Group, Contact or Device.
func (t CloudObjectType) String() string {
	if t > 0 && int(t) < len(cloudTypeNames) {
		return cloudTypeNames[t]
	}
	return "CloudObjectType(" + strconv.Itoa(int(t)) + ")"
}

// CloudAnchor identifies an object that was created in Entra ID (not synced from AD) as Entra
// Connect's Entra connector space names it: its type and its cloud object id. Connect gives such
// an object the anchor text "<Type>_<object id>", e.g. User_7c9e6679-7425-40de-944b-e07fc1f90ae7,
// and its connector-space DN is CN={<hex of that text>}, the same construction as for a GUID
// anchor (docs/entra-rules.md §1.2). Microsoft's MSIdentityTools module decodes both forms
// (ConvertFrom-MsIdAadcAadConnectorSpaceDn). Which object types occur is not documented; this
// package accepts User, Group, Contact and Device, in any letter case, and refuses others.
//
// CloudAnchor is a comparable value; its zero value means "absent".
type CloudAnchor struct {
	typ CloudObjectType
	id  ObjectGUID
}

// Type returns the object type.
func (c CloudAnchor) Type() CloudObjectType { return c.typ }

// ObjectID returns the cloud object id (the object's id in Microsoft Graph) in lower case, or ""
// for the zero value.
func (c CloudAnchor) ObjectID() string { return c.id.String() }

// AppendObjectID appends the cloud object id in lower case to b; nothing for the zero value.
func (c CloudAnchor) AppendObjectID(b []byte) []byte { return c.id.AppendGUID(b) }

// IsZero reports whether c is the zero value.
func (c CloudAnchor) IsZero() bool { return c.typ == 0 }

// maxCloudText is the longest anchor text: "Contact_" and a 36-character id.
const maxCloudText = len("Contact_") + GUIDLen

// AppendText appends the anchor text, e.g. User_7c9e6679-7425-40de-944b-e07fc1f90ae7. It
// appends nothing for the zero value. It implements encoding.TextAppender.
func (c CloudAnchor) AppendText(b []byte) ([]byte, error) {
	if c.typ == 0 {
		return b, nil
	}
	b = append(b, c.typ.String()...)
	b = append(b, '_')
	return c.id.AppendGUID(b), nil
}

// String returns the anchor text, or "" for the zero value.
func (c CloudAnchor) String() string {
	var buf [maxCloudText]byte
	b, _ := c.AppendText(buf[:0])
	return string(b)
}

// MarshalText implements encoding.TextMarshaler with the anchor text.
func (c CloudAnchor) MarshalText() ([]byte, error) { return c.AppendText(nil) }

// UnmarshalText implements encoding.TextUnmarshaler: what ParseCloudAnchor accepts, and "" for
// the zero value.
func (c *CloudAnchor) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*c = CloudAnchor{}
		return nil
	}
	v, err := ParseCloudAnchor(string(text))
	if err == nil {
		*c = v
	}
	return err
}

// AppendConnectorDN appends the connector-space DN, CN={<upper-case hex of the anchor text>}.
// It appends nothing for the zero value.
func (c CloudAnchor) AppendConnectorDN(b []byte) []byte {
	if c.typ == 0 {
		return b
	}
	var text [maxCloudText]byte
	t, _ := c.AppendText(text[:0])
	b = append(b, "CN={"...)
	for _, ch := range t {
		p := upperHexPairs[ch]
		b = append(b, p[0], p[1])
	}
	return append(b, '}')
}

// ConnectorDN returns the connector-space DN, or "" for the zero value.
func (c CloudAnchor) ConnectorDN() string {
	var buf [5 + 2*maxCloudText]byte
	return string(c.AppendConnectorDN(buf[:0]))
}

// ParseCloudAnchor parses the anchor text "<Type>_<object id>": a type of CloudObjectType in any
// case, an underscore, and the object id as a 36-character GUID in any case.
func ParseCloudAnchor(s string) (CloudAnchor, error) {
	const fn = "ParseCloudAnchor"
	if s == "" {
		return CloudAnchor{}, perr(fn, s, ErrEmpty, "")
	}
	c, msg := parseCloudText(s)
	if msg != "" {
		return CloudAnchor{}, perr(fn, s, ErrSyntax, msg)
	}
	return c, nil
}

// ParseCloudConnectorDN parses the connector-space DN of a cloud-sourced object: "CN={" (the
// CN in any case), the hex digits (any case) of its anchor text "<Type>_<object id>", and "}".
func ParseCloudConnectorDN(s string) (CloudAnchor, error) {
	const fn = "ParseCloudConnectorDN"
	hex, err := connectorDNText(fn, s)
	if err != nil {
		return CloudAnchor{}, err
	}
	var text [maxCloudText]byte
	n, msg := decodeCloudHex(&text, hex)
	if msg != "" {
		return CloudAnchor{}, perr(fn, s, ErrSyntax, msg)
	}
	// The text does not outlive the call: parseCloudText and its errors copy what they keep.
	c, msg := parseCloudText(unsafe.String(&text[0], n))
	if msg != "" {
		return CloudAnchor{}, perr(fn, s, ErrSyntax, "the hex spells \""+string(text[:n])+"\", not <Type>_<object id>: "+msg)
	}
	return c, nil
}

// decodeCloudHex decodes the hex between the braces into text.
func decodeCloudHex(text *[maxCloudText]byte, hex string) (int, string) {
	if len(hex)%2 != 0 {
		return 0, "an odd number of hex digits (" + strconv.Itoa(len(hex)) + ")"
	}
	if len(hex) > 2*maxCloudText || len(hex) < 2*(len("User_")+GUIDLen) {
		return 0, "the braces hold " + strconv.Itoa(len(hex)) + " hex digits (want " +
			strconv.Itoa(2*(len("User_")+GUIDLen)) + " to " + strconv.Itoa(2*maxCloudText) + ": the hex of <Type>_<object id>)"
	}
	n := len(hex) / 2
	if i := decodeHex(text[:n], hex); i >= 0 {
		return 0, "invalid hex digit " + quoteByte(hex[i]) + " at offset " + strconv.Itoa(i+4)
	}
	return n, ""
}

// parseCloudText parses "<Type>_<guid>"; it returns a reason on failure.
func parseCloudText(s string) (CloudAnchor, string) {
	us := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '_' {
			us = i
			break
		}
	}
	if us < 0 {
		return CloudAnchor{}, "no '_' between the object type and the object id"
	}
	var c CloudAnchor
	typ := s[:us]
	for t := CloudUser; t <= CloudDevice; t++ {
		if len(typ) == len(cloudTypeNames[t]) && strings.EqualFold(typ, cloudTypeNames[t]) {
			c.typ = t
		}
	}
	if c.typ == 0 {
		return CloudAnchor{}, "unknown object type " + strconv.Quote(string(typ)) + " (want User, Group, Contact or Device)"
	}
	id := s[us+1:]
	if len(id) != GUIDLen {
		return CloudAnchor{}, "the object id has " + strconv.Itoa(len(id)) + " characters (want a 36-character GUID)"
	}
	g, err := ParseGUID(id)
	if err != nil {
		return CloudAnchor{}, "the object id is not a GUID: " + err.(*ParseError).Err.Error()
	}
	c.id = g
	return c, ""
}
