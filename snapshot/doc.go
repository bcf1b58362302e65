// Package snapshot reads and writes tenant snapshot files (docs/snapshot.md): what the
// library knows of an Entra tenant at one moment, with every object in the shape Microsoft Graph
// v1.0 returns, and converts them to the records of package matching.
//
// Read streams: it walks the top-level object with encoding/json's Token and decodes one array
// element at a time, so that a file of a million users never exists in memory a second time as
// JSON text. Inside an array a scanner of its own (scan.go) finds each element's end in a 256 KiB
// buffer, checking it as strictly as encoding/json, and the element is decoded where it lies; the
// common element shapes are decoded without reflection (fast.go), with one string per element
// that its string fields share. At the first element the scanner does not take (a syntax error, a
// truncated file, an element that is not an object) encoding/json reads the rest of the array,
// so every error, its JSON path and its byte offset are encoding/json's; a differential fuzz test
// holds the two to the same result. ReadRecords is Read followed by Tenant and Cloud without the
// Snapshot in between: it turns each object into its matching record as it reads it, so that a
// large snapshot's objects and records are never in memory together; a command that only
// evaluates a snapshot file should call it rather than Read then Cloud.
// Members the package does not know are kept in the Extra maps and written back by
// Writer, which streams too (one object per line). Read fails with an *Error naming the JSON path
// ("tenant.json: users[12].onPremisesImmutableId: …") for a member of the wrong type, a missing
// or duplicate id, a missing takenAt, and an onPremisesImmutableId that Graph itself refuses
// (docs/entra-rules.md §1.7: '$' or '_'); a well-formed anchor that is not a GUID (a custom sourceAnchor such
// as an employee ID, docs/entra-rules.md §1.5) is valid and kept. Snapshot.Tenant and Snapshot.Cloud give
// the matching records: features from onPremisesSynchronization (docs/entra-rules.md §2.2, §2.4, §6.3), role
// assignments (docs/entra-rules.md §6.7), deleted users (docs/entra-rules.md §6.2), and AsOf = takenAt.
//
// What it does not do: it does not talk to Graph (package graphx writes snapshots from a live
// tenant), it does not judge anchors beyond what Graph refuses (anchor.SourceAnchor.Diagnose
// does), and it does not validate Graph's other rules (UPN syntax, proxy address uniqueness): the
// matching engine reports those.
package snapshot
