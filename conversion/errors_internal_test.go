package conversion

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// waitErr is an adapter error with a RetryAfter method.
type waitErr struct {
	kind  error
	d     time.Duration
	named bool
}

func (e waitErr) Error() string                     { return "adapter: " + fmt.Sprint(e.kind) }
func (e waitErr) Unwrap() error                     { return e.kind }
func (e waitErr) RetryAfter() (time.Duration, bool) { return e.d, e.named }

// TestRetryAfterUsesTheBool: the wait counts only when the server named one, and "the error has
// the method" alone makes nothing transient.
func TestRetryAfterUsesTheBool(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		err       error
		wait      time.Duration
		named     bool
		transient bool
	}{
		{"throttled, wait named", waitErr{ErrThrottled, 3 * time.Second, true}, 3 * time.Second, true, true},
		{"throttled, no wait named", waitErr{ErrThrottled, 0, false}, 0, false, true},
		{"wrapped throttled with wait", fmt.Errorf("change c1: %w", waitErr{ErrThrottled, time.Second, true}), time.Second, true, true},
		{"method but no wait, unknown kind", waitErr{errors.New("gateway timeout"), 0, false}, 0, false, false},
		{"a zero wait reported as named is none", waitErr{errors.New("odd"), 0, true}, 0, false, false},
		{"unavailable, wait named", waitErr{ErrUnavailable, time.Second, true}, time.Second, true, true},
		{"unknown kind with a named wait", waitErr{errors.New("503"), 2 * time.Second, true}, 2 * time.Second, true, true},
		{"plain throttled sentinel", ErrThrottled, 0, false, true},
		{"deadline", context.DeadlineExceeded, 0, false, true},
		{"plain error", errors.New("boom"), 0, false, false},
		{"conflict names no wait", waitErr{ErrConflict, 0, false}, 0, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, named := retryAfter(tc.err)
			assert.Equal(t, tc.wait, d)
			assert.Equal(t, tc.named, named)
			assert.Equal(t, tc.transient, transient(tc.err))
		})
	}
}
