package matchingtest

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// Kind is the scenario a generated on-premises/cloud pair was built for.
type Kind uint8

// The scenarios, with the outcome the engine should give the on-premises object of the pair.
const (
	KindJoined           Kind = iota // joined
	KindHardMatch                    // hard-match onto a cloud-only user carrying the anchor
	KindSoftSMTP                     // soft-match-smtp
	KindSoftUPN                      // soft-match-upn
	KindInvalidSoftMatch             // blocked InvalidSoftMatch (synced cloud user, other anchor)
	KindAdminSoft                    // blocked ExistingAdminRoleConflict
	KindAdminHard                    // blocked InvalidHardMatch from 2026-07-01 (hard match onto a privileged role holder)
	KindRestore                      // hard-match onto a soft-deleted synced user
	KindNew                          // new (some with an unverified UPN suffix)
	KindNewQuarantine                // new with a secondary smtp held by a cloud user (quarantined)
	KindOutOfScope                   // out-of-scope on-premises; its synced cloud user is deleted
	KindFiltered                     // out-of-scope (AAD_ account); cloud side an untouched guest
	KindTypeMismatch                 // contact whose SMTP is a cloud user's: blocked ObjectTypeMismatch
	KindCloudManaged                 // blocked CloudManaged (SOA-converted cloud user)
	KindDuplicateUPN                 // user sharing its UPN with the previous on-premises user (duplicate-upn warning)
	numKinds
)

// weights per mille, in Kind order; they add up to 1000.
var weights = [numKinds]int{640, 50, 50, 40, 20, 10, 10, 20, 80, 20, 20, 10, 10, 10, 10}

// Options tune Generate.
type Options struct {
	// AsOf is the tenant's AsOf (default 2026-07-15, after the July 2026 hard-match protections).
	AsOf time.Time
	// Domain is the verified UPN suffix (default corp.example.test); Initial is the initial
	// domain (default example.onmicrosoft.com).
	Domain, Initial string
}

// Option changes Options.
type Option func(*Options)

// WithAsOf sets the tenant's AsOf.
func WithAsOf(t time.Time) Option { return func(o *Options) { o.AsOf = t } }

// Dataset is a generated population with the configuration and tenant settings to evaluate it.
type Dataset struct {
	Config matching.Config
	Tenant matching.TenantState
	OnPrem []matching.OnPrem
	Cloud  []matching.Cloud
	// Kinds[i] is the scenario OnPrem[i] was generated for.
	Kinds []Kind
}

// Generate returns n on-premises users (and a few contacts) and n cloud objects with realistic
// overlaps and conflicts: mostly joined pairs, plus hard-match and soft-match candidates, admins,
// deleted users, duplicates, out-of-scope objects and orphans. The same seed and n always give the
// same dataset; objects on each side are shuffled.
func Generate(seed int64, n int, opts ...Option) Dataset {
	o := Options{AsOf: time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC), Domain: "corp.example.test", Initial: "example.onmicrosoft.com"}
	for _, f := range opts {
		f(&o)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	g := &gen{rng: rng, o: o}
	d := Dataset{
		Config: matching.Config{Scope: []string{"OU=Synced," + dcOf(o.Domain)}},
		Tenant: matching.TenantState{
			ID:          g.guid(),
			SyncEnabled: ptr(true),
			Features:    matching.Features{SoftMatchOnUPN: true},
			Domains: []matching.Domain{
				{Name: o.Domain, IsDefault: true, Type: "Managed"},
				{Name: o.Initial, IsInitial: true, Type: "Managed"},
			},
			AsOf: o.AsOf,
		},
		OnPrem: make([]matching.OnPrem, 0, n),
		Cloud:  make([]matching.Cloud, 0, n),
		Kinds:  make([]Kind, 0, n),
	}
	for k := range n {
		kind := g.kind()
		d.Kinds = append(d.Kinds, kind)
		on, cl := g.pair(k, kind, &d)
		d.OnPrem = append(d.OnPrem, on)
		d.Cloud = append(d.Cloud, cl)
	}
	rng.Shuffle(len(d.OnPrem), func(i, j int) {
		d.OnPrem[i], d.OnPrem[j] = d.OnPrem[j], d.OnPrem[i]
		d.Kinds[i], d.Kinds[j] = d.Kinds[j], d.Kinds[i]
	})
	rng.Shuffle(len(d.Cloud), func(i, j int) { d.Cloud[i], d.Cloud[j] = d.Cloud[j], d.Cloud[i] })
	return d
}

type gen struct {
	rng     *rand.Rand
	o       Options
	prevUPN string
}

func ptr[T any](v T) *T { return &v }

func dcOf(domain string) string {
	s := ""
	start := 0
	for i := 0; i <= len(domain); i++ {
		if i == len(domain) || domain[i] == '.' {
			if s != "" {
				s += ","
			}
			s += "DC=" + domain[start:i]
			start = i + 1
		}
	}
	return s
}

func (g *gen) kind() Kind {
	x := g.rng.IntN(1000)
	for k, w := range weights {
		if x < w {
			return Kind(k)
		}
		x -= w
	}
	return KindJoined
}

func (g *gen) guidValue() anchor.ObjectGUID {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := g.rng.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return anchor.FromArray(b)
}

func (g *gen) guid() string { return g.guidValue().String() }

var roleGlobalAdmin = "62e90394-69f5-4237-9190-012177145e10"

