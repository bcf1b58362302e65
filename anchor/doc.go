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
// Details (cloud-sourced objects, byte order, strictness, source anchors that are not GUIDs,
// value semantics): docs/anchor.md.
package anchor
