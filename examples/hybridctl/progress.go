package main

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progress shows what a long command is doing on one rewritten stderr line, twice a second. It
// does nothing when progress is off (stderr not a terminal, or JSON piped).
type progress struct {
	w     io.Writer
	start time.Time
	phase atomic.Value // string
	count atomic.Int64
	stop  chan struct{}
	done  sync.WaitGroup
}

// startProgress starts the reporter, or returns nil (whose methods do nothing) when off.
func startProgress(e *env, phase string) *progress {
	if !e.stderrTTY {
		return nil
	}
	p := &progress{w: e.stderr, start: time.Now(), stop: make(chan struct{})}
	p.phase.Store(phase)
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				fmt.Fprint(p.w, "\r\033[K")
				return
			case <-t.C:
				p.print()
			}
		}
	}()
	return p
}

func (p *progress) print() {
	line := fmt.Sprintf("%s… %.0fs", p.phase.Load().(string), time.Since(p.start).Seconds())
	if n := p.count.Load(); n > 0 {
		line = fmt.Sprintf("%s… %d objects, %.0fs", p.phase.Load().(string), n, time.Since(p.start).Seconds())
	}
	fmt.Fprint(p.w, "\r\033[K"+line)
}

// Phase names the step now running and resets the object count.
func (p *progress) Phase(s string) {
	if p != nil {
		p.phase.Store(s)
		p.count.Store(0)
	}
}

// Add counts n more objects done in this phase.
func (p *progress) Add(n int) {
	if p != nil {
		p.count.Add(int64(n))
	}
}

// Stop clears the progress line.
func (p *progress) Stop() {
	if p != nil {
		close(p.stop)
		p.done.Wait()
	}
}
