package matching_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

const (
	base   = "OU=Synced,DC=corp,DC=example,DC=test"
	domain = "corp.example.test"
)

var (
	guidA = anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	guidB = anchor.MustParse("35918bc9-196d-40ea-9779-889d79b753f0")
	guidC = anchor.MustParse("88666888-0101-1111-bbbb-1234567890ab")
	idA   = anchor.AnchorOf(guidA) // IkTni9mw7Ee4YefeGpz7IA==
	idB   = anchor.AnchorOf(guidB)
	idC   = anchor.AnchorOf(guidC)
	mayAs = time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC) // before both 2026 blocks
)

func ptr[T any](v T) *T { return &v }

func tenant() matching.TenantState {
	return matching.TenantState{
		ID:       "tenant-1",
		Features: matching.Features{SoftMatchOnUPN: true},
		Domains: []matching.Domain{
			{Name: domain, IsDefault: true, Type: "Managed"},
			{Name: "example.onmicrosoft.com", IsInitial: true, Type: "Managed"},
		},
		AsOf: mayAs,
	}
}

func adUser(name string, g anchor.ObjectGUID) matching.OnPrem {
	return matching.OnPrem{
		DN: "CN=" + name + ",OU=Users," + base, Class: matching.ClassUser, ObjectGUID: g,
		UserPrincipalName: name + "@" + domain, ProxyAddresses: []string{"SMTP:" + name + "@" + domain},
		Mail: name + "@" + domain, SAMAccountName: name, ObjectSID: "S-1-5-21-1-2-3-" + name,
		Enabled: true, DisplayName: name,
	}
}

func cloudOnly(id, name string) matching.Cloud {
	return matching.Cloud{
		ID: id, Class: matching.ClassUser, UserPrincipalName: id + "@" + domain, DisplayName: name,
		ProxyAddresses: []string{"SMTP:" + id + "@" + domain}, UserType: "Member", AccountEnabled: ptr(true),
	}
}

func synced(id, name string, a anchor.SourceAnchor) matching.Cloud {
	c := cloudOnly(id, name)
	c.UserPrincipalName = name + "@" + domain
	c.ProxyAddresses = []string{"SMTP:" + name + "@" + domain}
	c.Mail = name + "@" + domain
	c.DisplayName = name
	c.ImmutableID = a
	c.SyncEnabled = ptr(true)
	c.OnPremisesSecurityIdentifier = "S-1-5-21-1-2-3-" + name
	return c
}

type scenario struct {
	name   string // ends with the docs/entra-rules.md section it encodes
	cfg    matching.Config
	tenant func(*matching.TenantState)
	onprem []matching.OnPrem
	cloud  []matching.Cloud
	// expectations for onprem[0] (and cloud[0] when cloudOutcome is set)
	outcome      matching.Outcome
	code         matching.Code
	target       string
	predictedUPN string
	cloudOutcome matching.Outcome
	warning      string
	check        func(t *testing.T, r *matching.Report)
}

func runScenarios(t *testing.T, cases []scenario) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := tenant()
			if tc.tenant != nil {
				tc.tenant(&tn)
			}
			rep := matching.Evaluate(tc.cfg, tn, tc.onprem, tc.cloud)
			require.Len(t, rep.Objects, len(tc.onprem)+len(tc.cloud))
			got := rep.OnPrem()[0]
			assert.Equal(t, tc.outcome, got.Outcome, "outcome; reason: %s", got.Reason)
			assert.Equal(t, tc.code, got.Code, "code; reason: %s", got.Reason)
			assert.Equal(t, tc.target, got.Target, "target")
			assert.NotEmpty(t, got.Reason)
			if tc.predictedUPN != "" {
				assert.Equal(t, tc.predictedUPN, got.PredictedUPN)
			}
			if tc.cloudOutcome != matching.OutcomeUnknown {
				assert.Equal(t, tc.cloudOutcome, rep.Cloud()[0].Outcome, "cloud outcome; reason: %s", rep.Cloud()[0].Reason)
			}
			if tc.warning != "" {
				codes := make([]string, 0, len(rep.Warnings))
				for _, w := range rep.Warnings {
					codes = append(codes, w.Code)
				}
				assert.Contains(t, codes, tc.warning)
			}
			if tc.check != nil {
				tc.check(t, rep)
			}
		})
	}
}

