package graphx

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
		RequestID: "r-1", RetryAfter: 2 * time.Second, Err: ErrThrottled}
	assert.Equal(t, "graphx: SetImmutableID u1: throttled (HTTP 429 TooManyRequests): slow down; retry after 2s; request-id r-1", e.Error())
	assert.True(t, errors.Is(e, ErrThrottled))
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
