package conversiontest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/dn"
	"github.com/hybridid/hybridid/matching"
)

// DirectorySetup is one conversion.Directory under test and where the suite may work in it.
type DirectorySetup struct {
	Directory conversion.Directory
	// ParentDN and OtherParentDN are two existing, distinct containers in which the suite creates
	// users (with random names) and between which it moves them.
	ParentDN, OtherParentDN string
}

// DirectoryConformance checks the contract of the conversion.Directory port against the
// directory newDirectory returns (called once per subtest, which run in parallel): reads by
// objectGUID and by DN (case-insensitive), CreateUser and its read back, ErrConflict for a user
// that already exists, ErrNotFound for a missing object on every read and write, every write kind
// applied (a re-read shows the new value and nothing else changed, and reading again gives the
// same) and refused with ErrConflict when its old value does not hold (nothing changes), and Move
// between containers. The old value of a mail or userPrincipalName change matches
// case-insensitively, as the directory's matching rule does; the old proxyAddresses must be the
// whole set, value for value ("SMTP:" and "smtp:" differ: the case marks the primary address).
// CreateUser refuses a sAMAccountName in use (ErrConflict), and CreateUser and Move refuse a
// container that does not exist (ErrNotFound). Run it against every implementation of the port
// (the in-memory fake, ldapx on a real directory) so that they cannot drift apart.
//
// It compares records as the port promises them: DNs case-insensitively and without spaces after
// separators, proxyAddresses as a set; MailEnabled, ObjectSID, MailNickname (schema dependent) and
// Source are not compared. It does not check what the port leaves to the implementation: whether
// a write that changes nothing compares its old value with or without case.
func DirectoryConformance(t *testing.T, newDirectory func(t *testing.T) DirectorySetup) {
	t.Helper()

	// create makes a fresh user in a fresh directory and returns both, with the record read back.
	create := func(t *testing.T) (DirectorySetup, conversion.NewUser, matching.OnPrem) {
		t.Helper()
		s := newDirectory(t)
		tag := randomTag(t)
		dom := "d" + tag + ".example.test"
		nu := conversion.NewUser{ParentDN: s.ParentDN, CN: "Port, Dee " + tag, UPN: "dee" + tag + "@" + dom,
			SAMAccountName: "dee" + tag, Mail: "dee@" + dom, ProxyAddresses: []string{"SMTP:dee@" + dom, "smtp:d.port@" + dom},
			GivenName: "Dee", Surname: "Port", DisplayName: "Dee Port", MailNickname: "dee" + tag,
			ConsistencyGUID: anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")}
		g, err := s.Directory.CreateUser(t.Context(), nu)
		require.NoError(t, err, "CreateUser")
		require.False(t, g.IsZero(), "CreateUser returns the new objectGUID")
		u, err := s.Directory.User(t.Context(), g)
		require.NoError(t, err, "User after CreateUser")
		return s, nu, u
	}
	missing := anchor.MustParse("0badc0de-0000-4000-8000-00000000dead")

	t.Run("CreateAndRead", func(t *testing.T) {
		t.Parallel()
		s, nu, u := create(t)
		ctx := t.Context()
		assert.Equal(t, matching.ClassUser, u.Class)
		assert.False(t, u.ObjectGUID.IsZero())
		assert.Equal(t, nu.ConsistencyGUID, u.ConsistencyGUID)
		assert.True(t, dn.Equal(nu.DN(), u.DN), "DN %q, want %q", u.DN, nu.DN())
		assert.Equal(t, nu.UPN, u.UserPrincipalName)
		assert.Equal(t, nu.Mail, u.Mail)
		assert.ElementsMatch(t, nu.ProxyAddresses, u.ProxyAddresses)
		assert.Equal(t, nu.SAMAccountName, u.SAMAccountName)
		assert.Equal(t, nu.GivenName, u.GivenName)
		assert.Equal(t, nu.Surname, u.Surname)
		assert.Equal(t, nu.DisplayName, u.DisplayName)
		assert.False(t, u.Enabled, "a created user has no password: disabled")

		again, err := s.Directory.User(ctx, u.ObjectGUID)
		require.NoError(t, err)
		assert.Equal(t, portable(u), portable(again), "reading twice gives the same record")
		for _, text := range []string{u.DN, strings.ToUpper(u.DN), strings.ToLower(u.DN)} {
			byDN, err := s.Directory.UserByDN(ctx, text)
			require.NoError(t, err, "UserByDN(%q)", text)
			assert.Equal(t, portable(u), portable(byDN), "UserByDN(%q)", text)
		}
	})

	t.Run("CreateExisting", func(t *testing.T) {
		t.Parallel()
		s, nu, u := create(t)
		_, err := s.Directory.CreateUser(t.Context(), nu)
		assert.ErrorIs(t, err, conversion.ErrConflict, "an object already exists at the DN")
		same := nu
		same.CN, same.UPN, same.Mail, same.ProxyAddresses = "Other "+nu.CN, "other."+nu.UPN, "", nil
		same.SAMAccountName = strings.ToUpper(nu.SAMAccountName)
		_, err = s.Directory.CreateUser(t.Context(), same)
		assert.ErrorIs(t, err, conversion.ErrConflict, "the sAMAccountName is in use (compared case-insensitively)")
		_, err = s.Directory.UserByDN(t.Context(), same.DN())
		assert.ErrorIs(t, err, conversion.ErrNotFound, "the refused create left nothing")
		elsewhere := nu
		elsewhere.ParentDN = "OU=Missing " + randomTag(t) + "," + s.ParentDN
		elsewhere.SAMAccountName, elsewhere.UPN = "x"+randomTag(t), "x."+nu.UPN
		_, err = s.Directory.CreateUser(t.Context(), elsewhere)
		assert.ErrorIs(t, err, conversion.ErrNotFound, "the container does not exist")
		after, err := s.Directory.User(t.Context(), u.ObjectGUID)
		require.NoError(t, err)
		assert.Equal(t, portable(u), portable(after), "the refused creates changed nothing")
	})

	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		s, _, u := create(t)
		ctx := t.Context()
		d := s.Directory
		for _, tc := range []struct {
			name string
			do   func() error
		}{
			{"User", func() error { _, err := d.User(ctx, missing); return err }},
			{"UserByDN", func() error { _, err := d.UserByDN(ctx, "CN=Nobody "+randomTag(t)+","+s.ParentDN); return err }},
			{"SetConsistencyGUID", func() error { return d.SetConsistencyGUID(ctx, missing, anchor.ObjectGUID{}, u.ObjectGUID) }},
			{"ReplaceProxyAddresses", func() error {
				return d.ReplaceProxyAddresses(ctx, missing, []string{"SMTP:a@b.example"}, []string{"SMTP:c@b.example"})
			}},
			{"SetMail", func() error { return d.SetMail(ctx, missing, "a@b.example", "c@b.example") }},
			{"SetUPN", func() error { return d.SetUPN(ctx, missing, "a@b.example", "c@b.example") }},
			{"Move", func() error { return d.Move(ctx, missing, s.ParentDN, s.OtherParentDN) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.do()
				assert.ErrorIs(t, err, conversion.ErrNotFound)
				assert.NotErrorIs(t, err, conversion.ErrConflict)
			})
		}
	})

	other := anchor.MustParse("00112233-4455-6677-8899-aabbccddeeff")
	type step struct {
		name    string
		write   func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error
		want    func(u *matching.OnPrem) // the change a successful write makes; nil: refused
		wantErr error
	}
	for _, kind := range []struct {
		name  string
		steps []step
	}{
		{"SetConsistencyGUID", []step{
			{"stale-absent", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetConsistencyGUID(ctx, u.ObjectGUID, anchor.ObjectGUID{}, other)
			}, nil, conversion.ErrConflict},
			{"stale-value", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetConsistencyGUID(ctx, u.ObjectGUID, other, u.ObjectGUID)
			}, nil, conversion.ErrConflict},
			{"unchanged-stale", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetConsistencyGUID(ctx, u.ObjectGUID, other, other)
			}, nil, conversion.ErrConflict},
			{"unchanged-holds", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetConsistencyGUID(ctx, u.ObjectGUID, u.ConsistencyGUID, u.ConsistencyGUID)
			}, func(*matching.OnPrem) {}, nil},
			{"replace", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetConsistencyGUID(ctx, u.ObjectGUID, u.ConsistencyGUID, u.ObjectGUID)
			}, func(u *matching.OnPrem) { u.ConsistencyGUID = u.ObjectGUID }, nil},
			{"clear", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetConsistencyGUID(ctx, u.ObjectGUID, u.ConsistencyGUID, anchor.ObjectGUID{})
			}, func(u *matching.OnPrem) { u.ConsistencyGUID = anchor.ObjectGUID{} }, nil},
			{"set", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetConsistencyGUID(ctx, u.ObjectGUID, anchor.ObjectGUID{}, other)
			}, func(u *matching.OnPrem) { u.ConsistencyGUID = other }, nil},
		}},
		{"SetMail", []step{
			{"stale", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetMail(ctx, u.ObjectGUID, "old."+u.Mail, "new."+u.Mail)
			}, nil, conversion.ErrConflict},
			{"stale-absent", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetMail(ctx, u.ObjectGUID, "", "new."+u.Mail)
			}, nil, conversion.ErrConflict},
			{"replace", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetMail(ctx, u.ObjectGUID, u.Mail, "new."+u.Mail)
			}, func(u *matching.OnPrem) { u.Mail = "new." + u.Mail }, nil},
			{"replace-old-in-other-case", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetMail(ctx, u.ObjectGUID, strings.ToUpper(u.Mail), "case."+u.Mail)
			}, func(u *matching.OnPrem) { u.Mail = "case." + u.Mail }, nil},
			{"clear", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetMail(ctx, u.ObjectGUID, u.Mail, "")
			}, func(u *matching.OnPrem) { u.Mail = "" }, nil},
			{"stale-present", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetMail(ctx, u.ObjectGUID, "gone@x.example", "a@x.example")
			}, nil, conversion.ErrConflict},
			{"set", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetMail(ctx, u.ObjectGUID, "", "set@x.example")
			}, func(u *matching.OnPrem) { u.Mail = "set@x.example" }, nil},
		}},
		{"SetUPN", []step{
			{"stale", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetUPN(ctx, u.ObjectGUID, "x"+u.UserPrincipalName, "y"+u.UserPrincipalName)
			}, nil, conversion.ErrConflict},
			{"stale-absent", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetUPN(ctx, u.ObjectGUID, "", "y"+u.UserPrincipalName)
			}, nil, conversion.ErrConflict},
			{"replace", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetUPN(ctx, u.ObjectGUID, u.UserPrincipalName, "new."+u.UserPrincipalName)
			}, func(u *matching.OnPrem) { u.UserPrincipalName = "new." + u.UserPrincipalName }, nil},
			{"replace-old-in-other-case", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.SetUPN(ctx, u.ObjectGUID, strings.ToUpper(u.UserPrincipalName), "case."+u.UserPrincipalName)
			}, func(u *matching.OnPrem) { u.UserPrincipalName = "case." + u.UserPrincipalName }, nil},
		}},
		{"ReplaceProxyAddresses", []step{
			{"stale", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.ReplaceProxyAddresses(ctx, u.ObjectGUID, []string{"SMTP:gone@x.example"}, []string{"SMTP:new@x.example"})
			}, nil, conversion.ErrConflict},
			{"stale-subset", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				// A value added since the read: the set is no longer old.
				return d.ReplaceProxyAddresses(ctx, u.ObjectGUID, u.ProxyAddresses[:1], []string{"SMTP:new@x.example"})
			}, nil, conversion.ErrConflict},
			{"stale-primary-flipped", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				// "SMTP:" marks the primary address: a value whose prefix changed case is another value.
				old := slices.Clone(u.ProxyAddresses)
				for i, p := range old {
					if strings.HasPrefix(p, "smtp:") {
						old[i] = "SMTP:" + p[5:]
					} else if strings.HasPrefix(p, "SMTP:") {
						old[i] = "smtp:" + p[5:]
					}
				}
				return d.ReplaceProxyAddresses(ctx, u.ObjectGUID, old, []string{"SMTP:new@x.example"})
			}, nil, conversion.ErrConflict},
			{"replace", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.ReplaceProxyAddresses(ctx, u.ObjectGUID, u.ProxyAddresses, []string{"SMTP:new@x.example", "smtp:" + u.Mail})
			}, func(u *matching.OnPrem) { u.ProxyAddresses = []string{"SMTP:new@x.example", "smtp:" + u.Mail} }, nil},
			{"clear", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.ReplaceProxyAddresses(ctx, u.ObjectGUID, u.ProxyAddresses, nil)
			}, func(u *matching.OnPrem) { u.ProxyAddresses = nil }, nil},
			{"set", func(ctx context.Context, d conversion.Directory, u matching.OnPrem) error {
				return d.ReplaceProxyAddresses(ctx, u.ObjectGUID, nil, []string{"SMTP:again@x.example"})
			}, func(u *matching.OnPrem) { u.ProxyAddresses = []string{"SMTP:again@x.example"} }, nil},
		}},
	} {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			s, _, u := create(t)
			// Sequential on purpose: each step starts from the state the previous one left.
			for _, st := range kind.steps {
				t.Run(st.name, func(t *testing.T) {
					ctx := t.Context()
					err := st.write(ctx, s.Directory, u)
					if st.wantErr != nil {
						require.ErrorIs(t, err, st.wantErr)
					} else {
						require.NoError(t, err)
					}
					want := u
					want.ProxyAddresses = slices.Clone(u.ProxyAddresses)
					if st.want != nil {
						st.want(&want)
					}
					got, err := s.Directory.User(ctx, u.ObjectGUID)
					require.NoError(t, err)
					assert.Equal(t, portable(want), portable(got), "the record after the write")
					again, err := s.Directory.User(ctx, u.ObjectGUID)
					require.NoError(t, err)
					assert.Equal(t, portable(got), portable(again), "reading again after the write")
					u = got
				})
			}
		})
	}

	t.Run("Move", func(t *testing.T) {
		t.Parallel()
		s, _, u := create(t)
		ctx := t.Context()
		cur, err := dn.Parse(u.DN)
		require.NoError(t, err)
		rdn := cur.RDN().String() + ","
		for _, tc := range []struct {
			name     string
			from, to string
			wantErr  error
			parent   string // where the user is afterwards
		}{
			{"stale-parent", s.OtherParentDN, s.ParentDN, conversion.ErrConflict, s.ParentDN},
			{"missing-container", s.ParentDN, "OU=Missing " + randomTag(t) + "," + s.ParentDN, conversion.ErrNotFound, s.ParentDN},
			{"move", strings.ToUpper(s.ParentDN), s.OtherParentDN, nil, s.OtherParentDN},
			{"stale-after-move", s.ParentDN, s.OtherParentDN, conversion.ErrConflict, s.OtherParentDN},
			{"move-back", s.OtherParentDN, s.ParentDN, nil, s.ParentDN},
		} {
			// Sequential on purpose.
			t.Run(tc.name, func(t *testing.T) {
				err := s.Directory.Move(ctx, u.ObjectGUID, tc.from, tc.to)
				if tc.wantErr != nil {
					require.ErrorIs(t, err, tc.wantErr)
				} else {
					require.NoError(t, err)
				}
				got, err := s.Directory.User(ctx, u.ObjectGUID)
				require.NoError(t, err)
				assert.True(t, dn.Equal(rdn+tc.parent, got.DN), "DN %q, want %q", got.DN, rdn+tc.parent)
				want := u
				want.DN = got.DN
				assert.Equal(t, portable(want), portable(got), "a move changes the DN only")
				byDN, err := s.Directory.UserByDN(ctx, rdn+tc.parent)
				require.NoError(t, err)
				assert.Equal(t, u.ObjectGUID, byDN.ObjectGUID)
				if tc.wantErr == nil {
					_, err = s.Directory.UserByDN(ctx, rdn+tc.from)
					assert.ErrorIs(t, err, conversion.ErrNotFound, "nothing is left at the old DN")
				}
			})
		}
	})
}

// portable is u as every Directory must agree on it.
func portable(u matching.OnPrem) matching.OnPrem {
	if d, err := dn.Parse(u.DN); err == nil {
		u.DN = d.Normalize()
	}
	u.ProxyAddresses = slices.Clone(u.ProxyAddresses)
	slices.Sort(u.ProxyAddresses)
	if len(u.ProxyAddresses) == 0 {
		u.ProxyAddresses = nil
	}
	u.MailEnabled, u.ObjectSID, u.MailNickname, u.Source = false, "", "", ""
	return u
}

// randomTag returns 8 random hex digits, for names that must not collide with an earlier run
// against the same real directory.
func randomTag(t *testing.T) string {
	t.Helper()
	var b [4]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	return hex.EncodeToString(b[:])
}
