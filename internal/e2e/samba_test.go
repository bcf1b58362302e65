package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/dn"
	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
	"github.com/hybridid/hybridid/matching"
)

// TestMain stops the shared Samba AD DC (started by the first Samba test) when the tests end.
func TestMain(m *testing.M) { os.Exit(ldapxtest.SambaMain(m)) }

// sambaEnv is one Samba test's corner of the shared DC: its own OU tree (OU=e2e<tag> with
// OU=Synced, the sync scope, and OU=Parked, outside it), an ldapx client, and names made unique
// with the tag (sAMAccountName and userPrincipalName are unique domain-wide).
type sambaEnv struct {
	c                    *ldapx.Client
	tag                  string
	root, synced, parked string
}

func newSambaEnv(t *testing.T) *sambaEnv {
	t.Helper()
	s := ldapxtest.StartSamba(t)
	conn, err := ldapx.DialConn(t.Context(), s.URL, ldapx.WithCAFile(s.CAFile), ldapx.WithSimpleBind(s.BindDN, s.Password))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	c, err := ldapx.New(conn)
	require.NoError(t, err)
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	e := &sambaEnv{c: c, tag: hex.EncodeToString(rnd[:])}
	e.root = "OU=e2e" + e.tag + "," + s.BaseDN
	e.synced, e.parked = "OU=Synced,"+e.root, "OU=Parked,"+e.root
	for _, dn := range []string{e.root, e.synced, e.parked} {
		rdn, _, _ := strings.Cut(dn, ",")
		require.NoError(t, conn.Add(t.Context(), &ldapx.AddRequest{DN: dn, Attributes: []ldapx.Attribute{
			{Name: "objectClass", Values: [][]byte{[]byte("top"), []byte("organizationalUnit")}},
			{Name: "ou", Values: [][]byte{[]byte(strings.TrimPrefix(rdn, "OU="))}},
		}}), "creating %s", dn)
	}
	return e
}

// upn returns a userPrincipalName unique to this test.
func (e *sambaEnv) upn(name string) string { return name + "." + e.tag + "@contoso.example" }

// addUser creates an enabled AD user in the synced OU and returns it as read back.
func (e *sambaEnv) addUser(t *testing.T, name string, proxies ...string) matching.OnPrem {
	t.Helper()
	res, err := e.c.CreateUser(t.Context(), ldapx.NewUser{OU: e.synced, CN: name, UserPrincipalName: e.upn(name),
		SAMAccountName: name + e.tag, ProxyAddresses: proxies, DisplayName: name, Password: "E2e!" + e.tag + "Pw"})
	require.NoError(t, err)
	o, err := e.c.Get(t.Context(), res.DN)
	require.NoError(t, err)
	return o
}

