package graphx_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

// recorder wraps the in-process transport and checks that no request for a target arrives
// before the Retry-After of a 429 answered for that target.
type recorder struct {
	next       http.RoundTripper
	mu         sync.Mutex
	notBefore  map[string]time.Time
	violations []string
	throttled  int
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	key := req.Method + " " + req.URL.Path
	now := time.Now()
	r.mu.Lock()
	if nb, ok := r.notBefore[key]; ok && now.Before(nb) {
		r.violations = append(r.violations, fmt.Sprintf("%s sent %s before Retry-After ended", key, nb.Sub(now)))
	}
	r.mu.Unlock()
	res, err := r.next.RoundTrip(req)
	if err == nil && res.StatusCode == http.StatusTooManyRequests {
		var secs int
		fmt.Sscan(res.Header.Get("Retry-After"), &secs)
		r.mu.Lock()
		r.throttled++
		r.notBefore[key] = now.Add(time.Duration(secs) * time.Second)
		r.mu.Unlock()
	}
	return res, err
}

func seedUsers(n int) *snapshot.Snapshot {
	s := &snapshot.Snapshot{Organization: snapshot.Organization{ID: "t"}}
	for i := range n {
		s.Users = append(s.Users, snapshot.User{ID: fmt.Sprintf("u-%05d", i), UserPrincipalName: fmt.Sprintf("user%d@contoso.example", i)})
	}
	return s
}

// TestBulkWritesUnderThrottling: many writers, a client budget above the fake's write rate:
// every write lands exactly once, every 429 is honoured, nothing sleeps for real.
func TestBulkWritesUnderThrottling(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		users   int
		workers int
		batch   bool
		faults  []graphxtest.InterceptFunc
		unknown int // writes answered 503: ErrOutcomeUnknown, not resent, not applied
	}{
		{name: "single PATCHes", users: 300, workers: 8},
		{name: "batches", users: 300, workers: 3, batch: true},
		{name: "batches with throttled items", users: 120, workers: 2, batch: true,
			faults: []graphxtest.InterceptFunc{graphxtest.FailTimes(graphxtest.OpBatch, 3, graphxtest.Fault{PartialBatch: true, Status: 429})}},
		{name: "batches with 503 items", users: 120, workers: 2, batch: true, unknown: 30,
			faults: []graphxtest.InterceptFunc{graphxtest.FailTimes(graphxtest.OpBatch, 3, graphxtest.Fault{PartialBatch: true})}},
		{name: "single PATCHes with 503s", users: 60, workers: 4, unknown: 10,
			faults: []graphxtest.InterceptFunc{graphxtest.FailTimes(graphxtest.OpUpdateUser, 10, graphxtest.Fault{Status: 503})}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				fake, err := graphxtest.New(graphxtest.WithSeed(seedUsers(tc.users)),
					graphxtest.WithWriteRate(20, time.Second), graphxtest.WithFaults(tc.faults...))
				require.NoError(t, err)
				rec := &recorder{next: fake.Transport(), notBefore: map[string]time.Time{}}
				c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL("http://localhost/v1.0"),
					graphx.WithHTTPClient(&http.Client{Transport: rec}), graphx.WithWriteBudget(40, time.Second),
					graphx.WithMaxRetries(20))
				require.NoError(t, err)

				start := time.Now()
				jobs := make(chan int)
				var wg sync.WaitGroup
				var mu sync.Mutex
				var failed []error
				for range tc.workers {
					wg.Go(func() {
						var pending []graphx.Write
						flush := func() {
							errs, err := c.Batch(t.Context(), pending)
							mu.Lock()
							defer mu.Unlock()
							if err != nil {
								failed = append(failed, err)
							}
							for _, e := range errs {
								if e != nil {
									failed = append(failed, e)
								}
							}
							pending = pending[:0]
						}
						for i := range jobs {
							w := graphx.ImmutableIDWrite(fmt.Sprintf("u-%05d", i), fmt.Sprintf("A%07d", i))
							if !tc.batch {
								if err := c.Apply(t.Context(), w); err != nil {
									mu.Lock()
									failed = append(failed, err)
									mu.Unlock()
								}
								continue
							}
							pending = append(pending, w)
							if len(pending) == graphx.MaxBatch {
								flush()
							}
						}
						if len(pending) > 0 {
							flush()
						}
					})
				}
				for i := range tc.users {
					jobs <- i
				}
				close(jobs)
				wg.Wait()
				elapsed := time.Since(start)

				require.Len(t, failed, tc.unknown)
				for _, err := range failed {
					assert.ErrorIs(t, err, graphx.ErrOutcomeUnknown, "a write answered 503 is not resent")
				}
				count := map[string]int{}
				for _, w := range fake.Writes() {
					count[w.Target]++
				}
				assert.Len(t, count, tc.users-tc.unknown, "no write lost but those answered 503")
				for id, n := range count {
					assert.Equal(t, 1, n, "write to %s applied %d times", id, n)
				}
				for i := range tc.users {
					u, ok := fake.User(fmt.Sprintf("u-%05d", i))
					require.True(t, ok)
					if count[u.ID] == 1 {
						assert.Equal(t, fmt.Sprintf("A%07d", i), u.OnPremisesImmutableID)
					}
				}
				assert.Empty(t, rec.violations, "Retry-After honoured")
				if tc.unknown == 0 {
					assert.Positive(t, fake.Throttled(), "the scenario must provoke 429s")
				}
				// 20 writes/s with a burst of 20: the floor is (n-20)/20 s.
				floor := time.Duration(tc.users-tc.unknown-20) * time.Second / 20
				assert.GreaterOrEqual(t, elapsed, floor)
			})
		})
	}
}
