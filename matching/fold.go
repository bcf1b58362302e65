package matching

import (
	"unicode"
	"unicode/utf8"
)

// Case-insensitive keys. The indexes hash each identifier (userPrincipalName, SMTP address,
// domain name) under the folding of EqualFold, so that EqualFold(a, b) implies
// foldHash(a) == foldHash(b); lookups then confirm with EqualFold, so a hash collision can never
// make two different values equal. An ASCII byte hashes as its lower case; a non-ASCII rune as
// its simple upper-case mapping, marked so that it never hashes like an ASCII byte (EqualFold
// never folds one onto the other: the Kelvin sign is not k); a byte that is not UTF-8 as itself,
// marked again.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// foldHash returns a hash of s under EqualFold's folding. The leading ASCII part is read 8
// bytes at a time, its upper-case letters lowered all at once, then byte by byte; the first
// non-ASCII byte is at the same place in every EqualFold-equal string (EqualFold never folds an
// ASCII byte onto a non-ASCII rune), and from there on runes hash one at a time.
func foldHash(s string) uint64 {
	h := uint64(fnvOffset)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := word(s, i)
		if w&0x8080808080808080 != 0 {
			break
		}
		// A byte of w is an upper-case letter when it is at least 'A' and not above 'Z'; adding
		// 0x80-'A' (or 0x80-'Z'-1) sets its high bit when it is (or is above); no byte carries.
		up := (w + 0x3f3f3f3f3f3f3f3f) &^ (w + 0x2525252525252525) & 0x8080808080808080
		h = (h ^ (w | up>>2)) * fnvPrime
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return mix(foldHashSlow(h, s[i:]))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * fnvPrime
	}
	return mix(h)
}

// word returns the 8 bytes of s at i, little-endian.
func word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// mix spreads every bit of h over all 64 (the indexes use the low 32).
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

func foldHashSlow(h uint64, s string) uint64 {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			h = (h ^ uint64(foldASCII(c))) * fnvPrime
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 {
			h = (h ^ uint64(c) ^ 0x200) * fnvPrime
			continue
		}
		r = unicode.ToUpper(r)
		h = (h ^ uint64(r&0xff) ^ 0x100) * fnvPrime
		h = (h ^ uint64(r>>8)) * fnvPrime
	}
	return h
}

// exactHash is FNV-1a of the bytes of s (anchors compare byte for byte).
func exactHash(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// postings is a hash multimap from a key hash to object indexes: an open-addressing table with
// linear probing of 8-byte slots (one cache line per lookup, against two or more for a Go map of
// this size) whose slots head a chain of postings. Each key's chain lists the objects in reverse
// order of addition; builders add in reverse input order so that chains come out in input order.
// Values are confirmed by the caller: a slot is found by 32 bits of the hash and the table index,
// so different keys can share a chain.
type postings struct {
	slots []slot
	n     int // keys in use
	next  []int32
	obj   []int32
	sink  int32 // keeps the loads of batch.flush from being optimized away
}

type slot struct {
	fp   uint32 // low 32 bits of the hash
	head int32  // first posting + 1; 0: empty
}

// newPostings returns an index sized for n additions: 3/2 slots per key at most, any number
// of them (not a power of two), so that a table is no larger than it needs to be.
func newPostings(n int) *postings {
	return &postings{slots: make([]slot, 16+n+n/2), next: make([]int32, 0, n), obj: make([]int32, 0, n)}
}

// home returns the slot a lookup of the fingerprint fp starts at: its mixed 32 bits scaled to
// the table's size. It depends on fp only, so grow can re-place slots.
func (p *postings) home(fp uint32) int {
	return int((uint64(uint32((uint64(fp)*0x9e3779b97f4a7c15)>>32)) * uint64(len(p.slots))) >> 32)
}

// find returns the slot holding h, or the empty slot where it belongs.
func (p *postings) find(h uint64) *slot {
	fp := uint32(h)
	i := p.home(fp)
	for {
		s := &p.slots[i]
		if s.head == 0 || s.fp == fp {
			return s
		}
		if i++; i == len(p.slots) {
			i = 0
		}
	}
}

func (p *postings) add(h uint64, obj int) {
	if 3*(p.n+1) > 2*len(p.slots) { // load factor at most 2/3
		p.grow()
	}
	s := p.find(h)
	if s.head == 0 {
		s.fp = uint32(h)
		p.n++
	}
	q := int32(len(p.obj))
	p.obj = append(p.obj, int32(obj))
	p.next = append(p.next, s.head-1)
	s.head = q + 1
}

// grow doubles the table.
func (p *postings) grow() {
	old := p.slots
	p.slots = make([]slot, 2*len(old))
	for _, s := range old {
		if s.head != 0 {
			*p.find(uint64(s.fp)) = s
		}
	}
}

// shared reports whether slot k heads a chain of more than one posting.
func (p *postings) shared(k int) bool {
	h := p.slots[k].head
	return h != 0 && p.next[h-1] >= 0
}

// first returns the first posting for h, or -1.
func (p *postings) first(h uint64) int32 {
	return p.find(h).head - 1
}

// touch reads the slot a lookup of h starts at and returns its head. It does nothing else:
// reading the slots of several keys one after another lets the processor wait for them
// together (see batch, engine.warm), where a lookup each would wait for each in turn.
func (p *postings) touch(h uint64) int32 {
	return p.slots[p.home(uint32(h))].head
}

// batch adds postings to p in groups: it reads the slots of a group first, then adds them in
// the order they came, so that the postings are exactly those of adding them one by one.
type batch struct {
	p    *postings
	n    int
	h    [16]uint64
	obj  [16]int32
	sink int32
}

func (b *batch) add(h uint64, obj int) {
	b.h[b.n], b.obj[b.n] = h, int32(obj)
	b.n++
	if b.n == len(b.h) {
		b.flush()
	}
}

// flush adds what is pending; it must be called once the last posting has been given.
func (b *batch) flush() {
	for k := range b.n {
		b.sink += b.p.touch(b.h[k])
	}
	for k := range b.n {
		b.p.add(b.h[k], int(b.obj[k]))
	}
	b.n = 0
	b.p.sink += b.sink
}
