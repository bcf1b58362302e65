package ldapx_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

// TestDirectoryCreateUserReadBackFails: the add succeeded and only reading the new user back
// failed. The error must not carry a conversion sentinel that says the add did not happen
// (conversion would add again, or record a created user as failed), only ErrUnavailable
// ("may have happened"), so that conversion re-reads the DN.
func TestDirectoryCreateUserReadBackFails(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		code ldapx.ResultCode
	}{
		{"busy", ldapx.ResultBusy},
		{"not replicated yet", ldapx.ResultNoSuchObject},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var added atomic.Bool
			fake := ldapxtest.NewDirectory(ldapxtest.WithFuncs(ldapxtest.Funcs{
				Add: func(ctx context.Context, req *ldapx.AddRequest, next ldapxtest.AddFunc) error {
					err := next(ctx, req)
					added.Store(err == nil)
					return err
				},
				Search: func(ctx context.Context, req *ldapx.SearchRequest, next ldapxtest.SearchFunc) (*ldapx.SearchPage, error) {
					if added.Load() {
						return nil, &ldapx.ResultError{Code: tc.code}
					}
					return next(ctx, req)
				},
			}))
			c, err := ldapx.New(fake)
			require.NoError(t, err)
			u := conversion.NewUser{ParentDN: "CN=Users," + ldapxtest.DefaultBaseDN, CN: "Ann Lee", UPN: "ann@contoso.example", SAMAccountName: "ann"}
			_, err = c.Directory().CreateUser(t.Context(), u)
			require.Error(t, err)
			for _, s := range []error{conversion.ErrNotFound, conversion.ErrConflict, conversion.ErrThrottled, conversion.ErrForbidden, conversion.ErrReadOnly} {
				assert.NotErrorIs(t, err, s)
			}
			assert.ErrorIs(t, err, conversion.ErrUnavailable, "the add may have happened: re-read")
			assert.Contains(t, err.Error(), "the user was created")
			assert.True(t, added.Load())
		})
	}
}
