// Package ldif reads and writes LDIF (RFC 2849) as Active Directory tools write it, and maps
// entries to the on-premises records of package matching.
//
// Reader reads the output of "ldifde -f" and "ldapsearch -LLL": the version line, folded lines
// (a continuation line starts with one space), "attr:: base64" values (binary attributes such as
// objectGUID, and non-ASCII text, which ldifde Base64-encodes; docs/entra-rules.md §7), comments (including
// the "# refldap://…" referral lines ldapsearch prints), several values per attribute, ranged
// attribute names ("member;range=0-1499", merged under the plain name), CRLF line endings and
// "changetype: add" records. It streams: one entry at a time, whatever the size of the input.
// Attribute names are compared case-insensitively, as LDAP does. Every error names the input and
// line ("people.ldif:42: objectGUID: 15 bytes …") and wraps ErrSyntax, ErrUnsupported or ErrValue.
//
// Mapping.OnPrem turns an entry into a matching.OnPrem: objectClass user (but not computer),
// group or contact; objectGUID and mS-DS-ConsistencyGuid as their 16 raw bytes (docs/entra-rules.md §1.3,
// §7: the Base64 in an ldifde export of objectGUID is the objectGUID-based ImmutableID);
// objectSid to S-1-5-… text; Enabled from userAccountControl's ACCOUNTDISABLE bit (docs/entra-rules.md §7);
// MailEnabled by Connect's mail-enabled test (docs/entra-rules.md §7); an optional custom sourceAnchor
// attribute (docs/entra-rules.md §1.2, §1.5). Writer writes entries, and records through EntryOf, so that
// Reader reads them back identically.
//
// What it does not do: URL values ("attr:< file://…"), change records other than add, and LDIF
// controls are refused with ErrUnsupported; it does not apply changes to a directory, resolve
// ranged attributes by further searches (it keeps the values the file holds), or decide which
// objects are in sync scope (the matching engine does).
package ldif
