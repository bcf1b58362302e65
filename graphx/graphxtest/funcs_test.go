package graphxtest_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
)

// TestFuncs: a per-operation hook refuses an operation (not made), loses the answer of a write
// that was made, passes through, or sees the fake's own error answer; graphx reads each as Graph
// would answer it.
func TestFuncs(t *testing.T) {
	t.Parallel()
	const cloudOnly = "u-cloud"
	const anchorValue = "AAAAAAAAAAAAAAAAAAAAAA=="
	for _, tc := range []struct {
		name      string
		funcs     func(seen *atomic.Int32) graphxtest.Funcs
		do        func(ctx context.Context, c *graphx.Client) error
		wantErr   error
		wantWait  time.Duration
		wantWrite bool
	}{
		{"refuse with 429 and Retry-After", func(*atomic.Int32) graphxtest.Funcs {
			return graphxtest.Funcs{UpdateUser: func(context.Context, *graphxtest.Request, graphxtest.Handler) (*graphxtest.Response, error) {
				return nil, &graphxtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second}
			}}
		}, func(ctx context.Context, c *graphx.Client) error {
			return c.SetImmutableID(ctx, cloudOnly, anchorValue)
		},
			graphx.ErrThrottled, 2 * time.Second, false},
		{"made, then the answer is lost", func(*atomic.Int32) graphxtest.Funcs {
			return graphxtest.Funcs{UpdateUser: func(ctx context.Context, req *graphxtest.Request, next graphxtest.Handler) (*graphxtest.Response, error) {
				if _, err := next(ctx, req); err != nil {
					return nil, err
				}
				return nil, &graphxtest.Fault{Drop: true}
			}}
		}, func(ctx context.Context, c *graphx.Client) error {
			return c.SetImmutableID(ctx, cloudOnly, anchorValue)
		},
			graphx.ErrOutcomeUnknown, 0, true},
		{"any other error is a 500", func(*atomic.Int32) graphxtest.Funcs {
			return graphxtest.Funcs{UpdateUser: func(context.Context, *graphxtest.Request, graphxtest.Handler) (*graphxtest.Response, error) {
				return nil, errors.New("boom")
			}}
		}, func(ctx context.Context, c *graphx.Client) error {
			return c.SetImmutableID(ctx, cloudOnly, anchorValue)
		},
			graphx.ErrOutcomeUnknown, 0, false},
		{"pass through and count", func(seen *atomic.Int32) graphxtest.Funcs {
			return graphxtest.Funcs{Any: func(ctx context.Context, req *graphxtest.Request, next graphxtest.Handler) (*graphxtest.Response, error) {
				if req.Op == graphxtest.OpUpdateUser && req.Target == cloudOnly {
					seen.Add(1)
				}
				return next(ctx, req)
			}}
		}, func(ctx context.Context, c *graphx.Client) error {
			return c.SetImmutableID(ctx, cloudOnly, anchorValue)
		},
			nil, 0, true},
		{"next reports the fake's own 404 as a Fault", func(seen *atomic.Int32) graphxtest.Funcs {
			return graphxtest.Funcs{GetUser: func(ctx context.Context, req *graphxtest.Request, next graphxtest.Handler) (*graphxtest.Response, error) {
				resp, err := next(ctx, req)
				var ft *graphxtest.Fault
				if errors.As(err, &ft) && ft.Status == http.StatusNotFound {
					seen.Add(1)
				}
				return resp, err
			}}
		}, func(ctx context.Context, c *graphx.Client) error { _, err := c.User(ctx, "no-such-user"); return err },
			graphx.ErrNotFound, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var seen atomic.Int32
			c, srv, _ := newPair(t, graphxtest.WithFuncs(tc.funcs(&seen)))
			err := tc.do(t.Context(), c)
			if tc.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, int32(1), seen.Load(), "the hook saw the operation")
			} else {
				require.ErrorIs(t, err, tc.wantErr)
				var oe *graphx.OpError
				require.ErrorAs(t, err, &oe)
				assert.Equal(t, tc.wantWait, oe.Wait)
			}
			assert.Equal(t, tc.wantWrite, len(srv.Writes()) > 0, "write made: %v", srv.Writes())
			if tc.name == "next reports the fake's own 404 as a Fault" {
				assert.Equal(t, int32(1), seen.Load())
			}
		})
	}
}

// TestFuncsWithFaults: hooks and the fault specs of hybridctl fake-tenant --faults work together:
// next includes the injected fault, and SetFuncs changes the hooks of a running server.
func TestFuncsWithFaults(t *testing.T) {
	t.Parallel()
	faults, err := graphxtest.ParseFaults("getOrganization=503x1")
	require.NoError(t, err)
	var faulted atomic.Int32
	c, srv, _ := newPair(t, graphxtest.WithFaults(faults...))
	srv.SetFuncs(graphxtest.Funcs{GetOrganization: func(ctx context.Context, req *graphxtest.Request, next graphxtest.Handler) (*graphxtest.Response, error) {
		resp, err := next(ctx, req)
		var ft *graphxtest.Fault
		if errors.As(err, &ft) && ft.Status == http.StatusServiceUnavailable {
			faulted.Add(1)
		}
		return resp, err
	}})
	_, err = c.Organization(t.Context())
	require.ErrorIs(t, err, graphx.ErrThrottled, "a read answered 503 with its retries used up")
	_, err = c.Organization(t.Context())
	require.NoError(t, err, "the fault was for one call")
	assert.Equal(t, int32(1), faulted.Load())
}
