package ldapxtest_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

func ouAdd(dn, name string) *ldapx.AddRequest {
	return &ldapx.AddRequest{DN: dn, Attributes: []ldapx.Attribute{
		{Name: "objectClass", Values: [][]byte{[]byte("top"), []byte("organizationalUnit")}},
		{Name: "ou", Values: [][]byte{[]byte(name)}},
	}}
}

// TestFuncs: each hook can fail instead of the operation, fail after it (a lost answer), or
// fall through to the fake's own behaviour; the Client sees what the hook returned.
func TestFuncs(t *testing.T) {
	t.Parallel()
	ou := "OU=F," + ldapxtest.DefaultBaseDN
	for _, tc := range []struct {
		name     string
		funcs    ldapxtest.Funcs
		op       func(ctx context.Context, c *ldapx.Client, d *ldapxtest.Directory) error
		wantErr  error
		wantMade bool // the entry OU=F exists afterwards
	}{
		{"add-busy", ldapxtest.Funcs{Add: func(context.Context, *ldapx.AddRequest, ldapxtest.AddFunc) error {
			return &ldapx.ResultError{Code: ldapx.ResultBusy}
		}}, func(ctx context.Context, _ *ldapx.Client, d *ldapxtest.Directory) error {
			return d.Add(ctx, ouAdd(ou, "F"))
		}, nil, false},
		{"add-lost-answer", ldapxtest.Funcs{Add: func(ctx context.Context, req *ldapx.AddRequest, next ldapxtest.AddFunc) error {
			if err := next(ctx, req); err != nil {
				return err
			}
			return errors.New("connection reset")
		}}, func(ctx context.Context, _ *ldapx.Client, d *ldapxtest.Directory) error {
			return d.Add(ctx, ouAdd(ou, "F"))
		}, nil, true},
		{"modify-unwilling", ldapxtest.Funcs{Modify: func(context.Context, *ldapx.ModifyRequest, ldapxtest.ModifyFunc) error {
			return &ldapx.ResultError{Code: ldapx.ResultUnwillingToPerform, Message: "0000209A: read-only DC"}
		}}, func(ctx context.Context, c *ldapx.Client, d *ldapxtest.Directory) error {
			require.NoError(t, d.Add(ctx, ouAdd(ou, "F")))
			return c.ReplaceUPN(ctx, "CN=Users,"+ldapxtest.DefaultBaseDN, "", "a@b.example")
		}, ldapx.ErrReadOnly, true},
		{"modifydn-passes", ldapxtest.Funcs{ModifyDN: func(ctx context.Context, req *ldapx.ModifyDNRequest, next ldapxtest.ModifyDNFunc) error {
			return next(ctx, req)
		}}, func(ctx context.Context, c *ldapx.Client, d *ldapxtest.Directory) error {
			require.NoError(t, d.Add(ctx, ouAdd(ou, "F")))
			_, err := c.Move(ctx, "CN=Nobody,"+ldapxtest.DefaultBaseDN, ou)
			return err
		}, ldapx.ErrNotFound, true},
		{"search-changes-answer", ldapxtest.Funcs{Search: func(ctx context.Context, req *ldapx.SearchRequest, next ldapxtest.SearchFunc) (*ldapx.SearchPage, error) {
			p, err := next(ctx, req)
			if err == nil {
				p.Entries = nil
			}
			return p, err
		}}, func(ctx context.Context, c *ldapx.Client, d *ldapxtest.Directory) error {
			require.NoError(t, d.Add(ctx, ouAdd(ou, "F")))
			_, err := c.Get(ctx, ou)
			return err
		}, ldapx.ErrNotFound, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := ldapxtest.NewDirectory(ldapxtest.WithFuncs(tc.funcs))
			c, err := ldapx.New(d)
			require.NoError(t, err)
			err = tc.op(t.Context(), c, d)
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
			} else {
				assert.Error(t, err)
			}
			d.SetFuncs(ldapxtest.Funcs{}) // the fake's own behaviour again
			_, gerr := c.Get(t.Context(), ou)
			if tc.wantMade {
				assert.NoError(t, gerr)
			} else {
				assert.ErrorIs(t, gerr, ldapx.ErrNotFound)
			}
		})
	}
}

// TestFuncsDelay: a hook that delays honours ctx, and the Client reports the cancelled operation
// as ErrUnavailable ("may have happened") that is also context.DeadlineExceeded.
func TestFuncsDelay(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		d := ldapxtest.NewDirectory(ldapxtest.WithFuncs(ldapxtest.Funcs{
			Modify: func(ctx context.Context, req *ldapx.ModifyRequest, next ldapxtest.ModifyFunc) error {
				calls.Add(1)
				if err := ldapxtest.Delay(ctx, time.Hour); err != nil {
					return err
				}
				return next(ctx, req)
			},
		}))
		c, err := ldapx.New(d)
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		start := time.Now()
		err = c.ReplaceUPN(ctx, "CN=Users,"+ldapxtest.DefaultBaseDN, "", "a@b.example")
		assert.ErrorIs(t, err, ldapx.ErrUnavailable)
		assert.ErrorIs(t, err, conversion.ErrUnavailable)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Minute, time.Since(start), "the delay ended with ctx")
		assert.EqualValues(t, 1, calls.Load())

		// Without a deadline the delay ends and the operation happens.
		require.NoError(t, c.ReplaceUPN(t.Context(), "CN=Users,"+ldapxtest.DefaultBaseDN, "", "a@b.example"))
		u, err := c.Get(t.Context(), "CN=Users,"+ldapxtest.DefaultBaseDN)
		require.NoError(t, err)
		assert.Equal(t, "a@b.example", u.UserPrincipalName)
	})
}

// TestIntercept: the same hooks around any ldapx.Conn.
func TestIntercept(t *testing.T) {
	t.Parallel()
	d := ldapxtest.NewDirectory()
	var adds atomic.Int32
	conn := ldapxtest.Intercept(d, ldapxtest.Funcs{
		Add: func(ctx context.Context, req *ldapx.AddRequest, next ldapxtest.AddFunc) error {
			adds.Add(1)
			return next(ctx, req)
		},
		Modify: func(context.Context, *ldapx.ModifyRequest, ldapxtest.ModifyFunc) error {
			return &ldapx.ResultError{Code: ldapx.ResultBusy}
		},
	})
	c, err := ldapx.New(conn)
	require.NoError(t, err)
	_, err = c.CreateUser(t.Context(), ldapx.NewUser{OU: "CN=Users," + ldapxtest.DefaultBaseDN, CN: "Ann", SAMAccountName: "ann"})
	require.NoError(t, err)
	assert.EqualValues(t, 1, adds.Load())
	err = c.ReplaceUPN(t.Context(), "CN=Ann,CN=Users,"+ldapxtest.DefaultBaseDN, "", "ann@b.example")
	assert.ErrorIs(t, err, ldapx.ErrThrottled)
	assert.ErrorIs(t, err, conversion.ErrThrottled)
	assert.True(t, conn.Encrypted())
}
