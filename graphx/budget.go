package graphx

import (
	"context"
	"sync"
	"time"
)

// Budget is a client-side token bucket for writes: n writes per period, with a burst of a tenth
// of n. It keeps bulk work under Graph's write limit (docs/entra-rules.md §6.5) so that throttling is the
// exception: because its burst is smaller than the server's bucket (which holds the whole n),
// the server keeps nine tenths of its bucket as slack for network jitter, while the client
// still runs at the full rate. It reads time through the time package, so tests drive it with
// testing/synctest.
type Budget struct {
	mu          sync.Mutex
	rate        float64 // tokens per second
	burst       float64
	tokens      float64
	last        time.Time
	pausedUntil time.Time
}

// NewBudget returns a full bucket allowing n writes per period (n and per positive).
func NewBudget(n int, per time.Duration) *Budget {
	burst := max(1, float64(n/10))
	return &Budget{rate: float64(n) / per.Seconds(), burst: burst, tokens: burst, last: time.Now()}
}

// Wait blocks until n writes may be sent or ctx is done.
func (b *Budget) Wait(ctx context.Context, n int) error {
	for {
		d := b.reserve(float64(n))
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// reserve takes n tokens and returns 0, or returns how long to wait before trying again.
func (b *Budget) reserve(n float64) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if now.Before(b.pausedUntil) {
		return b.pausedUntil.Sub(now)
	}
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if n > b.burst {
		n = b.burst // a request larger than the bucket waits for a full bucket
	}
	if b.tokens >= n {
		b.tokens -= n
		return 0
	}
	return time.Duration((n - b.tokens) / b.rate * float64(time.Second))
}

// Pause stops all writers for d (Graph answered 429 with Retry-After d) and empties the bucket.
func (b *Budget) Pause(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	until := time.Now().Add(d)
	if until.After(b.pausedUntil) {
		b.pausedUntil = until
	}
	b.tokens = 0
	b.last = until
}
