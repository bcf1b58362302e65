// Package matchingtest generates deterministic populations for the matching engine: n
// on-premises users and n cloud objects with realistic overlaps and conflicts (mostly joined
// pairs, plus hard-match and soft-match candidates on SMTP and UPN, synced objects with another
// anchor, admins, soft-deleted users, SOA-converted users, contacts colliding with users,
// duplicates, out-of-scope and filtered accounts, orphans), the tenant settings and the sync
// configuration to evaluate them with. Dataset.Kinds says which scenario each on-premises object
// was built for. Other packages turn a Dataset into LDIF and snapshot files.
//
// It does not generate groups, custom anchors or Cloud Sync configurations; build those by hand.
package matchingtest
