package ldapxtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/dn"
	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
)

// Target is one directory under test.
type Target struct {
	Conn     ldapx.Conn
	BaseDN   string // where the suite may create its own OU
	Exchange bool   // the schema has mailNickname
}

// Conformance runs the ldapx contract against the directory newTarget returns: every read, find
// and write of ldapx.Client, escaping, paging across more than 1000 objects, ranged retrieval of
// a large proxyAddresses, skipped computers, and concurrent-change detection. It runs against
// the in-memory Directory and against a real Samba AD DC, so the fake cannot drift from AD.
// Each run works in a fresh OU of its own. The DirectoryPort subtest runs
// conversiontest.DirectoryConformance, the conversion.Directory port suite that the in-memory
// conversiontest.Directory passes too, against Client.Directory (objects addressed by
// "<GUID=…>"); the Directory subtest checks what ldapx promises beyond it.
func Conformance(t *testing.T, newTarget func(t *testing.T) Target) {
	t.Helper()
	tg := newTarget(t)
	ctx := t.Context()
	c, err := ldapx.New(tg.Conn)
	require.NoError(t, err)
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	tag := hex.EncodeToString(rnd[:])
	root := "OU=ct" + tag + "," + tg.BaseDN
	mkOU := func(text string) { addOU(t, ctx, tg.Conn, text) }
	mkOU(root)
	ouA, ouB, ouMany := "OU=A,"+root, "OU=B,"+root, "OU=Many,"+root
	mkOU(ouA)
	mkOU(ouB)
	mkOU(ouMany)
	dom := tag + ".example.test"

	ann := ldapx.NewUser{OU: ouA, CN: "Ann Lee", SAMAccountName: "ann" + tag, UserPrincipalName: "ann@" + dom,
		ProxyAddresses: []string{"SMTP:ann@" + dom, "smtp:ann.lee@" + dom}, Mail: "ann@" + dom,
		MailNickname: "ann", GivenName: "Ann", Surname: "Lee", DisplayName: "Ann Lee"}
	var annDN string

	t.Run("CreateUser", func(t *testing.T) {
		res, err := c.CreateUser(ctx, ann)
		require.NoError(t, err)
		annDN = res.DN
		if tg.Exchange {
			assert.Empty(t, res.Skipped)
		} else {
			assert.Equal(t, []string{"mailNickname"}, res.Skipped)
		}
		got, err := c.Get(ctx, annDN)
		require.NoError(t, err)
		assert.Equal(t, matching.ClassUser, got.Class)
		assert.False(t, got.ObjectGUID.IsZero())
		assert.True(t, got.ConsistencyGUID.IsZero())
		assert.Equal(t, ann.UserPrincipalName, got.UserPrincipalName)
		assert.ElementsMatch(t, ann.ProxyAddresses, got.ProxyAddresses)
		assert.Equal(t, ann.Mail, got.Mail)
		assert.Equal(t, ann.SAMAccountName, got.SAMAccountName)
		assert.Equal(t, "Ann", got.GivenName)
		assert.Equal(t, "Lee", got.Surname)
		assert.Equal(t, "Ann Lee", got.DisplayName)
		assert.False(t, got.Enabled, "created without a password: disabled")
		assert.True(t, got.MailEnabled)
		assert.True(t, strings.HasPrefix(got.ObjectSID, "S-1-5-21-"), got.ObjectSID)
		if tg.Exchange {
			assert.Equal(t, "ann", got.MailNickname)
		}
	})
	t.Run("CreateUserExists", func(t *testing.T) {
		_, err := c.CreateUser(ctx, ann)
		assert.ErrorIs(t, err, ldapx.ErrConflict)
	})
	t.Run("CreateUserWithPassword", func(t *testing.T) {
		if !tg.Conn.Encrypted() {
			t.Skip("unencrypted connection")
		}
		res, err := c.CreateUser(ctx, ldapx.NewUser{OU: ouA, CN: "Bob", SAMAccountName: "bob" + tag,
			UserPrincipalName: "bob@" + dom, Password: "Pa55-" + tag + "-word!"})
		require.NoError(t, err)
		got, err := c.Get(ctx, res.DN)
		require.NoError(t, err)
		assert.True(t, got.Enabled)
	})
	t.Run("FindByAnchorAndConsistencyGUID", func(t *testing.T) {
		got, err := c.Get(ctx, annDN)
		require.NoError(t, err)
		found, err := c.FindByAnchor(ctx, root, ldapx.AnchorObjectGUID, got.ObjectGUID)
		require.NoError(t, err)
		require.Len(t, found, 1)
		assert.Equal(t, got.ObjectGUID, found[0].ObjectGUID)

		// A GUID whose bytes include the filter's special characters: ( ) * \ NUL.
		g := anchor.FromArray([16]byte{'(', ')', '*', '\\', 0, 'a', 0x80, 0xff, 1, 2, 3, 4, 5, 6, 7, 8})
		require.NoError(t, c.SetConsistencyGUID(ctx, annDN, anchor.ObjectGUID{}, g))
		found, err = c.FindByAnchor(ctx, root, ldapx.AnchorConsistencyGUID, g)
		require.NoError(t, err)
		require.Len(t, found, 1)
		assert.Equal(t, g, found[0].ConsistencyGUID)

		// Stale precondition: the caller believes the value is absent, or another value.
		err = c.SetConsistencyGUID(ctx, annDN, anchor.ObjectGUID{}, got.ObjectGUID)
		assert.ErrorIs(t, err, ldapx.ErrConflict, "adding a second value to a set single-valued attribute")
		err = c.SetConsistencyGUID(ctx, annDN, got.ObjectGUID, got.ObjectGUID)
		assert.ErrorIs(t, err, ldapx.ErrConflict)
		after, err := c.Get(ctx, annDN)
		require.NoError(t, err)
		assert.Equal(t, g, after.ConsistencyGUID, "a conflicting write changes nothing")

		require.NoError(t, c.SetConsistencyGUID(ctx, annDN, g, got.ObjectGUID))
		require.NoError(t, c.SetConsistencyGUID(ctx, annDN, got.ObjectGUID, anchor.ObjectGUID{}))
		after, err = c.Get(ctx, annDN)
		require.NoError(t, err)
		assert.True(t, after.ConsistencyGUID.IsZero())
	})
	t.Run("FindByUPNAndProxy", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			find func() ([]matching.OnPrem, error)
			want int
		}{
			{"upn", func() ([]matching.OnPrem, error) { return c.FindByUPN(ctx, root, "ann@"+dom) }, 1},
			{"upn-case", func() ([]matching.OnPrem, error) { return c.FindByUPN(ctx, root, "ANN@"+strings.ToUpper(dom)) }, 1},
			{"upn-wildcard-is-literal", func() ([]matching.OnPrem, error) { return c.FindByUPN(ctx, root, "a*") }, 0},
			{"upn-special", func() ([]matching.OnPrem, error) { return c.FindByUPN(ctx, root, `a)(|(x=*)\`+"\x00") }, 0},
			{"proxy-primary", func() ([]matching.OnPrem, error) { return c.FindByProxyAddress(ctx, root, "SMTP:ann@"+dom) }, 1},
			{"proxy-lowercase-prefix", func() ([]matching.OnPrem, error) { return c.FindByProxyAddress(ctx, root, "smtp:ann@"+dom) }, 1},
			{"proxy-secondary-bare", func() ([]matching.OnPrem, error) { return c.FindByProxyAddress(ctx, root, "ann.lee@"+dom) }, 1},
			{"proxy-missing", func() ([]matching.OnPrem, error) { return c.FindByProxyAddress(ctx, root, "nobody@"+dom) }, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := tc.find()
				require.NoError(t, err)
				assert.Len(t, got, tc.want)
			})
		}
	})
	t.Run("ReplaceProxyAddressesAndUPN", func(t *testing.T) {
		newProxies := []string{"SMTP:ann.lee@" + dom, "smtp:ann@" + dom}
		require.NoError(t, c.ReplaceProxyAddresses(ctx, annDN, ann.ProxyAddresses, newProxies))
		// AD compares proxyAddresses case-insensitively, so the old primary "SMTP:ann@" still
		// matches the new secondary "smtp:ann@": only a value that is really gone is a conflict.
		err := c.ReplaceProxyAddresses(ctx, annDN, []string{"smtp:gone@" + dom}, []string{"SMTP:x@" + dom})
		assert.ErrorIs(t, err, ldapx.ErrConflict, "stale old values")
		require.NoError(t, c.ReplaceUPN(ctx, annDN, "ann@"+dom, "ann.lee@"+dom))
		err = c.ReplaceUPN(ctx, annDN, "ann@"+dom, "other@"+dom)
		assert.ErrorIs(t, err, ldapx.ErrConflict)
		err = c.ReplaceUPN(ctx, annDN, "", "other@"+dom)
		assert.ErrorIs(t, err, ldapx.ErrConflict, "UPN set concurrently")
		got, err := c.Get(ctx, annDN)
		require.NoError(t, err)
		assert.ElementsMatch(t, newProxies, got.ProxyAddresses)
		assert.Equal(t, "ann.lee@"+dom, got.UserPrincipalName)
	})
	t.Run("Move", func(t *testing.T) {
		newDN, err := c.Move(ctx, annDN, ouB)
		require.NoError(t, err)
		_, err = c.Get(ctx, annDN)
		assert.ErrorIs(t, err, ldapx.ErrNotFound)
		got, err := c.Get(ctx, newDN)
		require.NoError(t, err)
		assert.Equal(t, "ann.lee@"+dom, got.UserPrincipalName)
		_, err = c.Move(ctx, annDN, ouB)
		assert.ErrorIs(t, err, ldapx.ErrNotFound)
		annDN = newDN
	})
	t.Run("Escaping", func(t *testing.T) {
		cn := `Odd, "Name" + (x*) \ y`
		res, err := c.CreateUser(ctx, ldapx.NewUser{OU: ouA, CN: cn, SAMAccountName: "odd" + tag,
			UserPrincipalName: "o*d(d)@" + dom, ProxyAddresses: []string{"SMTP:o*d(d)\\@" + dom}})
		require.NoError(t, err)
		got, err := c.Get(ctx, res.DN)
		require.NoError(t, err)
		assert.Equal(t, "odd"+tag, got.SAMAccountName)
		found, err := c.FindByUPN(ctx, root, "o*d(d)@"+dom)
		require.NoError(t, err)
		require.Len(t, found, 1)
		found, err = c.FindByProxyAddress(ctx, root, "smtp:o*d(d)\\@"+dom)
		require.NoError(t, err)
		require.Len(t, found, 1)
		_, err = c.Move(ctx, res.DN, ouB)
		require.NoError(t, err)
	})
	t.Run("RangedRetrieval", func(t *testing.T) {
		many := make([]string, 1600)
		for i := range many {
			many[i] = fmt.Sprintf("smtp:p%04d@%s", i, dom)
		}
		res, err := c.CreateUser(ctx, ldapx.NewUser{OU: ouA, CN: "Many Proxies", SAMAccountName: "mp" + tag, ProxyAddresses: many})
		require.NoError(t, err)
		got, err := c.Get(ctx, res.DN)
		require.NoError(t, err)
		assert.Len(t, got.ProxyAddresses, len(many))
		assert.ElementsMatch(t, many, got.ProxyAddresses)
	})
	t.Run("PagingAndClasses", func(t *testing.T) {
		const n = 1005
		for i := range n {
			dn := fmt.Sprintf("CN=c%04d,%s", i, ouMany)
			require.NoError(t, tg.Conn.Add(ctx, &ldapx.AddRequest{DN: dn, Attributes: []ldapx.Attribute{
				{Name: "objectClass", Values: [][]byte{[]byte("top"), []byte("person"), []byte("organizationalPerson"), []byte("contact")}},
				{Name: "mail", Values: [][]byte{fmt.Appendf(nil, "c%04d@%s", i, dom)}},
			}}))
		}
		require.NoError(t, tg.Conn.Add(ctx, &ldapx.AddRequest{DN: "CN=pc" + tag + "," + ouMany, Attributes: []ldapx.Attribute{
			{Name: "objectClass", Values: [][]byte{[]byte("top"), []byte("person"), []byte("organizationalPerson"), []byte("user"), []byte("computer")}},
			{Name: "sAMAccountName", Values: [][]byte{[]byte("pc" + tag + "$")}},
		}}))
		require.NoError(t, tg.Conn.Add(ctx, &ldapx.AddRequest{DN: "CN=g" + tag + "," + ouMany, Attributes: []ldapx.Attribute{
			{Name: "objectClass", Values: [][]byte{[]byte("top"), []byte("group")}},
			{Name: "sAMAccountName", Values: [][]byte{[]byte("g" + tag)}},
			{Name: "mail", Values: [][]byte{[]byte("g@" + dom)}},
		}}))
		counts := map[matching.Class]int{}
		var seen []string
		for r, err := range c.Objects(ctx, ouMany) {
			require.NoError(t, err)
			counts[r.Class]++
			seen = append(seen, r.DN)
		}
		assert.Equal(t, n, counts[matching.ClassContact])
		assert.Equal(t, 1, counts[matching.ClassGroup])
		assert.Zero(t, counts[matching.ClassUser], "computers are skipped")
		slices.Sort(seen)
		assert.Len(t, slices.Compact(seen), n+1, "no object twice")

		total := 0
		for _, err := range c.Objects(ctx, ouA, ouB) {
			require.NoError(t, err)
			total++
		}
		assert.GreaterOrEqual(t, total, 3)
	})
	t.Run("ExportRoundTrip", func(t *testing.T) {
		var want []matching.OnPrem
		for r, err := range c.Objects(ctx, root) {
			require.NoError(t, err)
			r.Source = ""
			want = append(want, r)
		}
		var buf bytes.Buffer
		require.NoError(t, c.Export(ctx, &buf, root))
		var got []matching.OnPrem
		for r, err := range ldif.ReadOnPrem(&buf, "export.ldif", ldif.Mapping{}) {
			require.NoError(t, err)
			r.Source = ""
			got = append(got, r)
		}
		assert.Equal(t, want, got, "ldif.ReadOnPrem(Export) == Objects")
	})
	t.Run("Directory", func(t *testing.T) {
		conformDirectory(t, c, tg, root, tag)
	})
	t.Run("DirectoryPort", func(t *testing.T) {
		// The port contract every conversion.Directory passes, the in-memory fake of package
		// conversiontest included.
		conversiontest.DirectoryConformance(t, func(t *testing.T) conversiontest.DirectorySetup {
			t.Helper()
			var rnd [4]byte
			_, _ = rand.Read(rnd[:])
			sub := "OU=port" + hex.EncodeToString(rnd[:]) + "," + root
			for _, ou := range []string{sub, "OU=From," + sub, "OU=To," + sub} {
				addOU(t, t.Context(), tg.Conn, ou)
			}
			return conversiontest.DirectorySetup{Directory: c.Directory(), ParentDN: "OU=From," + sub, OtherParentDN: "OU=To," + sub}
		})
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := c.Get(ctx, "CN=nobody,"+root)
		assert.ErrorIs(t, err, ldapx.ErrNotFound)
		var oe *ldapx.OpError
		require.True(t, errors.As(err, &oe))
		for _, err := range c.Objects(ctx, "OU=missing,"+root) {
			assert.ErrorIs(t, err, ldapx.ErrNotFound)
		}
		err = c.ReplaceUPN(ctx, "CN=nobody,"+root, "a@b", "c@d")
		assert.ErrorIs(t, err, ldapx.ErrNotFound)
	})
}

// conformDirectory checks what ldapx's conversion.Directory promises beyond the port contract
// that conversiontest.DirectoryConformance checks (the DirectoryPort subtest): an object that is
// not a user reads as ErrNotFound, a move into a container that does not exist is ErrNotFound and
// leaves the user where it was, and the objectGUID CreateUser returns is the directory's.
func conformDirectory(t *testing.T, c *ldapx.Client, tg Target, root, tag string) {
	t.Helper()
	ctx := t.Context()
	var dir conversion.Directory = c.Directory()
	ouFrom := "OU=DirFrom," + root
	require.NoError(t, tg.Conn.Add(ctx, &ldapx.AddRequest{DN: ouFrom, Attributes: []ldapx.Attribute{
		{Name: "objectClass", Values: [][]byte{[]byte("top"), []byte("organizationalUnit")}},
		{Name: "ou", Values: [][]byte{[]byte("DirFrom")}},
	}}))
	nu := conversion.NewUser{ParentDN: ouFrom, CN: "Dee, Port", UPN: "dee@d" + tag + ".example.test", SAMAccountName: "dee" + tag}
	guid, err := dir.CreateUser(ctx, nu)
	require.NoError(t, err)
	byDN, err := c.Get(ctx, nu.DN())
	require.NoError(t, err)
	assert.Equal(t, byDN.ObjectGUID, guid, "CreateUser returns the directory's objectGUID")
	ouRec, err := c.Get(ctx, ouFrom)
	require.NoError(t, err)

	t.Run("NotAUser", func(t *testing.T) {
		_, err := dir.User(ctx, ouRec.ObjectGUID)
		assert.ErrorIs(t, err, conversion.ErrNotFound)
		assert.ErrorIs(t, err, ldapx.ErrNotFound)
		_, err = dir.UserByDN(ctx, ouFrom)
		assert.ErrorIs(t, err, conversion.ErrNotFound)
	})
	t.Run("MoveToMissingContainer", func(t *testing.T) {
		err := dir.Move(ctx, guid, ouFrom, "OU=nowhere,"+root)
		require.ErrorIs(t, err, conversion.ErrNotFound)
		got, err := dir.User(ctx, guid)
		require.NoError(t, err)
		assert.True(t, dn.Equal(nu.DN(), got.DN), "DN %q", got.DN)
	})
}

// addOU creates the organizational unit named by text, its ou attribute taken from the first RDN.
func addOU(t testing.TB, ctx context.Context, conn ldapx.Conn, text string) {
	t.Helper()
	d, err := dn.Parse(text)
	require.NoError(t, err)
	require.NoError(t, conn.Add(ctx, &ldapx.AddRequest{DN: text, Attributes: []ldapx.Attribute{
		{Name: "objectClass", Values: [][]byte{[]byte("top"), []byte("organizationalUnit")}},
		{Name: "ou", Values: [][]byte{[]byte(d.RDN().Value())}},
	}}), "creating %s", text)
}