func (g *gen) pair(k int, kind Kind, d *Dataset) (matching.OnPrem, matching.Cloud) {
	name := "user" + pad7(k)
	dc := dcOf(g.o.Domain)
	upn := name + "@" + g.o.Domain
	smtp := name + "@" + g.o.Domain
	on := matching.OnPrem{
		DN:                "CN=" + name + ",OU=Users,OU=Synced," + dc,
		Class:             matching.ClassUser,
		ObjectGUID:        g.guidValue(),
		UserPrincipalName: upn,
		ProxyAddresses:    []string{"SMTP:" + smtp, "smtp:" + name + "@mail." + g.o.Domain},
		Mail:              smtp,
		MailNickname:      name,
		SAMAccountName:    name,
		ObjectSID:         "S-1-5-21-1004336348-1177238915-682003330-" + strconv.Itoa(1000+k),
		Enabled:           true,
		DisplayName:       "User " + pad7(k),
		GivenName:         "User",
		Surname:           pad7(k),
	}
	if g.rng.IntN(10) != 0 {
		on.ConsistencyGUID = on.ObjectGUID // Connect wrote it back
	}
	a := anchor.AnchorOf(on.ObjectGUID)
	cl := matching.Cloud{
		ID:                g.guid(),
		Class:             matching.ClassUser,
		UserPrincipalName: upn,
		Mail:              smtp,
		MailNickname:      name,
		DisplayName:       on.DisplayName,
		GivenName:         on.GivenName,
		Surname:           on.Surname,
		ProxyAddresses:    []string{"SMTP:" + smtp, "smtp:" + name + "@mail." + g.o.Domain},
		UserType:          "Member",
		AccountEnabled:    ptr(true),
	}
	synced := func() {
		cl.ImmutableID = a
		cl.SyncEnabled = ptr(true)
		cl.OnPremisesSecurityIdentifier = on.ObjectSID
		cl.OnPremisesSamAccountName = on.SAMAccountName
		cl.OnPremisesUserPrincipalName = upn
		cl.OnPremisesDistinguishedName = on.DN
		cl.OnPremisesLastSync = g.o.AsOf.Add(-time.Hour)
	}
	cloudOnly := func() { // an unrelated cloud-only user
		other := "cloud" + pad7(k)
		cl.UserPrincipalName = other + "@" + g.o.Domain
		cl.Mail = other + "@" + g.o.Domain
		cl.MailNickname = other
		cl.ProxyAddresses = []string{"SMTP:" + other + "@" + g.o.Domain, "smtp:" + other + "@" + g.o.Initial}
	}
	switch kind {
	case KindJoined:
		synced()
		if g.rng.IntN(10) == 0 {
			on.DisplayName = "User " + pad7(k) + " (Sales)"
		}
	case KindHardMatch:
		cl.ImmutableID = a
		cl.DisplayName = "Cloud user " + pad7(k)
		cl.ProxyAddresses = append(cl.ProxyAddresses, "smtp:"+name+"@legacy."+g.o.Domain)
	case KindSoftSMTP:
		cl.UserPrincipalName = name + "@" + g.o.Initial
	case KindSoftUPN:
		cl.ProxyAddresses, cl.Mail = nil, ""
	case KindInvalidSoftMatch:
		synced()
		cl.ImmutableID = anchor.AnchorOf(g.guidValue())
		cl.OnPremisesSecurityIdentifier = "S-1-5-21-9-9-9-" + strconv.Itoa(1000+k)
	case KindAdminSoft:
		cl.UserPrincipalName = name + "@" + g.o.Initial
		d.Tenant.Roles = append(d.Tenant.Roles, matching.RoleAssignment{ID: g.guid(), PrincipalID: cl.ID, RoleDefinitionID: roleGlobalAdmin, DirectoryScopeID: "/"})
	case KindAdminHard:
		cl.ImmutableID = a
		d.Tenant.Roles = append(d.Tenant.Roles, matching.RoleAssignment{ID: g.guid(), PrincipalID: cl.ID, RoleDefinitionID: roleGlobalAdmin, DirectoryScopeID: "/"})
	case KindRestore:
		synced()
		cl.SyncEnabled = ptr(false)
		cl.Deleted = true
		cl.DeletedAt = g.o.AsOf.Add(-time.Duration(1+g.rng.IntN(20)) * 24 * time.Hour)
	case KindNew:
		cloudOnly()
		if g.rng.IntN(5) == 0 {
			on.UserPrincipalName = name + "@corp.local"
		}
	case KindNewQuarantine:
		cloudOnly()
		cl.ProxyAddresses = append(cl.ProxyAddresses, "smtp:"+name+"@mail."+g.o.Domain)
	case KindOutOfScope:
		synced()
		on.DN = "CN=" + name + ",OU=Leavers," + dc
	case KindFiltered:
		on.SAMAccountName = "AAD_" + name
		cloudOnly()
		cl.UserType = "Guest"
		cl.UserPrincipalName = name + "_partner.test#EXT#@" + g.o.Initial
		cl.ProxyAddresses = []string{"SMTP:" + name + "@partner.test"}
	case KindTypeMismatch:
		on.Class = matching.ClassContact
		on.DN = "CN=" + name + ",OU=Contacts,OU=Synced," + dc
		on.UserPrincipalName, on.SAMAccountName = "", ""
	case KindCloudManaged:
		synced()
		cl.SyncEnabled = nil
		cl.CloudManaged = true
	case KindDuplicateUPN:
		if g.prevUPN != "" {
			on.UserPrincipalName = g.prevUPN
		}
		cloudOnly()
	}
	g.prevUPN = on.UserPrincipalName
	return on, cl
}

func pad7(k int) string {
	s := strconv.Itoa(k)
	const zeros = "0000000"
	if len(s) < 7 {
		s = zeros[:7-len(s)] + s
	}
	return s
}
