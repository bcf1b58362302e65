// Package dn parses, compares and builds LDAP distinguished names (RFC 4514) the way Active
// Directory uses them. It is the one place in this module that knows DN syntax: matching's sync
// scope, the ldapx adapter and its fake, and conversion all go through it. Standard library only.
//
// What it does:
//   - [Parse] turns text into a [DN] value held in a canonical form (strict: it accepts the
//     documented forms and nothing else, and fails with a [*ParseError] that wraps [ErrEmpty],
//     [ErrSyntax], [ErrEscape] or [ErrType]).
//   - [DN.Equal], [DN.Within] (the sync-scope test: an OU or anything below it), [DN.IsUnder]
//     (strictly below), [DN.Parent] and [DN.RDN] allocate nothing; [Equal] compares two texts.
//   - [DN.Normalize] and [Key] give map keys; [EscapeValue], [NewRDN] and [DN.Child] build DNs for new
//     objects.
//
// What it does not do: it knows no schema, so a numeric OID never equals the attribute name it
// stands for ("2.5.4.3" is not "CN"), and a "#…" (BER) value is compared by its bytes, never
// with a string value. It does not accept the legacy forms of RFC 1779 and RFC 2253 (';' as a
// separator, quoted values, an "OID." prefix), nor AD's extended forms ("<GUID=…>",
// "<SID=…>"): callers that address objects that way handle them before parsing.
//
// # Comparison
//
// AD compares DNs case-insensitively. The exact folding it applies to non-ASCII characters is not
// documented; this package takes the same side as the engine's identifier comparison
// (docs/entra-rules.md): attribute types fold ASCII case; in values, ASCII letters fold to each
// other, a non-ASCII character equals another non-ASCII character with the same simple
// upper-case mapping (unicode.ToUpper), and never an ASCII one, so the Kelvin sign, the long s,
// the dotless i and the dotted capital I are not k, s or i. No full Unicode case folding and no
// normalization (NFC/NFD) is applied: "é" written precomposed and decomposed are different.
// Escaping and the spaces around separators never matter; a space inside a value does.
// Attributes of a multi-valued RDN compare as a set.
//
// The zero DN is absent: nothing is equal to it but itself and nothing is under it, so a
// scope check against a DN that failed to parse selects nothing.
package dn
