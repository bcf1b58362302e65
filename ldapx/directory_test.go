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
// (conversion would add again, or record a created user as failed); conversion re-reads the DN.
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
			fake := ldapxtest.NewDirectory(ldapxtest.WithInterceptor(func(_ context.Context, op string, _ any) error {
				switch {
				case op == "add":
					added.Store(true)
				case op == "search" && added.Load():
					return &ldapx.ResultError{Code: tc.code}
				}
				return nil
			}))
			c, err := ldapx.New(fake)
			require.NoError(t, err)
			u := conversion.NewUser{ParentDN: "CN=Users," + ldapxtest.DefaultBaseDN, CN: "Ann Lee", UPN: "ann@contoso.example", SAMAccountName: "ann"}
			_, err = c.Directory().CreateUser(t.Context(), u)
			require.Error(t, err)
			for _, s := range []error{conversion.ErrNotFound, conversion.ErrConflict, conversion.ErrThrottled, conversion.ErrForbidden, conversion.ErrReadOnly} {
				assert.NotErrorIs(t, err, s)
			}
			assert.Contains(t, err.Error(), "the user was created")
			assert.True(t, added.Load())
		})
	}
}
