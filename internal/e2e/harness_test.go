package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/internal/syncsim"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

const (
	scopeOU  = "OU=Synced,DC=corp,DC=example,DC=test"
	parkedOU = "OU=Parked,DC=corp,DC=example,DC=test"
)

// world is one end-to-end setup: an on-premises directory, the fake tenant behind graphx (the
// real SDK over an in-process transport, so that tests run under testing/synctest), the sync
// simulator and an Applier wired to all three.
type world struct {
	dir    conversion.Directory
	all    syncsim.Source // reads every on-premises object the tests use
	fake   *graphxtest.Fake
	client *graphx.Client
	sim    *syncsim.Sim
	cfg    matching.Config
}

type setup struct {
	users  int                           // synced population size
	onprem []matching.OnPrem             // extra AD users
	cloud  []matching.Cloud              // extra cloud users
	opts   []graphxtest.Option           // fake options
	edit   func(t *matching.TenantState) // tenant settings
}

func newWorld(t *testing.T, s setup) *world {
	t.Helper()
	tenant, onprem, cloud := conversiontest.Population(s.users, time.Now())
	if s.edit != nil {
		s.edit(&tenant)
	}
	onprem = append(onprem, s.onprem...)
	cloud = append(cloud, s.cloud...)
	fake, err := graphxtest.New(append([]graphxtest.Option{graphxtest.WithSeed(seedOf(tenant, cloud))}, s.opts...)...)
	require.NoError(t, err)
	client, err := graphx.New(graphx.StaticToken("e2e"), graphx.WithBaseURL("http://localhost/v1.0"),
		graphx.WithHTTPClient(&http.Client{Transport: fake.Transport()}), graphx.WithWriteBudget(0, 0), graphx.WithMaxRetries(2))
	require.NoError(t, err)
	dir := conversiontest.NewDirectory(onprem...)
	dir.AddContainer(scopeOU, parkedOU)
	cfg := matching.Config{Scope: []string{scopeOU}, SourceAnchor: matching.AnchorConsistencyGUID}
	return newWorldOn(fake, client, dir, func(context.Context) ([]matching.OnPrem, error) { return dir.All(), nil }, cfg)
}

// newWorldOn wires a world over any directory port: all is what the sync simulator and the
// planners read (the connector space).
func newWorldOn(fake *graphxtest.Fake, client *graphx.Client, dir conversion.Directory, all syncsim.Source, cfg matching.Config) *world {
	w := &world{dir: dir, all: all, fake: fake, client: client, cfg: cfg}
	w.sim = &syncsim.Sim{Source: all, Tenant: fake, Config: cfg}
	return w
}

// onprem reads every on-premises object.
func (w *world) onprem(t *testing.T) []matching.OnPrem {
	t.Helper()
	on, err := w.all(t.Context())
	require.NoError(t, err)
	return on
}

// input reads both sides live (the tenant through graphx) as planners want them.
func (w *world) input(t *testing.T) *conversion.Input {
	t.Helper()
	s, err := w.client.Snapshot(t.Context())
	require.NoError(t, err)
	cloud, err := s.Cloud()
	require.NoError(t, err)
	return &conversion.Input{Tenant: s.Tenant(), Cloud: cloud, OnPrem: w.onprem(t), Config: w.cfg}
}

func (w *world) applier(j conversion.Journal) *conversion.Applier {
	return &conversion.Applier{Directory: w.dir, Tenant: w.client.Tenant(), Sync: w.sim, Journal: j,
		PollInterval: time.Minute, WaitTimeout: 4 * time.Hour, OrgDisablePending: time.Hour}
}

func (w *world) cloudUser(t *testing.T, id string) snapshot.User {
	t.Helper()
	u, ok := w.fake.User(id)
	require.True(t, ok, "cloud user %s is active", id)
	return u
}

func opts(users ...string) *conversion.Options {
	return &conversion.Options{CreatedAt: time.Now(), Users: users, Predict: matching.Evaluate}
}

// unverified is the planners' note for a plan made without the matching engine.
const unverified = "sync outcomes were not verified: no matching engine (Options.Predict) was given"

// graphWrites counts the fake's accepted Graph writes per (op, target).
func graphWrites(f *graphxtest.Fake) map[string]int {
	m := map[string]int{}
	for _, w := range f.Writes() {
		m[w.Op+" "+w.Target]++
	}
	return m
}

// seedOf is the fake tenant's seed for tenant and cloud: the tenant's role eligibilities,
// definitions and group members count as read (none unless the test gives some), as a tenant
// whose administrator granted the read permissions would answer.
func seedOf(tenant matching.TenantState, cloud []matching.Cloud) *snapshot.Snapshot {
	tenant.Known |= matching.KnownEligibilities | matching.KnownRoleDefinitions | matching.KnownGroupMembers
	return snapshot.FromRecords(tenant, cloud)
}
