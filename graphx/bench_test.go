package graphx_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

// timed measures the time the fake spends serving.
type timed struct {
	h  http.Handler
	ns atomic.Int64
}

func (t *timed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t.h.ServeHTTP(w, r)
	t.ns.Add(int64(time.Since(start)))
}

// measured is an in-process transport to the fake that measures the fake's share of time and
// allocations. Paging is sequential, so the fake runs while the client waits.
type measured struct {
	fake        http.RoundTripper
	ns, mallocs int64
	bytes       uint64
}

func (m *measured) RoundTrip(r *http.Request) (*http.Response, error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	res, err := m.fake.RoundTrip(r)
	m.ns += int64(time.Since(start))
	runtime.ReadMemStats(&after)
	m.mallocs += int64(after.Mallocs - before.Mallocs)
	m.bytes += after.TotalAlloc - before.TotalAlloc
	return res, err
}

// richUsers are synced users with every property graphx selects set.
func richUsers(n int) *snapshot.Snapshot {
	s := &snapshot.Snapshot{Organization: snapshot.Organization{ID: "t"}}
	on := true
	last := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	for i := range n {
		upn := fmt.Sprintf("user%06d@contoso.example", i)
		g := fmt.Sprintf("%032x", i)
		s.Users = append(s.Users, snapshot.User{ID: fmt.Sprintf("%s-%s-%s-%s-%s", g[:8], g[8:12], g[12:16], g[16:20], g[20:]),
			UserPrincipalName: upn, DisplayName: fmt.Sprintf("User %d", i), GivenName: "User", Surname: strconv.Itoa(i),
			Mail: upn, MailNickname: fmt.Sprintf("user%06d", i),
			ProxyAddresses:        []string{"SMTP:" + upn, "smtp:" + fmt.Sprintf("u%06d@contoso.onmicrosoft.com", i)},
			OnPremisesImmutableID: "IkTni9mw7Ee4YefeGpz7IA==", OnPremisesSyncEnabled: &on,
			OnPremisesDistinguishedName: fmt.Sprintf("CN=User %d,OU=Synced,DC=corp,DC=example,DC=test", i),
			OnPremisesSamAccountName:    fmt.Sprintf("user%06d", i), OnPremisesUserPrincipalName: upn,
			OnPremisesSecurityIdentifier: fmt.Sprintf("S-1-5-21-1004336348-1177238915-682003330-%d", 1000+i),
			OnPremisesLastSyncDateTime:   &last, AccountEnabled: &on, UserType: "Member"})
	}
	return s
}

// BenchmarkSnapshotUsers100k reads 100,000 synced users (every selected property set) from the
// fake with pages of 999.
//   - in-process: no sockets; the fake's time and allocations are measured around each page and
//     subtracted, giving the client's own client-ns/user, client-allocs/user, client-B/user.
//   - loopback: over a real httptest socket; fake-ns/user is the time inside the fake's handler,
//     client-ns/user the rest of the wall time (client, HTTP and kernel).
func BenchmarkSnapshotUsers100k(b *testing.B) {
	const n = 100_000
	fake, err := graphxtest.New(graphxtest.WithSeed(richUsers(n)))
	if err != nil {
		b.Fatal(err)
	}
	readAll := func(b *testing.B, c *graphx.Client) {
		got := 0
		for _, err := range c.Users(b.Context()) {
			if err != nil {
				b.Fatal(err)
			}
			got++
		}
		if got != n {
			b.Fatalf("got %d users", got)
		}
	}
	b.Run("in-process", func(b *testing.B) {
		m := &measured{fake: fake.Transport()}
		c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL("http://localhost/v1.0"),
			graphx.WithHTTPClient(&http.Client{Transport: m}))
		if err != nil {
			b.Fatal(err)
		}
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		var total time.Duration
		for b.Loop() {
			start := time.Now()
			readAll(b, c)
			total += time.Since(start)
		}
		runtime.ReadMemStats(&ms1)
		users := float64(b.N * n)
		b.ReportMetric(float64(m.ns)/users, "fake-ns/user")
		b.ReportMetric((float64(total)-float64(m.ns))/users, "client-ns/user")
		b.ReportMetric((float64(ms1.Mallocs-ms0.Mallocs)-float64(m.mallocs))/users, "client-allocs/user")
		b.ReportMetric((float64(ms1.TotalAlloc-ms0.TotalAlloc)-float64(m.bytes))/users, "client-B/user")
	})
	b.Run("loopback", func(b *testing.B) {
		th := &timed{h: fake}
		srv := httptest.NewServer(th)
		defer srv.Close()
		c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL+"/v1.0"))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		var total time.Duration
		for b.Loop() {
			start := time.Now()
			readAll(b, c)
			total += time.Since(start)
		}
		users := float64(b.N * n)
		fakeNS := float64(th.ns.Load())
		b.ReportMetric(fakeNS/users, "fake-ns/user")
		b.ReportMetric((float64(total)-fakeNS)/users, "client-ns/user")
	})
}

