package graphx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		status    int
		code, msg string
		want      error
	}{
		{"synced read-only", 400, "AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService", "", ErrReadOnly},
		{"read-only by message", 400, "Request_BadRequest", "Unable to update the specified properties for on-premises mastered Directory Sync objects", ErrReadOnly},
		{"not found", 404, "Request_ResourceNotFound", "", ErrNotFound},
		{"throttled", 429, "TooManyRequests", "", ErrThrottled},
		{"unavailable", 503, "serviceNotAvailable", "", ErrThrottled},
		{"gateway", 504, "", "", ErrThrottled},
		{"forbidden", 403, "Authorization_RequestDenied", "", ErrForbidden},
		{"unauthorized", 401, "InvalidAuthenticationToken", "", ErrForbidden},
		{"conflict", 409, "", "", ErrConflict},
		{"duplicate value", 400, "Request_BadRequest", "Another object with the same value for property onPremisesImmutableId already exists.", ErrConflict},
		{"pending disable", 400, "DirSyncStatusChangeNotAllowed", "", ErrConflict},
		{"server error", 500, "generalException", "", ErrUnavailable},
		{"no response", 0, "", "connection reset", ErrUnavailable},
		{"bad request", 400, "Request_BadRequest", "Invalid value", ErrBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.ErrorIs(t, classify(tc.status, tc.code, tc.msg), tc.want)
		})
	}
}

func TestOpErrorMessage(t *testing.T) {
	t.Parallel()
	e := &OpError{Op: "SetImmutableID", Target: "u1", Status: 429, Code: "TooManyRequests", Message: "slow down",
		RequestID: "r-1", Wait: 2 * time.Second, Err: ErrThrottled}
	assert.Equal(t, "graphx: SetImmutableID u1: throttled (HTTP 429 TooManyRequests): slow down; retry after 2s; request-id r-1", e.Error())
	assert.True(t, errors.Is(e, ErrThrottled))
}

// TestOpErrorIs: errors.Is matches the graphx sentinel and the conversion sentinel of the same
// meaning, and no other; errors.As finds the *OpError and the port's RetryAfterError.
func TestOpErrorIs(t *testing.T) {
	t.Parallel()
	conv := []error{conversion.ErrNotFound, conversion.ErrConflict, conversion.ErrThrottled, conversion.ErrForbidden,
		conversion.ErrReadOnly, conversion.ErrUnavailable}
	cases := []struct {
		err  error
		want error // conversion sentinel, nil for none
	}{
		{ErrNotFound, conversion.ErrNotFound},
		{ErrConflict, conversion.ErrConflict},
		{ErrThrottled, conversion.ErrThrottled},
		{ErrForbidden, conversion.ErrForbidden},
		{ErrReadOnly, conversion.ErrReadOnly},
		{ErrUnavailable, conversion.ErrUnavailable},
		{ErrOutcomeUnknown, conversion.ErrUnavailable},
		{ErrBadRequest, nil},
		{context.Canceled, nil},
		{context.DeadlineExceeded, nil},
	}
	for _, tc := range cases {
		t.Run(tc.err.Error(), func(t *testing.T) {
			t.Parallel()
			var err error = &OpError{Op: "SetCloudManaged", Target: "u1", Err: tc.err}
			assert.ErrorIs(t, err, tc.err)
			for _, s := range conv {
				assert.Equal(t, s == tc.want, errors.Is(err, s), "errors.Is(%v)", s)
			}
			wrapped := fmt.Errorf("change c0001: %w", err)
			var oe *OpError
			require.ErrorAs(t, wrapped, &oe)
			assert.Same(t, err, oe)
			if tc.want != nil {
				assert.ErrorIs(t, wrapped, tc.want, "through a wrapper too")
			}
		})
	}
}

func TestOpErrorRetryAfter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		wait  time.Duration
		named bool
	}{
		{"named", 3 * time.Second, true},
		{"none", 0, false},
		{"negative is none", -time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var err error = fmt.Errorf("wrapped: %w", &OpError{Op: "UpdateUser", Status: 429, Wait: tc.wait, Err: ErrThrottled})
			var ra conversion.RetryAfterError
			require.ErrorAs(t, err, &ra)
			d, ok := ra.RetryAfter()
			assert.Equal(t, tc.named, ok)
			if tc.named {
				assert.Equal(t, tc.wait, d)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name, in string
		want     time.Duration
	}{
		{"seconds", "3", 3 * time.Second},
		{"fraction kept", "1.5", 1500 * time.Millisecond},
		{"http date", now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second},
		{"past date", now.Add(-10 * time.Second).Format(http.TimeFormat), 0},
		{"empty", "", 0},
		{"garbage", "soon", 0},
		{"negative", "-4", 0},
		{"absurd", "1e12", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, parseRetryAfter(tc.in, now))
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "1", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "", "NaN", "Inf", "-1", strings.Repeat("9", 400)} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d := parseRetryAfter(s, now)
		if d < 0 || d > 24*time.Hour+time.Second && !strings.Contains(s, ",") {
			t.Fatalf("parseRetryAfter(%q) = %v", s, d)
		}
	})
}
