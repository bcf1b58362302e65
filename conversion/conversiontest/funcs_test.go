package conversiontest_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

// TestInterceptDirectory: a hook fails instead of the write, after it (lost answer), or waits
// for ctx; the end state shows which.
func TestInterceptDirectory(t *testing.T) {
	t.Parallel()
	g := anchor.MustParse("5a5a5a5a-0000-4000-8000-000000000001")
	lost := errors.New("connection reset")
	type setMail = func(ctx context.Context, g anchor.ObjectGUID, o, n string, next func(context.Context, anchor.ObjectGUID, string, string) error) error
	for _, tc := range []struct {
		name     string
		hook     setMail
		wantErr  error
		wantMail string
	}{
		{"fail-before", func(context.Context, anchor.ObjectGUID, string, string, func(context.Context, anchor.ObjectGUID, string, string) error) error {
			return &conversiontest.ThrottleError{After: time.Second}
		}, conversion.ErrThrottled, "a@x.example"},
		{"fail-after", func(ctx context.Context, g anchor.ObjectGUID, o, n string, next func(context.Context, anchor.ObjectGUID, string, string) error) error {
			if err := next(ctx, g, o, n); err != nil {
				return err
			}
			return lost
		}, lost, "b@x.example"},
		{"pass", func(ctx context.Context, g anchor.ObjectGUID, o, n string, next func(context.Context, anchor.ObjectGUID, string, string) error) error {
			return next(ctx, g, o, n)
		}, nil, "b@x.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, direct := range []bool{false, true} {
				fake := conversiontest.NewDirectory(matching.OnPrem{DN: "CN=A,DC=x", Class: matching.ClassUser, ObjectGUID: g, Mail: "a@x.example"})
				var d conversion.Directory = fake
				if direct {
					fake.SetFuncs(conversiontest.DirectoryFuncs{SetMail: tc.hook})
				} else {
					d = conversiontest.InterceptDirectory(fake, conversiontest.DirectoryFuncs{SetMail: tc.hook})
				}
				err := d.SetMail(t.Context(), g, "a@x.example", "b@x.example")
				if tc.wantErr == nil {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, tc.wantErr)
				}
				u, err := d.User(t.Context(), g)
				require.NoError(t, err)
				assert.Equal(t, tc.wantMail, u.Mail, "direct=%v", direct)
				wantWrites := 0
				if tc.wantMail == "b@x.example" {
					wantWrites = 1
				}
				assert.Len(t, fake.Writes(), wantWrites, "direct=%v", direct)
			}
		})
	}
}

// TestInterceptTenantDelay: a delaying hook ends with ctx.
func TestInterceptTenantDelay(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		fake, s := newFakeTenant()
		tn := conversiontest.InterceptTenant(fake, conversiontest.TenantFuncs{
			SetCloudManaged: func(ctx context.Context, id string, o, n bool, next func(context.Context, string, bool, bool) error) error {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(time.Hour):
				}
				return next(ctx, id, o, n)
			},
		})
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		err := tn.SetCloudManaged(ctx, s.Synced, false, true)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		u, err := tn.User(t.Context(), s.Synced)
		require.NoError(t, err)
		assert.False(t, u.CloudManaged, "the write did not happen")
		require.NoError(t, tn.SetCloudManaged(t.Context(), s.Synced, false, true))
		u, err = tn.User(t.Context(), s.Synced)
		require.NoError(t, err)
		assert.True(t, u.CloudManaged)
	})
}

// TestEveryWrite: one WriteHook sees each write of a fake Tenant with its operation and target,
// Before refuses a write (not made) and After loses the answer of a write that was made; reads
// pass untouched.
func TestEveryWrite(t *testing.T) {
	t.Parallel()
	on := true
	org := matching.TenantState{ID: "t1", SyncEnabled: &on}
	u := matching.Cloud{ID: "u1", UserPrincipalName: "a@x.example", Class: matching.ClassUser, SyncEnabled: &on}
	lost := errors.New("connection reset")
	for _, tc := range []struct {
		name     string
		hook     func(seen *[]string) conversiontest.WriteHook
		wantErr  error
		wantMade bool
		wantOps  []string
	}{
		{"before refuses", func(seen *[]string) conversiontest.WriteHook {
			return conversiontest.Before(func(_ context.Context, op, target string) error {
				*seen = append(*seen, op+" "+target)
				return conversion.ErrForbidden
			})
		}, conversion.ErrForbidden, false, []string{"SetCloudManaged cloud:u1", "SetOrgSyncEnabled tenant:t1"}},
		{"after loses the answer", func(seen *[]string) conversiontest.WriteHook {
			return conversiontest.After(func(_ context.Context, op, target string) error {
				*seen = append(*seen, op+" "+target)
				return lost
			})
		}, lost, true, []string{"SetCloudManaged cloud:u1", "SetOrgSyncEnabled tenant:t1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ft := conversiontest.NewTenant(org, u)
			var seen []string
			ft.SetFuncs(ft.EveryWrite(tc.hook(&seen)))
			_, err := ft.User(t.Context(), "u1")
			require.NoError(t, err, "reads are not hooked")
			require.ErrorIs(t, ft.SetCloudManaged(t.Context(), "u1", false, true), tc.wantErr)
			require.ErrorIs(t, ft.SetOrgSyncEnabled(t.Context(), true, false), tc.wantErr)
			assert.Equal(t, tc.wantOps, seen)
			got, _ := ft.Get("u1")
			assert.Equal(t, tc.wantMade, got.CloudManaged)
			assert.Len(t, ft.Writes(), map[bool]int{false: 0, true: 2}[tc.wantMade])

			ft.SetFuncs(conversiontest.TenantFuncs{})
			if !tc.wantMade {
				assert.NoError(t, ft.SetCloudManaged(t.Context(), "u1", false, true), "no hooks: the fake's own behaviour")
			}
		})
	}
}