// BenchmarkBulkPatch10k sends 10,000 single-user PATCHes through graphx to a fake whose write
// budget is 200/s. It runs about 50 s, so it is skipped unless GRAPHX_BULK=1 (see
// the package doc). Metrics: budget-% achieved, lost, duplicated, 429s. With
// GRAPHX_BULK_CLIENT_RATE=N the client paces at N/s instead (above 200 provokes 429s, each of
// which is retried after its Retry-After).
func BenchmarkBulkPatch10k(b *testing.B) {
	if os.Getenv("GRAPHX_BULK") != "1" {
		b.Skip("set GRAPHX_BULK=1 to run (about 50 s)")
	}
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("GRAPHX_BULK_N")); err == nil && v > 0 {
		n = v
	}
	const rate = 200
	clientRate := rate // GRAPHX_BULK_CLIENT_RATE above 200 provokes 429s on purpose
	if v, err := strconv.Atoi(os.Getenv("GRAPHX_BULK_CLIENT_RATE")); err == nil && v > 0 {
		clientRate = v
	}
	for b.Loop() {
		fake, err := graphxtest.New(graphxtest.WithSeed(seedUsers(n)), graphxtest.WithWriteRate(rate, time.Second))
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(fake)
		c, err := graphx.New(graphx.StaticToken("t"), graphx.WithBaseURL(srv.URL+"/v1.0"),
			graphx.WithWriteBudget(clientRate, time.Second), graphx.WithMaxRetries(20))
		if err != nil {
			b.Fatal(err)
		}
		jobs := make(chan int)
		var wg sync.WaitGroup
		var failed atomic.Int64
		start := time.Now()
		for range 8 {
			wg.Go(func() {
				for i := range jobs {
					if err := c.Apply(b.Context(), graphx.ImmutableIDWrite(fmt.Sprintf("u-%05d", i), fmt.Sprintf("A%07d", i))); err != nil {
						failed.Add(1)
					}
				}
			})
		}
		for i := range n {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		elapsed := time.Since(start)
		srv.Close()
		count := map[string]int{}
		for _, w := range fake.Writes() {
			count[w.Target]++
		}
		dup := 0
		for _, k := range count {
			dup += k - 1
		}
		// The bucket starts full (burst = rate): the budget over elapsed is rate*elapsed + burst.
		budget := rate*elapsed.Seconds() + rate
		b.ReportMetric(100*float64(len(fake.Writes()))/budget, "budget-%")
		b.ReportMetric(float64(n-len(count))+float64(failed.Load()), "lost")
		b.ReportMetric(float64(dup), "duplicated")
		b.ReportMetric(float64(fake.Throttled()), "429s")
		b.ReportMetric(elapsed.Seconds(), "wall-s")
	}
}
