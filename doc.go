// Package hybridid is a Go SDK for Microsoft Entra ID hybrid identity: it predicts what Entra
// Connect Sync and Cloud Sync will do when Active Directory users and Entra users meet, and moves
// users across the line (synced to cloud-only and back) safely, in bulk and resumably.
//
// This package holds no code; it is the map. The layers point one way:
//
//   - anchor: value types of the source anchor. ObjectGUID in AD wire order and its forms (GUID
//     text, ImmutableID, hex, connector-space DN, LDAP filter), and SourceAnchor for custom
//     anchors. Standard library only.
//   - dn: distinguished names, parsed, compared (the way AD compares them), escaped and walked
//     (parent, within a scope OU). Standard library only.
//   - matching: the pure engine. On-premises and cloud records in, one outcome per object out
//     (joined, hard-match, soft-match-smtp, soft-match-upn, new, blocked, out-of-scope, error;
//     matched, deleted, untouched), with the reason, the fix and a takeover preview. No I/O, no
//     clock. Its identifier rules (CheckUPN, EqualFold) are shared with validation.
//   - validation: pre-sync validation, pure like matching: IdFix's rules and Entra's refusals,
//     each finding with a severity, a consequence and a suggested value, and a fix LDIF.
//   - ldif and snapshot: streaming readers and writers of LDIF exports and tenant snapshot
//     files, producing matching records without compiling any SDK.
//   - conversion: plan, apply, journal and undo for every synced ⇄ cloud-only workflow; it
//     declares the small interfaces (ports) it needs from the directory and the tenant, and
//     reports a tenant's readiness. conversion/conversiontest holds in-memory fakes of the ports
//     and the conformance suites that the fakes and the real adapters pass.
//   - graphx: the Microsoft Graph adapter (msgraph-sdk-go, azidentity); graphx/graphxtest is an
//     in-process fake Graph that the real SDK client talks to.
//   - ldapx: the Active Directory adapter (go-ldap); ldapx/ldapxtest holds an in-memory
//     directory, the conformance suite and a throwaway Samba AD DC launcher.
//   - examples/hybridctl: the example binary, a thin command over the exported API.
//
// Only graphx imports the Graph SDK and only ldapx imports go-ldap, so a program that uses
// anchor or matching compiles neither.
//
// The contracts and rules live in the repository's docs directory: docs/entra-rules.md (the Entra
// rules the packages implement, with their public sources), docs/outcomes.md (the outcome
// vocabulary), docs/snapshot.md (the tenant snapshot format), docs/cli.md (the hybridctl
// contract), docs/engine.md (how the engine applies the rules) and docs/validation.md (the
// validation rules).
package hybridid