func TestOutcomes(t *testing.T) {
	t.Parallel()
	ann := adUser("ann", guidA)
	withCG := ann
	withCG.ConsistencyGUID = guidB

	deleted := synced("c1", "ann", idA)
	deleted.SyncEnabled, deleted.Deleted, deleted.DeletedAt = ptr(false), true, mayAs.Add(-10*24*time.Hour)
	expired := deleted
	expired.DeletedAt = mayAs.Add(-31 * 24 * time.Hour)

	hard := cloudOnly("c1", "Ann (cloud)")
	hard.ImmutableID = idA

	smtp := cloudOnly("c1", "Ann (cloud)")
	smtp.ProxyAddresses = []string{"SMTP:ann@" + domain, "smtp:ann@legacy.test"}
	smtp.UserPrincipalName = "ann.cloud@" + domain

	upn := cloudOnly("c1", "Ann (cloud)")
	upn.UserPrincipalName = "ann@" + domain
	upn.ProxyAddresses = nil

	unverified := adUser("ann", guidA)
	unverified.UserPrincipalName = "ann@corp.local"
	unverified.MailNickname = "ann.lee"

	runScenarios(t, []scenario{
		{name: "joined: synced object carries the anchor §2.1", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{synced("c1", "ann", idA)}, outcome: matching.Joined, target: "c1",
			predictedUPN: "ann@" + domain, cloudOutcome: matching.Matched},
		{name: "hard-match: cloud-only object with the anchor §2.1", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{hard}, outcome: matching.HardMatch, target: "c1", cloudOutcome: matching.Matched},
		{name: "hard-match: anchor is mS-DS-ConsistencyGuid when set §1.2", onprem: []matching.OnPrem{withCG},
			cloud:   []matching.Cloud{func() matching.Cloud { c := hard; c.ImmutableID = idB; return c }()},
			outcome: matching.HardMatch, target: "c1"},
		{name: "new: objectGUID anchor setting ignores mS-DS-ConsistencyGuid §1.4",
			cfg: matching.Config{SourceAnchor: matching.AnchorObjectGUID}, onprem: []matching.OnPrem{withCG},
			cloud:   []matching.Cloud{func() matching.Cloud { c := hard; c.ImmutableID = idB; c.ProxyAddresses = nil; return c }()},
			outcome: matching.New},
		{name: "hard-match: soft-deleted synced user within 30 days is restored §2.4 §4a", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{deleted}, outcome: matching.HardMatch, target: "c1", cloudOutcome: matching.Matched},
		{name: "new: soft-deleted user past 30 days is gone §4a", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{expired}, outcome: matching.New, cloudOutcome: matching.Untouched},
		{name: "hard-match: ImmutableID compares byte-exact §1.5", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{func() matching.Cloud {
				c := hard
				c.ImmutableID = anchor.MustParseSourceAnchor("iktni9mw7ee4yefegpz7ia==")
				c.ProxyAddresses = nil
				return c
			}()}, outcome: matching.New, cloudOutcome: matching.Untouched},
		{name: "soft-match-smtp: primary SMTP equal, no ImmutableID §2.1", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{smtp}, outcome: matching.SoftMatchSMTP, target: "c1", cloudOutcome: matching.Matched,
			check: func(t *testing.T, r *matching.Report) {
				got := r.OnPrem()[0]
				assert.Equal(t, []string{"smtp:ann@legacy.test"}, got.LostProxyAddresses)
				assert.Contains(t, got.Takeover, matching.Overwrite{Attribute: "userPrincipalName", Before: "ann.cloud@" + domain, After: "ann@" + domain})
				assert.Contains(t, got.Takeover, matching.Overwrite{Attribute: "displayName", Before: "Ann (cloud)", After: "ann"})
			}},
		{name: "soft-match-smtp: comparison ignores case §2.1", onprem: []matching.OnPrem{func() matching.OnPrem {
			o := ann
			o.ProxyAddresses = []string{"SMTP:ANN@CORP.EXAMPLE.TEST"}
			return o
		}()}, cloud: []matching.Cloud{smtp}, outcome: matching.SoftMatchSMTP, target: "c1"},
		{name: "soft-match-smtp: SMTP wins over UPN [KB-UPN] §2.1", onprem: []matching.OnPrem{ann},
			cloud:   []matching.Cloud{upn, func() matching.Cloud { c := smtp; c.ID = "c2"; return c }()},
			outcome: matching.SoftMatchSMTP, target: "c2"},
		{name: "soft-match-upn: UPN equal when softMatchOnUpnEnabled §2.2", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{upn}, outcome: matching.SoftMatchUPN, target: "c1"},
		{name: "new: UPN soft match off quarantines the UPN §2.2 §3.1", onprem: []matching.OnPrem{ann},
			tenant: func(tn *matching.TenantState) { tn.Features.SoftMatchOnUPN = false },
			cloud:  []matching.Cloud{upn}, outcome: matching.New, cloudOutcome: matching.Untouched,
			check: func(t *testing.T, r *matching.Report) {
				got := r.OnPrem()[0]
				require.Len(t, got.Quarantined, 1)
				assert.Equal(t, matching.Quarantine{Attribute: "userPrincipalName", Value: "ann@" + domain, HeldBy: "c1", Holder: matching.SideCloud}, got.Quarantined[0])
				assert.Regexp(t, `^ann[0-9]{4}@example\.onmicrosoft\.com$`, got.PredictedUPN)
			}},
		{name: "new: only the primary SMTP: value soft-matches §2.1", onprem: []matching.OnPrem{func() matching.OnPrem {
			o := ann
			o.ProxyAddresses = []string{"SMTP:ann.lee@" + domain, "smtp:ann@" + domain}
			return o
		}()}, cloud: []matching.Cloud{func() matching.Cloud { c := smtp; c.UserPrincipalName = "x@" + domain; return c }()},
			outcome: matching.New, check: func(t *testing.T, r *matching.Report) {
				assert.Equal(t, []matching.Quarantine{{Attribute: "proxyAddresses", Value: "smtp:ann@" + domain, HeldBy: "c1", Holder: matching.SideCloud}},
					r.OnPrem()[0].Quarantined)
			}},
		{name: "new: unverified UPN suffix gives mailNickname@initial domain §3.1", onprem: []matching.OnPrem{unverified},
			outcome: matching.New, predictedUPN: "ann.lee@example.onmicrosoft.com"},
		{name: "new: group that is not mail-enabled never soft-matches §2.3", onprem: []matching.OnPrem{{
			DN: "CN=g,OU=Groups," + base, Class: matching.ClassGroup, ObjectGUID: guidA, ProxyAddresses: []string{"SMTP:ann@" + domain}}},
			cloud: []matching.Cloud{func() matching.Cloud { c := smtp; c.Class = matching.ClassGroup; return c }()}, outcome: matching.New},
		{name: "hard-match: group anchor is mS-DS-ConsistencyGuid since 1.5.18.0 §1.4", onprem: []matching.OnPrem{{
			DN: "CN=g,OU=Groups," + base, Class: matching.ClassGroup, ObjectGUID: guidA, ConsistencyGUID: guidB}},
			cloud:   []matching.Cloud{{ID: "g1", Class: matching.ClassGroup, ImmutableID: idB, SyncEnabled: ptr(false)}},
			outcome: matching.HardMatch, target: "g1"},
		{name: "joined: contact anchor is objectGUID under Connect §1.4", onprem: []matching.OnPrem{{
			DN: "CN=k,OU=Contacts," + base, Class: matching.ClassContact, ObjectGUID: guidA, ConsistencyGUID: guidB}},
			cloud:   []matching.Cloud{{ID: "k1", Class: matching.ClassContact, ImmutableID: idA, SyncEnabled: ptr(true)}},
			outcome: matching.Joined, target: "k1"},
		{name: "joined: Cloud Sync uses mS-DS-ConsistencyGuid for contacts too §1.6",
			cfg:     matching.Config{Client: matching.CloudSync, SourceAnchor: matching.AnchorObjectGUID},
			onprem:  []matching.OnPrem{{DN: "CN=k,OU=Contacts," + base, Class: matching.ClassContact, ObjectGUID: guidA, ConsistencyGUID: guidB}},
			cloud:   []matching.Cloud{{ID: "k1", Class: matching.ClassContact, ImmutableID: idB, SyncEnabled: ptr(true)}},
			outcome: matching.Joined, target: "k1", warning: matching.WarnAnchorSettingIgnored},
		{name: "joined: custom string anchor §1.5", cfg: matching.Config{SourceAnchor: matching.AnchorCustom},
			onprem: []matching.OnPrem{func() matching.OnPrem {
				o := ann
				o.CustomAnchor, _ = anchor.StringAnchor("E12345")
				return o
			}()},
			cloud:   []matching.Cloud{synced("c1", "ann", anchor.MustParseSourceAnchor("E12345"))},
			outcome: matching.Joined, target: "c1"},
		{name: "out-of-scope: custom anchor attribute empty §1.5", cfg: matching.Config{SourceAnchor: matching.AnchorCustom},
			onprem: []matching.OnPrem{ann}, outcome: matching.OutOfScope},
		{name: "out-of-scope: outside the scope OUs §5", cfg: matching.Config{Scope: []string{"OU=Other," + base}},
			onprem: []matching.OnPrem{ann}, cloud: []matching.Cloud{synced("c1", "ann", idA)},
			outcome: matching.OutOfScope, cloudOutcome: matching.Deleted},
		{name: "in scope: scope DN compares case-insensitively, ignoring spaces §5",
			cfg:    matching.Config{Scope: []string{"ou=users, ou=synced, dc=CORP,dc=example,dc=test"}},
			onprem: []matching.OnPrem{ann}, outcome: matching.New},
		{name: "out-of-scope: scope matches on RDN boundaries only §5",
			cfg: matching.Config{Scope: []string{"OU=Users,OU=Synced,DC=corp,DC=example,DC=test"}},
			onprem: []matching.OnPrem{func() matching.OnPrem {
				o := ann
				o.DN = "CN=ann,OU=XUsers,OU=Synced,DC=corp,DC=example,DC=test"
				return o
			}()},
			outcome: matching.OutOfScope},
		{name: "out-of-scope: AAD_ account filtered by cloudFiltered §5",
			onprem:  []matching.OnPrem{func() matching.OnPrem { o := ann; o.SAMAccountName = "AAD_0123abcd"; return o }()},
			outcome: matching.OutOfScope},
		{name: "out-of-scope: user without sAMAccountName §5",
			onprem:  []matching.OnPrem{func() matching.OnPrem { o := ann; o.SAMAccountName = ""; return o }()},
			outcome: matching.OutOfScope},
		{name: "soft-match-smtp: guest target is predicted to match, with a warning §2.4 UNDOCUMENTED",
			onprem: []matching.OnPrem{ann}, cloud: []matching.Cloud{func() matching.Cloud { c := smtp; c.UserType = "Guest"; return c }()},
			outcome: matching.SoftMatchSMTP, target: "c1", warning: matching.WarnGuestTarget},
	})
}

