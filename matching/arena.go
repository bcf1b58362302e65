package matching

import "unsafe"

// arena builds the report's many small strings (reasons, anchors) in large chunks instead of one
// heap allocation each: a million-object report would otherwise spend much of its time in the
// allocator and the garbage collector. A string returned by an arena points into a chunk whose
// bytes are written once and never modified afterwards (the arena only appends, and starts a new
// chunk when one is full), which is what makes unsafe.String sound here. Each worker goroutine
// owns its arena.
type arena struct {
	buf   []byte // current chunk; len grows, the underlying array is never reallocated
	start int    // where the string being built starts
}

const arenaChunk = 256 << 10

// begin starts a string that may need up to n bytes.
func (a *arena) begin(n int) {
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]byte, 0, max(arenaChunk, n))
	}
	a.start = len(a.buf)
}

// add appends s to the string being built. It must follow begin with enough room reserved.
func (a *arena) add(s string) { a.buf = append(a.buf, s...) }

// done returns the string built since begin.
func (a *arena) done() string {
	if len(a.buf) == a.start {
		return ""
	}
	return unsafe.String(&a.buf[a.start], len(a.buf)-a.start)
}

// say returns the concatenation of parts.
func (a *arena) say(parts ...string) string {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if n == 0 {
		return ""
	}
	a.begin(n)
	for _, p := range parts {
		a.buf = append(a.buf, p...)
	}
	return a.done()
}
