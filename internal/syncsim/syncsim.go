package syncsim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

// Source lists the on-premises objects a cycle reads (the connector space import).
type Source func(ctx context.Context) ([]matching.OnPrem, error)

// Users returns a Source serving a fixed list.
func Users(list ...matching.OnPrem) Source {
	return func(context.Context) ([]matching.OnPrem, error) { return slices.Clone(list), nil }
}

// Sim plays a sync client against a graphxtest.Fake. It is safe for concurrent use (cycles run
// one at a time).
type Sim struct {
	// Source reads the directory; required.
	Source Source
	// Tenant is the fake tenant the cycle exports to; required.
	Tenant *graphxtest.Fake
	// Config is the sync configuration (scope, anchor attribute).
	Config matching.Config
	// Now is the clock used for AsOf and onPremisesLastSyncDateTime (default time.Now).
	Now func() time.Time

	mu     sync.Mutex
	cycles []*Cycle
}

var _ conversion.SyncCycle = (*Sim)(nil)

// Applied is what a cycle did with one object.
type Applied struct {
	Outcome matching.Outcome
	DN      string // on-premises object (empty for a cloud-side deletion)
	CloudID string // cloud object written, created or deleted
	Code    matching.Code
	Reason  string
}

// Cycle is the record of one sync cycle.
type Cycle struct {
	At      time.Time
	Report  *matching.Report
	Applied []Applied
	// Errors are the blocked objects (Entra's export errors) and objects the fake refused.
	Errors []Applied
}

// Outcome returns what the cycle did with the on-premises object dn ("" outcome when absent).
func (c *Cycle) Outcome(dn string) Applied {
	for _, a := range c.Applied {
		if a.DN == dn {
			return a
		}
	}
	for _, a := range c.Errors {
		if a.DN == dn {
			return a
		}
	}
	return Applied{}
}

// Deleted reports whether the cycle soft-deleted the cloud object id.
func (c *Cycle) Deleted(id string) bool {
	return slices.ContainsFunc(c.Applied, func(a Applied) bool { return a.Outcome == matching.Deleted && a.CloudID == id })
}

// TriggerDelta runs one cycle (conversion.SyncCycle).
func (s *Sim) TriggerDelta(ctx context.Context) error {
	_, err := s.Run(ctx)
	return err
}

// Cycles returns the cycles run so far.
func (s *Sim) Cycles() []*Cycle {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.cycles)
}

