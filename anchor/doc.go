// Package anchor holds the value types of a source anchor: the link between an Active Directory
// object and its Entra ID object.
//
// An [ObjectGUID] is the 16-byte value of objectGUID or mS-DS-ConsistencyGuid in AD wire order
// (Data1–Data3 little-endian, as LDAP returns it and as .NET Guid.ToByteArray produces it). Entra
// Connect sends its Base64, the ImmutableID, to Entra as onPremisesImmutableId
// (docs/entra-rules.md §1.2–§1.3). The same value has these common spellings, and this package
// parses and formats each of them exactly:
//
//	guid         8be74422-b0d9-47ec-b861-e7de1a9cfb20          ParseGUID   / String, AppendGUID
//	             {8BE74422-B0D9-47EC-B861-E7DE1A9CFB20}        (braces, any case)
//	immutableid  IkTni9mw7Ee4YefeGpz7IA==                      ParseImmutableID / ImmutableID
//	hex          2244e78bd9b0ec47b861e7de1a9cfb20              ParseHex    / Hex
//	             22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20  (as the ADUC Attribute Editor shows it)
//	dn           CN={496B546E69396D77374565345965666547707A3749413D3D}  ParseConnectorDN / ConnectorDN
//	ldapfilter   \22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20      ParseLDAPFilterValue / LDAPFilterValue
//
// [Parse] detects the form. Thirty-two hex digits are ambiguous (wire-order hex, or a GUID
// without dashes in text order) and Parse refuses them with [ErrAmbiguous]; say which with
// [ParseAs]. The space-separated pairs and the escaped filter value are not ambiguous: tools
// show octet strings in wire order.
//
// # Cloud-sourced objects
//
// Entra Connect's Entra connector space also holds objects created in the cloud. Their DN has the
// same CN={hex} shape, but the hex spells "<Type>_<cloud object id>" (User_7c9e6679-…) instead of
// an ImmutableID. [ParseCloudConnectorDN] returns such a DN as a [CloudAnchor] (the object type and
// the cloud object id); ParseConnectorDN and Parse refuse it with [ErrCloudAnchor], since it
// names no AD object. The text form is confirmed by Microsoft's MSIdentityTools module
// (ConvertFrom-MsIdAadcAadConnectorSpaceDn); the list of object types is not documented, so
// only User, Group, Contact and Device are accepted.
//
// # Byte order
//
// RFC 4122 libraries such as github.com/google/uuid and Python's uuid.UUID.bytes use big-endian
// (text) order. Base64 of those bytes is the wrong ImmutableID: for
// 35918bc9-196d-40ea-9779-889d79b753f0 it gives NZGLyRltQOqXeYidebdT8A== instead of
// yYuRNW0Z6kCXeYidebdT8A== (docs/entra-rules.md §1.3). [CheckImmutableID] recognises that mistake
// ([ErrByteOrder]) and Base64 of the GUID's text ([ErrGUIDText]), and names the correct value.
// [ObjectGUID.RFCBytes] and [FromRFCBytes] convert to and from the RFC order when a caller must
// interoperate with such a library.
//
// # Strictness
//
// Each parser accepts its documented form and nothing else, and fails with a [*ParseError] that
// names the function, the input and the reason, in the model of strconv.NumError:
//
//	anchor.ParseImmutableID("IkTni9mw7Ee4YefeGpz7I-=="): URL-safe Base64 character '-' at offset 21 (…)
//
// The reason wraps one of [ErrSyntax], [ErrLength], [ErrAmbiguous], [ErrGUIDText], [ErrCloudAnchor]
// or [ErrEmpty]. Messages name functions, never a command's flags: a program maps the sentinels
// to its own hints.
// ParseImmutableID accepts only the canonical, padded, standard-alphabet Base64 of 16 bytes:
// everything .NET's Convert.FromBase64String plus a 16-byte check would refuse, and also
// whitespace and non-zero trailing bits, which Connect never produces, so such a value could
// never hard-match.
//
// # Source anchors that are not GUIDs
//
// A directory may use a custom sourceAnchor attribute (docs/entra-rules.md §1.5): a string attribute such
// as employeeID is sent as is, a binary or integer one as Base64 of its bytes. [SourceAnchor] is
// the value Entra receives, GUID or not; [ParseSourceAnchor] refuses only what Graph refuses
// ('$', '_', empty: docs/entra-rules.md §1.7) and [SourceAnchor.Diagnose] reports the classic mistakes in a
// value Graph accepted.
//
// # Value semantics
//
// Both types are small comparable values in the model of net/netip: use them as map keys and
// compare them with ==. Their zero values mean "absent" and marshal to "" (the nil GUID
// 00000000-0000-0000-0000-000000000000 is a present value). Parsing and the Append* formatters
// allocate nothing.
//
// The package uses the standard library only.
package anchor