// objects is the simulator's and the planners' view of the directory: every object under the
// test's OU, read through ldapx.
func (e *sambaEnv) objects(ctx context.Context) ([]matching.OnPrem, error) {
	var out []matching.OnPrem
	for o, err := range e.c.Objects(ctx, e.root) {
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// world returns a world whose directory is the Samba DC (through ldapx's conversion port) and
// whose tenant holds the given cloud users.
func (e *sambaEnv) world(t *testing.T, cloud ...matching.Cloud) *world {
	t.Helper()
	tenant, _, _ := conversiontest.Population(0, time.Now())
	fake, err := graphxtest.New(graphxtest.WithSeed(seedOf(tenant, cloud)))
	require.NoError(t, err)
	client, err := graphx.New(graphx.StaticToken("e2e"), graphx.WithBaseURL("http://localhost/v1.0"),
		graphx.WithHTTPClient(&http.Client{Transport: fake.Transport()}), graphx.WithWriteBudget(0, 0), graphx.WithMaxRetries(2))
	require.NoError(t, err)
	cfg := matching.Config{Scope: []string{e.synced}, SourceAnchor: matching.AnchorConsistencyGUID}
	return newWorldOn(fake, client, e.c.Directory(), e.objects, cfg)
}

// sambaApplier is world.applier with real time: the network to Samba cannot run inside a
// synctest bubble, so wait steps poll briefly instead (the simulator's cycle is synchronous).
func (w *world) sambaApplier(j conversion.Journal) *conversion.Applier {
	a := w.applier(j)
	a.PollInterval, a.WaitTimeout = 10*time.Millisecond, time.Minute
	return a
}

func randomID(t *testing.T) string {
	t.Helper()
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b[:])
	return fmt.Sprintf("%s-%s-%s-%s-%s", x[0:8], x[8:12], x[12:16], x[16:20], x[20:32])
}

// applyAndSync plans, requires a clean verified plan, applies it and runs one sync cycle.
func applyAndSync(t *testing.T, w *world, j conversion.Journal, plan func(in *conversion.Input) *conversion.Plan) *syncCycle {
	t.Helper()
	p := plan(w.input(t))
	require.Empty(t, p.Refused, "refusals")
	require.NotContains(t, p.Notes, unverified, "outcomes verified by the engine")
	require.NotEmpty(t, p.Changes)
	res, err := w.sambaApplier(j).Apply(t.Context(), p)
	require.NoError(t, err)
	require.True(t, res.OK(), "apply: %s: %v", res.Summary(), res.Err())
	c, err := w.sim.Run(t.Context())
	require.NoError(t, err)
	// Applying again writes nothing.
	before := len(w.fake.Writes())
	res, err = w.sambaApplier(j).Apply(t.Context(), p)
	require.NoError(t, err)
	assert.True(t, res.OK(), "second apply: %v", res.Err())
	assert.Len(t, w.fake.Writes(), before, "a second apply repeats no Graph write")
	return c
}

// TestWorkflowsSamba runs the conversions that write AD against a real Samba AD DC, through
// ldapx: plan from live reads (ldapx and graphx), apply through ldapx's conversion.Directory
// port and graphx's Tenant, and a sync cycle of the simulator reading the directory through
// ldapx proves the outcome the engine predicted.
func TestWorkflowsSamba(t *testing.T) {
	t.Parallel()
	t.Run("hard match, existing AD user, proxies copied (§5 B)", func(t *testing.T) {
		t.Parallel()
		e := newSambaEnv(t)
		upn := e.upn("ann")
		ad := e.addUser(t, "ann", "SMTP:"+upn)
		id, alias := randomID(t), "smtp:ann.alias."+e.tag+"@contoso.example"
		w := e.world(t, matching.Cloud{ID: id, Class: matching.ClassUser, UserPrincipalName: upn, Mail: upn,
			DisplayName: "ann", UserType: "Member", ProxyAddresses: []string{"SMTP:" + upn, alias}})
		c := applyAndSync(t, w, &conversion.MemJournal{}, func(in *conversion.Input) *conversion.Plan {
			return conversion.PlanHardMatch(in, opts(upn))
		})
		got := c.Outcome(ad.DN)
		assert.Equal(t, matching.HardMatch, got.Outcome, "%+v", got)
		assert.Equal(t, id, got.CloudID)
		after, err := w.dir.User(t.Context(), ad.ObjectGUID)
		require.NoError(t, err)
		assert.Contains(t, after.ProxyAddresses, alias, "the cloud alias was copied to AD")
		u := w.cloudUser(t, id)
		assert.True(t, isSynced(u))
		assert.Equal(t, anchor.AnchorOf(ad.ObjectGUID).String(), u.OnPremisesImmutableID)
		assert.Contains(t, u.ProxyAddresses, alias, "the alias survives the takeover")
	})
	t.Run("hard match, AD user created (§5 B)", func(t *testing.T) {
		t.Parallel()
		e := newSambaEnv(t)
		upn, id := e.upn("bea"), randomID(t)
		w := e.world(t, matching.Cloud{ID: id, Class: matching.ClassUser, UserPrincipalName: upn, Mail: upn,
			DisplayName: "bea" + e.tag, UserType: "Member", ProxyAddresses: []string{"SMTP:" + upn}})
		c := applyAndSync(t, w, &conversion.MemJournal{}, func(in *conversion.Input) *conversion.Plan {
			o := opts(upn)
			o.CreateOU = e.synced
			return conversion.PlanHardMatch(in, o)
		})
		dn := "CN=bea" + e.tag + "," + e.synced
		ad, err := w.dir.UserByDN(t.Context(), dn)
		require.NoError(t, err, "the AD user was created in Samba")
		assert.Equal(t, anchor.MustParse(id), ad.ConsistencyGUID, "mS-DS-ConsistencyGuid set at creation")
		assert.False(t, ad.Enabled, "created disabled, without a password")
		assert.Equal(t, matching.HardMatch, c.Outcome(dn).Outcome, "%+v", c.Outcome(dn))
		assert.Equal(t, id, c.Outcome(dn).CloudID)
		assert.True(t, isSynced(w.cloudUser(t, id)))
	})
	t.Run("re-anchor (§5 C)", func(t *testing.T) {
		t.Parallel()
		e := newSambaEnv(t)
		upn := e.upn("cy")
		ad := e.addUser(t, "cy", "SMTP:"+upn)
		id, prev := randomID(t), anchor.MustParse(randomID(t))
		w := e.world(t, matching.Cloud{ID: id, Class: matching.ClassUser, UserPrincipalName: upn, Mail: upn,
			DisplayName: "cy", UserType: "Member", ProxyAddresses: []string{"SMTP:" + upn}, ImmutableID: anchor.AnchorOf(prev)})
		c := applyAndSync(t, w, &conversion.MemJournal{}, func(in *conversion.Input) *conversion.Plan {
			return conversion.PlanReAnchor(in, opts(upn))
		})
		after, err := w.dir.User(t.Context(), ad.ObjectGUID)
		require.NoError(t, err)
		assert.Equal(t, prev, after.ConsistencyGUID, "the cloud anchor is in mS-DS-ConsistencyGuid")
		assert.Equal(t, matching.HardMatch, c.Outcome(ad.DN).Outcome, "%+v", c.Outcome(ad.DN))
		assert.Equal(t, id, c.Outcome(ad.DN).CloudID)
	})
	t.Run("ou move (§4a), then undo", func(t *testing.T) {
		t.Parallel()
		e := newSambaEnv(t)
		upn := e.upn("dee")
		ad := e.addUser(t, "dee", "SMTP:"+upn)
		on := true
		id := randomID(t)
		w := e.world(t, matching.Cloud{ID: id, Class: matching.ClassUser, UserPrincipalName: upn, Mail: upn,
			DisplayName: "dee", UserType: "Member", ProxyAddresses: []string{"SMTP:" + upn},
			ImmutableID: anchor.AnchorOf(ad.ObjectGUID), SyncEnabled: &on, OnPremisesDistinguishedName: ad.DN,
			OnPremisesUserPrincipalName: upn, OnPremisesLastSync: time.Now()})
		j := &conversion.MemJournal{}
		c := applyAndSync(t, w, j, func(in *conversion.Input) *conversion.Plan {
			o := opts(upn)
			o.TargetOU, o.ClearImmutableID = e.parked, true
			return conversion.PlanOUMove(in, o)
		})
		parkedDN := "CN=dee," + e.parked
		moved, err := w.dir.User(t.Context(), ad.ObjectGUID)
		require.NoError(t, err)
		assert.True(t, dn.Equal(parkedDN, moved.DN), "moved in Samba: %s", moved.DN)
		assert.Equal(t, matching.OutOfScope, c.Outcome(moved.DN).Outcome)
		assert.False(t, c.Deleted(id), "the restored user stays")
		u := w.cloudUser(t, id)
		assert.Empty(t, u.OnPremisesImmutableID)
		assert.False(t, isSynced(u), "cloud-only")

		// Undo: the move and the ImmutableID are reversed; the restore is not (ErrIrreversible),
		// and the next cycle takes the (restored) cloud user back.
		res, err := w.sambaApplier(j).Undo(t.Context())
		require.NoError(t, err)
		f := undoFailures(res)
		require.ErrorIs(t, f[conversion.RestoreUser], conversion.ErrIrreversible, "%v", res.Err())
		assert.Len(t, f, 1, "only restore-user is not undone: %v", res.Err())
		back, err := w.dir.User(t.Context(), ad.ObjectGUID)
		require.NoError(t, err)
		assert.True(t, dn.Equal(ad.DN, back.DN), "back in the synced OU: %s", back.DN)
		c, err = w.sim.Run(t.Context())
		require.NoError(t, err)
		got := c.Outcome(back.DN)
		assert.Contains(t, []matching.Outcome{matching.Joined, matching.HardMatch}, got.Outcome, "%+v", got)
		assert.Equal(t, id, got.CloudID)
		assert.True(t, isSynced(w.cloudUser(t, id)))
	})
}
