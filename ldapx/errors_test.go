package ldapx

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
)

// retryHint is the shape of the retry hint the conversion port reads from adapter errors.
type retryHint interface {
	error
	RetryAfter() (time.Duration, bool)
}

// TestOpErrorSentinels: every LDAP result code and failure kind gives one *OpError whose Err is
// our sentinel, reachable with errors.Is, and the conversion sentinel of the same meaning (or
// none), with the code, DN and scrubbed server text in the fields of those names.
func TestOpErrorSentinels(t *testing.T) {
	t.Parallel()
	all := []error{ErrNotFound, ErrConflict, ErrForbidden, ErrThrottled, ErrReadOnly, ErrUnsupported, ErrInvalid, ErrUnavailable, ErrInsecure}
	allConv := []error{conversion.ErrNotFound, conversion.ErrConflict, conversion.ErrForbidden, conversion.ErrThrottled,
		conversion.ErrReadOnly, conversion.ErrUnavailable, conversion.ErrStalePlan}
	for _, tc := range []struct {
		name     string
		err      error // what the Conn returned
		code     ResultCode
		ours     error
		conv     error // nil: no conversion sentinel
		inText   string
		ctxError error
	}{
		{"noSuchObject", &ResultError{Code: ResultNoSuchObject, Message: "0000208D: no object"}, ResultNoSuchObject, ErrNotFound, conversion.ErrNotFound, "0000208D", nil},
		{"noSuchAttribute", &ResultError{Code: ResultNoSuchAttribute}, ResultNoSuchAttribute, ErrConflict, conversion.ErrConflict, "", nil},
		{"attributeOrValueExists", &ResultError{Code: ResultAttributeOrValueExists}, ResultAttributeOrValueExists, ErrConflict, conversion.ErrConflict, "", nil},
		{"entryAlreadyExists", &ResultError{Code: ResultEntryAlreadyExists}, ResultEntryAlreadyExists, ErrConflict, conversion.ErrConflict, "", nil},
		{"insufficientAccessRights", &ResultError{Code: ResultInsufficientAccess}, ResultInsufficientAccess, ErrForbidden, conversion.ErrForbidden, "", nil},
		{"invalidCredentials", &ResultError{Code: ResultInvalidCredentials}, ResultInvalidCredentials, ErrForbidden, conversion.ErrForbidden, "", nil},
		{"strongerAuthRequired", &ResultError{Code: ResultStrongAuthRequired}, ResultStrongAuthRequired, ErrForbidden, conversion.ErrForbidden, "", nil},
		{"busy", &ResultError{Code: ResultBusy}, ResultBusy, ErrThrottled, conversion.ErrThrottled, "", nil},
		{"unavailable", &ResultError{Code: ResultUnavailable}, ResultUnavailable, ErrThrottled, conversion.ErrThrottled, "", nil},
		{"unwillingToPerform", &ResultError{Code: ResultUnwillingToPerform}, ResultUnwillingToPerform, ErrReadOnly, conversion.ErrReadOnly, "", nil},
		{"referral", &ResultError{Code: ResultReferral}, ResultReferral, ErrReadOnly, conversion.ErrReadOnly, "", nil},
		{"undefinedAttributeType", &ResultError{Code: ResultUndefinedAttributeType}, ResultUndefinedAttributeType, ErrUnsupported, nil, "", nil},
		{"adminLimitExceeded", &ResultError{Code: ResultAdminLimitExceeded}, ResultAdminLimitExceeded, ErrInvalid, nil, "", nil},
		{"other", &ResultError{Code: ResultOther, Message: "bad\x1b[31m"}, ResultOther, ErrInvalid, nil, `bad\x1b[31m`, nil},
		{"transport", fmt.Errorf("LDAP Result Code 200 %q: connection closed", "network"), ResultSuccess, ErrUnavailable, conversion.ErrUnavailable, "connection closed", nil},
		{"transport-credentials", errors.New("proxy said Authorization: Bearer abc.def"), ResultSuccess, ErrUnavailable, conversion.ErrUnavailable, "Authorization", nil},
		{"canceled", fmt.Errorf("read: %w", context.Canceled), ResultSuccess, ErrUnavailable, conversion.ErrUnavailable, "canceled", context.Canceled},
		{"deadline", context.DeadlineExceeded, ResultSuccess, ErrUnavailable, conversion.ErrUnavailable, "deadline", context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := opError("ldapx.Modify", "CN=Ann,DC=x", tc.err)
			var oe *OpError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "ldapx.Modify", oe.Op)
			assert.Equal(t, "CN=Ann,DC=x", oe.DN)
			assert.Equal(t, tc.code, oe.Code)
			assert.Same(t, tc.ours, oe.Err)
			for _, s := range all {
				assert.Equal(t, s == tc.ours, errors.Is(err, s), "errors.Is(err, %v)", s)
			}
			for _, s := range allConv {
				assert.Equal(t, s == tc.conv, errors.Is(err, s), "errors.Is(err, conversion %v)", s)
			}
			if tc.ctxError != nil {
				assert.ErrorIs(t, err, tc.ctxError)
			}
			if tc.ctxError == nil {
				assert.NotErrorIs(t, err, tc.err, "the Conn's error is text, not wrapped")
			}
			assert.Contains(t, err.Error(), tc.inText)
			assert.Contains(t, err.Error(), `"CN=Ann,DC=x"`)
			assert.NotContains(t, err.Error(), "\x1b")
			assert.NotContains(t, err.Error(), "abc.def", "credentials in server text are masked")

			var rh retryHint
			require.ErrorAs(t, err, &rh, "the retry hint is a method of the one error type")
			d, ok := rh.RetryAfter()
			assert.False(t, ok)
			assert.Zero(t, d)

			// An *OpError passes through opError unchanged (no double wrapping).
			assert.Same(t, err, opError("ldapx.Other", "", err))
		})
	}
	assert.NoError(t, opError("ldapx.Modify", "", nil))
}

// TestOpErrorThroughWrapping: a caller's %w keeps every match.
func TestOpErrorThroughWrapping(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("change c1: %w", opError("ldapx.Modify", "<GUID=x>", &ResultError{Code: ResultNoSuchAttribute}))
	assert.ErrorIs(t, err, ErrConflict)
	assert.ErrorIs(t, err, conversion.ErrConflict)
	var oe *OpError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "<GUID=x>", oe.DN)
}

func TestSingleValueConflict(t *testing.T) {
	t.Parallel()
	err := singleValueConflict(opError("ldapx.SetUPN", "CN=x", &ResultError{Code: ResultConstraintViolation}))
	assert.ErrorIs(t, err, ErrConflict)
	assert.ErrorIs(t, err, conversion.ErrConflict)
	assert.NotErrorIs(t, singleValueConflict(opError("ldapx.SetUPN", "CN=x", &ResultError{Code: ResultOther})), ErrConflict)
}
