// Package ldif reads and writes LDIF (RFC 2849) as Active Directory tools write it, and maps
// entries to the on-premises records of package matching.
//
// Reader streams the exports administrators already have: ldapsearch in any mode (default, -L,
// -LL, -LLL, paged), ldifde -f and ldifde -u (UTF-16LE), with byte-order marks and CRLF line
// ends; it skips search references with a Warning. An export that is not whole (cut short, or
// ended by a size limit) fails with ErrIncomplete, naming the last complete entry, unless
// AcceptPartialExport is given: the objects missing from it would look deleted. Every error
// names the input and line. Mapping.OnPrem turns an entry into a matching.OnPrem; a value that
// cannot be decoded becomes a read error on that record, never a failed read. Writer writes
// entries that Reader reads back identically.
//
// It does not read modify records, CSV or Format-List output (they are refused with the command
// that writes an accepted export), nor values held in files (attr:< URLs).
//
// Details (what Reader reads, what "complete" means for each tool, mapping and writing):
// docs/ldif.md.
package ldif
