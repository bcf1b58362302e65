// Package validation finds, before a directory is synced, the values Microsoft Entra ID would
// refuse, quarantine or rename: the rules of Microsoft's IdFix tool and Entra's own refusals,
// each with a stable id, a severity, what sync would do (block, quarantine, rename or nothing)
// and, where one can be made safely, a suggested value. docs/validation.md lists every rule with
// its source.
//
// Like package matching it is pure: objects in, findings out; no I/O, no context, no clock.
// Object is the record it reads: matching.OnPrem plus the raw attributes only the rules need
// (cn, targetAddress, isCriticalSystemObject, certificate counts). NewObject builds one from any
// entry's attributes; ldif.ReadObjects and ldapx's Client.ValidationObjects read them from an
// export or a live directory. A Validator checks objects one at a time and remembers only the
// values of the unique attributes, so a million objects stream through it. A caller that keeps
// the records anyway (to run the engine on them) gives them to the Validator (Config.Records)
// and checks them with CheckRecord: the Validator then refers to their values instead of
// copying them.
//
// The userPrincipalName rules are matching.CheckUPN's, the table the engine applies, and values
// are compared as matching.EqualFold compares them. With a tenant (Config.Tenant) the suffixes
// of userPrincipalName and smtp addresses are checked against its verified domains; Collisions
// turns matching.Evaluate's (or matching.EvaluateOnPrem's) report into findings for the values a cloud object that will not be
// matched already holds.
//
// Choices where Microsoft documents no behaviour (docs/entra-rules.md §3, §3.1):
//   - A leading '.' in mailNickname, duplicate mail, mailNickname, sAMAccountName and
//     targetAddress values, invalid characters and a second primary "SMTP:" are reported as
//     blocking: the safe side.
//   - X500 values are judged as X500 paths (/name=value/…), in which spaces, parentheses and
//     apostrophes are valid; the character rules apply to smtp: and sip: values only, since
//     other types (X400, EUM) use ';' and spaces by design and proxy calculation discards
//     legacy types anyway.
//   - The sAMAccountName rules apply to users without a userPrincipalName, not to groups,
//     whose names AD allows to be longer.
//   - An smtp address on a subdomain of a verified domain counts as verified (Entra verifies a
//     subdomain through its parent when it is added); a userPrincipalName suffix must be a
//     verified domain itself, as the engine requires.
//   - "Routable" means two labels or more and not an internal top-level name (.local, .lan,
//     .internal, .corp, …); with a tenant, "verified" replaces it.
//   - Entra's total object size limit is not documented as a number; only the proxyAddresses
//     count (above about 300) and the 15-certificate limit are checked.
//   - Objects IdFix leaves out (well-known names, names ending in '$', conflict objects,
//     critical system objects) get one info finding and no other check, and their values do
//     not count as duplicates.
//
// What it does not do: read or write a directory, decide sync scope (the matching engine
// does), or apply corrections; AppendFixLDIF writes them as an LDIF change file for review.
package validation