func TestBlocks(t *testing.T) {
	t.Parallel()
	ann := adUser("ann", guidA)
	hard := cloudOnly("c1", "Ann (cloud)")
	hard.ImmutableID = idA
	smtp := cloudOnly("c1", "Ann (cloud)")
	smtp.ProxyAddresses = []string{"SMTP:ann@" + domain}
	admin := func(tn *matching.TenantState) {
		tn.Roles = []matching.RoleAssignment{{ID: "r1", PrincipalID: "c1", RoleDefinitionID: "62e90394-69f5-4237-9190-012177145e10", DirectoryScopeID: "/"}}
	}
	july := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

	runScenarios(t, []scenario{
		{name: "InvalidSoftMatch: candidate has another ImmutableID §2.4 §3", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{synced("c1", "ann", idB)}, outcome: matching.Blocked, code: matching.InvalidSoftMatch,
			target: "c1", cloudOutcome: matching.Untouched},
		{name: "AttributeValueMustBeUnique: synced target without ImmutableID §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{synced("c1", "ann", anchor.SourceAnchor{})}, outcome: matching.Blocked,
			code: matching.AttributeValueMustBeUnique, target: "c1"},
		{name: "AttributeValueMustBeUnique: user's secondary smtp is a group's primary SMTP §3.1", onprem: []matching.OnPrem{func() matching.OnPrem {
			o := ann
			o.ProxyAddresses = append(o.ProxyAddresses, "smtp:team@"+domain)
			return o
		}()}, cloud: []matching.Cloud{{ID: "g1", Class: matching.ClassGroup, MailEnabled: true, ProxyAddresses: []string{"SMTP:team@" + domain}}},
			outcome: matching.Blocked, code: matching.AttributeValueMustBeUnique, target: "g1"},
		{name: "ExistingAdminRoleConflict: soft-match candidate holds a role §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{smtp}, tenant: admin, outcome: matching.Blocked, code: matching.ExistingAdminRoleConflict, target: "c1"},
		{name: "InvalidHardMatch: blockCloudObjectTakeoverThroughHardMatchEnabled §2.4", onprem: []matching.OnPrem{ann},
			cloud:   []matching.Cloud{hard},
			tenant:  func(tn *matching.TenantState) { tn.Features.BlockCloudObjectTakeoverHardMatch = true },
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1", cloudOutcome: matching.Untouched},
		{name: "InvalidHardMatch: blocks restoring a soft-deleted synced user too §2.4", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{func() matching.Cloud {
				c := synced("c1", "ann", idA)
				c.SyncEnabled, c.Deleted, c.DeletedAt = ptr(false), true, mayAs.Add(-24*time.Hour)
				return c
			}()},
			tenant:  func(tn *matching.TenantState) { tn.Features.BlockCloudObjectTakeoverHardMatch = true },
			outcome: matching.Blocked, code: matching.InvalidHardMatch, target: "c1"},
		{name: "SoftMatchBlocked: blockSoftMatchEnabled §2.4", onprem: []matching.OnPrem{ann}, cloud: []matching.Cloud{smtp},
			tenant:  func(tn *matching.TenantState) { tn.Features.BlockSoftMatch = true },
			outcome: matching.Blocked, code: matching.SoftMatchBlocked, target: "c1"},
		{name: "joined: the July 2026 remap block is about users, not groups §2.4 [MC1263280]",
			onprem: []matching.OnPrem{{DN: "CN=team,OU=Groups," + base, Class: matching.ClassGroup, ObjectGUID: guidA, ObjectSID: "S-1-5-21-1-2-3-team"}},
			cloud: []matching.Cloud{{ID: "g1", Class: matching.ClassGroup, ImmutableID: idA, SyncEnabled: ptr(true),
				OnPremisesSecurityIdentifier: "S-1-5-21-9-9-9-1001"}},
			tenant:  func(tn *matching.TenantState) { tn.AsOf = july },
			outcome: matching.Joined, target: "g1", cloudOutcome: matching.Matched},
		{name: "ObjectTypeMismatch: contact shares a user's primary SMTP §3", onprem: []matching.OnPrem{{
			DN: "CN=ann,OU=Contacts," + base, Class: matching.ClassContact, ObjectGUID: guidC, ProxyAddresses: []string{"SMTP:ann@" + domain}}},
			cloud: []matching.Cloud{smtp}, outcome: matching.Blocked, code: matching.ObjectTypeMismatch, target: "c1"},
		{name: "ObjectTypeMismatch: anchor carried by a cloud object of another class §3", onprem: []matching.OnPrem{ann},
			cloud:   []matching.Cloud{{ID: "g1", Class: matching.ClassGroup, ImmutableID: idA}},
			outcome: matching.Blocked, code: matching.ObjectTypeMismatch, target: "g1"},
		{name: "IdentityDataValidationFailed: UPN with a space §3", onprem: []matching.OnPrem{func() matching.OnPrem {
			o := ann
			o.UserPrincipalName = "ann lee@" + domain
			return o
		}()}, outcome: matching.Blocked, code: matching.IdentityDataValidationFailed},
		{name: "AmbiguousMatch: two cloud objects with the primary SMTP §2.1", onprem: []matching.OnPrem{ann},
			cloud:   []matching.Cloud{smtp, func() matching.Cloud { c := smtp; c.ID = "c2"; return c }()},
			outcome: matching.Blocked, code: matching.AmbiguousMatch, target: "c1"},
		{name: "AmbiguousMatch: two AD objects with one anchor §1.5", onprem: []matching.OnPrem{ann, func() matching.OnPrem {
			o := adUser("bob", guidB)
			o.ConsistencyGUID = guidA
			return o
		}()}, outcome: matching.Blocked, code: matching.AmbiguousMatch, warning: matching.WarnDuplicateAnchor},
		{name: "AmbiguousMatch: two AD objects soft-match one cloud object §2.1", onprem: []matching.OnPrem{ann, func() matching.OnPrem {
			o := adUser("bob", guidB)
			o.ProxyAddresses = []string{"SMTP:ann@" + domain}
			return o
		}()}, cloud: []matching.Cloud{smtp}, outcome: matching.Blocked, code: matching.AmbiguousMatch, target: "c1", warning: matching.WarnDuplicateSMTP},
		{name: "InvalidSoftMatch: second AD object with a joined user's SMTP, not AmbiguousMatch §2.4 §3",
			onprem: []matching.OnPrem{func() matching.OnPrem {
				o := adUser("bob", guidB)
				o.ProxyAddresses = []string{"SMTP:ann@" + domain}
				return o
			}(), ann}, cloud: []matching.Cloud{synced("c1", "ann", idA)},
			outcome: matching.Blocked, code: matching.InvalidSoftMatch, target: "c1", warning: matching.WarnDuplicateSMTP,
			check: func(t *testing.T, r *matching.Report) {
				assert.Equal(t, matching.Joined, r.OnPrem()[1].Outcome)
				assert.Equal(t, matching.Matched, r.Cloud()[0].Outcome)
			}},
		{name: "AttributeValueMustBeUnique: second AD object with a synced user's SMTP, not AmbiguousMatch §2.4 §3",
			onprem: []matching.OnPrem{func() matching.OnPrem {
				o := adUser("bob", guidB)
				o.ProxyAddresses = []string{"SMTP:ann@" + domain}
				return o
			}(), ann}, cloud: []matching.Cloud{synced("c1", "ann", anchor.SourceAnchor{})},
			outcome: matching.Blocked, code: matching.AttributeValueMustBeUnique, target: "c1"},
		{name: "CloudManaged: source of authority moved to the cloud §4c", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{func() matching.Cloud {
				c := synced("c1", "ann", idA)
				c.SyncEnabled, c.CloudManaged = nil, true
				return c
			}()}, outcome: matching.Blocked, code: matching.CloudManaged, target: "c1", cloudOutcome: matching.Untouched},
	})
}

func TestCloudSide(t *testing.T) {
	t.Parallel()
	ann := adUser("ann", guidA)
	runScenarios(t, []scenario{
		{name: "deleted: synced object with no AD object §4a", onprem: []matching.OnPrem{ann},
			cloud:   []matching.Cloud{synced("c1", "bob", idB)},
			outcome: matching.New, cloudOutcome: matching.Deleted},
		{name: "deletion threshold: more deletes than the threshold stop the export §4a [DELTHR]",
			cfg: matching.Config{DeletionThreshold: 1}, onprem: []matching.OnPrem{ann},
			cloud:   []matching.Cloud{synced("c1", "bob", idB), synced("c2", "cy", idC)},
			outcome: matching.New, cloudOutcome: matching.Deleted, warning: matching.WarnDeletionThreshold,
			check: func(t *testing.T, r *matching.Report) {
				assert.True(t, r.ExportStopped)
				assert.Equal(t, 2, r.Summary[matching.Deleted])
			}},
		{name: "deletion threshold: at the threshold the export goes on §4a",
			cfg: matching.Config{DeletionThreshold: 2}, onprem: []matching.OnPrem{ann},
			cloud:   []matching.Cloud{synced("c1", "bob", idB), synced("c2", "cy", idC)},
			outcome: matching.New, cloudOutcome: matching.Deleted,
			check: func(t *testing.T, r *matching.Report) { assert.False(t, r.ExportStopped) }},
		{name: "untouched: cloud-only object nothing matches §2.1", onprem: []matching.OnPrem{ann},
			cloud: []matching.Cloud{cloudOnly("c1", "Zed")}, outcome: matching.New, cloudOutcome: matching.Untouched},
		{name: "duplicates across classes are warned §3", onprem: []matching.OnPrem{ann, {
			DN: "CN=k,OU=Contacts," + base, Class: matching.ClassContact, ObjectGUID: guidB, ProxyAddresses: []string{"SMTP:ann@" + domain}}},
			outcome: matching.New, warning: matching.WarnDuplicateAcrossClass},
		{name: "duplicate primary SMTP on-premises is warned and quarantined §3.1", onprem: []matching.OnPrem{ann, func() matching.OnPrem {
			o := adUser("bob", guidB)
			o.ProxyAddresses = []string{"SMTP:ann@" + domain}
			return o
		}()}, outcome: matching.New, warning: matching.WarnDuplicateSMTP,
			check: func(t *testing.T, r *matching.Report) {
				for k, other := range []int{1, 0} {
					q := r.OnPrem()[k].Quarantined
					require.Len(t, q, 1)
					assert.Equal(t, matching.Quarantine{Attribute: "proxyAddresses", Value: "SMTP:ann@" + domain,
						HeldBy: r.OnPrem()[other].DN, Holder: matching.SideOnPrem}, q[0])
				}
			}},
		{name: "duplicate UPN on-premises is warned and quarantined §3.1", onprem: []matching.OnPrem{ann, func() matching.OnPrem {
			o := adUser("bob", guidB)
			o.UserPrincipalName = "ann@" + domain
			return o
		}()}, outcome: matching.New, warning: matching.WarnDuplicateUPN,
			check: func(t *testing.T, r *matching.Report) {
				assert.Equal(t, matching.SideOnPrem, r.OnPrem()[0].Quarantined[0].Holder)
			}},
	})
}