func (s *Sim) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Run runs one cycle: it reads the directory and the fake tenant, predicts with
// matching.Evaluate, and applies the predictions to the fake.
func (s *Sim) Run(ctx context.Context) (*Cycle, error) {
	if s.Source == nil || s.Tenant == nil {
		return nil, errors.New("syncsim: Source and Tenant are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	onprem, err := s.Source(ctx)
	if err != nil {
		return nil, fmt.Errorf("syncsim: reading the directory: %w", err)
	}
	snap := s.Tenant.Snapshot()
	now := s.now().UTC()
	tenant := snap.Tenant()
	tenant.AsOf = now
	if v := snap.OnPremisesSynchronization.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled; v != nil {
		tenant.Features.AllowObjectIdentifierUpdate = *v // the July 2026 bypass
		tenant.Known |= matching.KnownBypassFlag
	}
	cloud, err := snap.Cloud()
	if err != nil {
		return nil, fmt.Errorf("syncsim: reading the tenant: %w", err)
	}
	if tenant.SyncEnabled != nil && !*tenant.SyncEnabled {
		// Sync is off for the tenant (docs/entra-rules.md §4b): the client exports nothing.
		c := &Cycle{At: now}
		s.cycles = append(s.cycles, c)
		return c, nil
	}
	rep := matching.Evaluate(s.Config, tenant, onprem, cloud)
	c := &Cycle{At: now, Report: rep}
	byDN := make(map[string]*matching.OnPrem, len(onprem))
	for i := range onprem {
		byDN[onprem[i].DN] = &onprem[i]
	}
	for _, r := range rep.Objects {
		if r.Class != matching.ClassUser {
			// Groups and contacts: a cloud-managed one is skipped (blocked CloudManaged, as
			// Entra's event 6956); the others are recorded. The fake has no group or contact
			// writes, so their attributes are not rewritten.
			if r.Side == matching.SideOnPrem && (r.Class == matching.ClassGroup || r.Class == matching.ClassContact) {
				a := Applied{Outcome: r.Outcome, DN: r.DN, CloudID: r.Target, Code: r.Code, Reason: r.Reason}
				if r.Outcome == matching.Blocked {
					c.Errors = append(c.Errors, a)
				} else {
					c.Applied = append(c.Applied, a)
				}
			}
			continue
		}
		a := Applied{Outcome: r.Outcome, DN: r.DN, CloudID: r.Target, Code: r.Code, Reason: r.Reason}
		switch {
		case r.Side == matching.SideCloud && r.Outcome == matching.Deleted:
			a.DN, a.CloudID = "", r.ID
			s.Tenant.UpdateUser(r.ID, func(u *snapshot.User) { off := false; u.OnPremisesSyncEnabled = &off })
			if !s.Tenant.DeleteUser(r.ID) {
				c.Errors = append(c.Errors, a)
				continue
			}
		case r.Side == matching.SideCloud:
			continue
		case r.Outcome == matching.Joined || r.Outcome == matching.HardMatch ||
			r.Outcome == matching.SoftMatchSMTP || r.Outcome == matching.SoftMatchUPN:
			o := byDN[r.DN]
			s.Tenant.Undelete(r.Target) // a hard match of a soft-deleted user restores it
			if !s.Tenant.UpdateUser(r.Target, func(u *snapshot.User) { export(u, o, r, now) }) {
				a.Reason = "cloud object " + r.Target + " vanished"
				c.Errors = append(c.Errors, a)
				continue
			}
		case r.Outcome == matching.New:
			o := byDN[r.DN]
			u := snapshot.User{ID: newID(r.Anchor), UserType: "Member"}
			en := o.Enabled
			u.AccountEnabled = &en
			export(&u, o, r, now)
			a.CloudID = u.ID
			s.Tenant.AddUser(u)
		case r.Outcome == matching.Blocked:
			c.Errors = append(c.Errors, a)
			continue
		default: // out of scope: recorded, nothing written
		}
		c.Applied = append(c.Applied, a)
	}
	s.cycles = append(s.cycles, c)
	return c, nil
}

// export writes the on-premises values over the cloud user (docs/entra-rules.md §2.1: every attribute
// with an on-premises value wins) and marks it synced with the anchor.
func export(u *snapshot.User, o *matching.OnPrem, r matching.ObjectResult, now time.Time) {
	on := true
	u.OnPremisesSyncEnabled = &on
	u.OnPremisesImmutableID = r.Anchor
	u.UserPrincipalName = cmpOr(r.PredictedUPN, o.UserPrincipalName, u.UserPrincipalName)
	u.OnPremisesUserPrincipalName = o.UserPrincipalName
	u.OnPremisesDistinguishedName = o.DN
	u.OnPremisesSamAccountName = o.SAMAccountName
	u.OnPremisesSecurityIdentifier = o.ObjectSID
	u.Mail = cmpOr(o.Mail, u.Mail)
	u.MailNickname = cmpOr(o.MailNickname, u.MailNickname)
	u.DisplayName = cmpOr(o.DisplayName, u.DisplayName)
	u.GivenName = cmpOr(o.GivenName, u.GivenName)
	u.Surname = cmpOr(o.Surname, u.Surname)
	if len(o.ProxyAddresses) > 0 {
		u.ProxyAddresses = slices.Clone(o.ProxyAddresses)
	}
	t := now
	u.OnPremisesLastSyncDateTime = &t
}

func cmpOr(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// newID derives a stable object id for a user created by sync from its anchor.
func newID(a string) string {
	h := sha256.Sum256([]byte("syncsim:" + a))
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-8" + x[17:20] + "-" + x[20:32]
}
