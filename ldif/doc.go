// Package ldif reads and writes LDIF (RFC 2849) as Active Directory tools write it, and maps
// entries to the on-premises records of package matching.
//
// # What Reader reads
//
// Reader reads the exports administrators already have, in the forms the tools write them:
//
//   - ldapsearch in its default form: header comments ("# extended LDIF", "# LDAPv3", …), a
//     "# name, parent" comment before each entry, search references as "ref: ldap://…" records,
//     the result lines "search: 2" / "result: 0 Success" (with "text:", "control:" and
//     "pagedresults:" lines when there are any) after each page, and the closing
//     "# numResponses:" / "# numEntries:" comments;
//   - ldapsearch -L, -LL and -LLL: the same with fewer comments, references as
//     "# refldap://…" comment lines;
//   - ldifde -f (ANSI: ldifde writes every non-ASCII value in Base64, docs/entra-rules.md §7)
//     and ldifde -u (UTF-16LE after a byte-order mark, decoded as it streams), with CRLF line
//     ends and "changetype: add" records;
//   - a UTF-8 byte-order mark (editors add one), CRLF line ends anywhere.
//
// Folded lines (a continuation line starts with one space), "attr:: base64" values (binary
// attributes such as objectGUID, and non-ASCII text), several values per attribute, and ranged
// attribute names ("member;range=0-1499", merged under the plain name) are read. Search
// references are skipped with a Warning naming the line (WithWarnings): the objects under
// them are in another naming context or domain, and are not in the export. Attribute names are
// compared case-insensitively, as LDAP does. Reader streams: one entry at a time, whatever the
// size of the input.
//
// CSV (PowerShell's Export-Csv, csvde), PowerShell's Format-List output and UTF-16 without a
// byte-order mark are refused with the command that writes an accepted export. Every error
// names the input and line ("people.ldif:42: objectGUID: 15 bytes …") and wraps ErrSyntax,
// ErrUnsupported, ErrValue or ErrIncomplete.
//
// # Complete exports
//
// A truncated export is the worst input this package can be given: the objects missing from
// it look deleted to a match. So Reader fails with ErrIncomplete, naming the file, the line and
// the last complete entry (its DN and line), when the input does not end the way its tool ends
// a whole export:
//
//   - every form: the last line ends with a line end. An input that stops in the middle of a
//     line (or of a value, or of a UTF-16 character) is cut short.
//   - ldapsearch's default form (it starts with "# extended LDIF"): the result lines
//     ("search:" / "result:") are present, the result is 0 (any other result, such as
//     4 "Size limit exceeded", means the server stopped the search early), the last page's
//     "pagedresults:" cookie is empty, and the closing "# numResponses:" comment is present;
//     when a "# numEntries:" comment is present, it agrees with the entries read. This form
//     gives the strongest check; prefer it (with -E pr=1000/noprompt to page past AD's
//     MaxPageSize) when the export is made for this package.
//   - ldapsearch -L (it has the "# LDAPv3" header comment but no result lines): the closing
//     "# numResponses:" comment is present, and "# numEntries:" agrees.
//   - ldapsearch -LLL (the first line is a dn line, no changetype lines): every entry is
//     followed by a blank line, the last one included, so a cut at a line end inside the last
//     entry is caught too.
//   - ldapsearch -LL, ldifde and this package's Writer promise only the final line end: a cut
//     that falls exactly at a line end inside an entry cannot be told from a whole entry in
//     these forms. A cut between entries cannot be told in any form without result lines.
//
// AcceptPartialExport reads such an input anyway, with a Warning (Err = ErrIncomplete) in
// place of the error; an entry cut off at the end is dropped, never returned half.
//
// # Mapping and writing
//
// Mapping.OnPrem turns an entry into a matching.OnPrem: objectClass user (but not computer),
// group or contact; objectGUID and mS-DS-ConsistencyGuid as their 16 raw bytes
// (docs/entra-rules.md §1.3, §7: the Base64 in an ldifde export of objectGUID is the
// objectGUID-based ImmutableID); objectSid to S-1-5-… text; Enabled from userAccountControl's
// ACCOUNTDISABLE bit (§7); MailEnabled by Connect's mail-enabled test (§7); an optional custom
// sourceAnchor attribute (§1.2, §1.5). Writer writes entries, and records through EntryOf, so
// that Reader reads them back identically.
//
// What it does not do: URL values ("attr:< file://…", what ldapsearch -t writes), change
// records other than add, and LDIF controls are refused with ErrUnsupported; it does not apply
// changes to a directory, resolve ranged attributes by further searches (it keeps the values
// the file holds), or decide which objects are in sync scope (the matching engine does).
package ldif
