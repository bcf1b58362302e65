package snapshot

import (
	"encoding/binary"
	"io"
	"io/fs"
	"math/bits"
)

// Reading a large array with encoding/json's Decoder costs most of Read's time: its scanner
// takes a function call per byte, and every element is copied out as a RawMessage. So Read
// takes turns: a json.Decoder walks the document's structure (the top-level object and its small
// members), and when it meets an array the source below takes over. Its scanner finds each
// element's end and checks, byte for byte as strictly as encoding/json, that the element is one
// valid JSON object; the element is then decoded where it lies in the buffer. The moment the
// scanner meets anything else (a syntax error, the end of the input, an element that is not an
// object, the end of the array), it stops before the comma that precedes it and a new
// json.Decoder takes over from that byte, put into the state the old one had by a small prefix
// (`{"":[` or `{"":[{}`). From there the code that read arrays before (slice) goes on, so every
// error, its JSON path and its byte offset are the ones encoding/json gives.

// source is Read's input: a buffer over r, read in turn by the element scanner (through buf and
// off) and by json.Decoder (through Read).
type source struct {
	r   io.Reader
	buf []byte // buf[off:] is not read yet
	off int
	pos int64 // input offset of buf[0]
	err error // what r returned last, once it failed or ended
	// size is the length of the whole input when it is known (a file, a bytes.Reader), else -1;
	// array uses it to guess how many elements are left.
	size int64
}

// sourceBuf is the size of the scanner's buffer; it grows for an element larger than that.
const sourceBuf = 256 << 10

func newSource(r io.Reader) *source {
	s := &source{r: r, size: -1}
	switch v := r.(type) {
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			s.size = fi.Size()
		}
	case interface{ Len() int }:
		s.size = int64(v.Len())
	}
	return s
}

// offset is the input offset of buf[off].
func (s *source) offset() int64 { return s.pos + int64(s.off) }

// Read implements io.Reader for json.Decoder.
func (s *source) Read(p []byte) (int, error) {
	if s.off == len(s.buf) {
		if s.err != nil {
			return 0, s.err
		}
		// Read straight into p: nothing is buffered.
		n, err := s.read(p)
		s.pos += int64(s.off) + int64(n)
		s.buf, s.off = s.buf[:0], 0
		if err != nil {
			s.err = err
			if n > 0 {
				err = nil
			}
		}
		return n, err
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

// read reads from r, failing with io.ErrNoProgress (as bufio does) when r returns nothing and
// no error many times in a row.
func (s *source) read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for range 100 {
		if n, err := s.r.Read(p); n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}

// unread puts b back in front of what is not read yet: the bytes a json.Decoder had read ahead
// when the scanner takes over.
func (s *source) unread(b []byte) {
	if len(b) == 0 {
		return
	}
	if s.off >= len(b) {
		s.off -= len(b)
		copy(s.buf[s.off:], b)
		return
	}
	rest := s.buf[s.off:]
	size := sourceBuf
	if s.size >= 0 {
		// A small input needs no large buffer.
		size = int(min(int64(size), max(s.size-s.offset()+1, 4096)))
	}
	nb := make([]byte, 0, max(size, len(b)+len(rest)))
	nb = append(append(nb, b...), rest...)
	s.pos = s.offset() - int64(len(b))
	s.buf, s.off = nb, 0
}

// fill reads more input after buf[off:], moving it to the front of buf (or to a larger buffer
// when it fills buf); it reports false when the input has ended or failed without giving more.
func (s *source) fill() bool {
	if s.err != nil {
		return false
	}
	if s.off > 0 {
		n := copy(s.buf, s.buf[s.off:])
		s.pos += int64(s.off)
		s.buf, s.off = s.buf[:n], 0
	}
	if len(s.buf) == cap(s.buf) {
		nb := make([]byte, len(s.buf), max(4096, 2*cap(s.buf)))
		copy(nb, s.buf)
		s.buf = nb
	}
	// Fill the buffer (not just one Read's worth), so that an element cut by the end of the
	// buffer is scanned again from its start once per buffer, not once per Read.
	had := len(s.buf)
	for len(s.buf) < cap(s.buf) {
		n, err := s.read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err != nil {
			s.err = err
			break
		}
	}
	return len(s.buf) > had
}

// scan results.
const (
	scanOK    = iota
	scanShort // the input ends before the value does (in the buffer, or for good)
	scanBad   // not valid JSON, or deeper than the scanner goes
)

// maxDepth is how deep the scanner follows nested objects and arrays; deeper input is left to
// encoding/json.
const maxDepth = 1000

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpaceAt(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// scanValue checks the JSON value starting at b[i] (not white space) and returns the index after
// it. It accepts exactly what encoding/json's scanner accepts, up to maxDepth.
func scanValue(b []byte, i int) (int, int) {
	var stack [64]byte
	open := stack[:0] // the containers the value is in: '{' or '['
	for {
		// A value.
		if i >= len(b) {
			return i, scanShort
		}
		switch c := b[i]; c {
		case '{', '[':
			i = skipSpaceAt(b, i+1)
			if i >= len(b) {
				return i, scanShort
			}
			if (c == '{' && b[i] == '}') || (c == '[' && b[i] == ']') {
				i++
				break
			}
			if len(open) == maxDepth {
				return i, scanBad
			}
			open = append(open, c)
			if c == '{' {
				var st int
				if i, st = scanKey(b, i); st != scanOK {
					return i, st
				}
			}
			continue
		case '"':
			var st int
			if i, st = scanString(b, i); st != scanOK {
				return i, st
			}
		case 't':
			if _, st := scanWord(b, i, "true"); st != scanOK {
				return i, st
			}
			i += 4
		case 'f':
			if _, st := scanWord(b, i, "false"); st != scanOK {
				return i, st
			}
			i += 5
		case 'n':
			if _, st := scanWord(b, i, "null"); st != scanOK {
				return i, st
			}
			i += 4
		default:
			var st int
			if i, st = scanNumber(b, i); st != scanOK {
				return i, st
			}
		}
		// After a value: close containers, or move to the next member or element.
		for {
			if len(open) == 0 {
				return i, scanOK
			}
			i = skipSpaceAt(b, i)
			if i >= len(b) {
				return i, scanShort
			}
			top := open[len(open)-1]
			c := b[i]
			if c == ',' {
				i = skipSpaceAt(b, i+1)
				if top == '{' {
					var st int
					if i, st = scanKey(b, i); st != scanOK {
						return i, st
					}
				}
				break
			}
			if (top == '{' && c == '}') || (top == '[' && c == ']') {
				open = open[:len(open)-1]
				i++
				continue
			}
			return i, scanBad
		}
		i = skipSpaceAt(b, i)
	}
}

// scanKey checks `"name" :` at b[i] and returns the index of the value after it (white space
// skipped).
func scanKey(b []byte, i int) (int, int) {
	if i >= len(b) {
		return i, scanShort
	}
	if b[i] != '"' {
		return i, scanBad
	}
	i, st := scanString(b, i)
	if st != scanOK {
		return i, st
	}
	i = skipSpaceAt(b, i)
	if i >= len(b) {
		return i, scanShort
	}
	if b[i] != ':' {
		return i, scanBad
	}
	return skipSpaceAt(b, i+1), scanOK
}

// scanString checks the JSON string at b[i] == '"' and returns the index after it. Like
// encoding/json's scanner it refuses control characters and unknown escapes, and leaves UTF-8
// alone.
func scanString(b []byte, i int) (int, int) {
	i++
	for {
		i = stringStop(b, i)
		if i >= len(b) {
			return i, scanShort
		}
		switch c := b[i]; {
		case c == '"':
			return i + 1, scanOK
		case c < 0x20:
			return i, scanBad
		}
		// A backslash.
		if i+1 >= len(b) {
			return i, scanShort
		}
		switch b[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if i+6 > len(b) {
				return i, scanShort
			}
			for _, h := range b[i+2 : i+6] {
				if !isHex(h) {
					return i, scanBad
				}
			}
			i += 6
		default:
			return i, scanBad
		}
	}
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// stringStop returns the index of the first byte of b from i on that a JSON string's plain run
// stops at: '"', '\\' or a control character; len(b) when there is none. It looks at eight
// bytes at a time: for each test, (x - ones*k) &^ x & highs flags the bytes below k (the bytes
// equal to 0 for k = 1 after an exclusive or), and the lowest flag of each test is exact (a
// borrow only flags a byte above a true one).
func stringStop(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ (ones * '"')
		e := x ^ (ones * '\\')
		t := ((q - ones) &^ q) | ((e - ones) &^ e) | ((x - ones*0x20) &^ x)
		if t &= highs; t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// scanWord checks that b[i:] starts with w.
func scanWord(b []byte, i int, w string) (int, int) {
	for k := range len(w) {
		if i+k >= len(b) {
			return i, scanShort
		}
		if b[i+k] != w[k] {
			return i, scanBad
		}
	}
	return i, scanOK
}

// scanNumber checks the JSON number at b[i] and returns the index after it. A number that runs
// to the end of b is short: more digits may follow.
func scanNumber(b []byte, i int) (int, int) {
	digits := func(i int) (int, int) {
		start := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == len(b) {
			return i, scanShort
		}
		if i == start {
			return i, scanBad
		}
		return i, scanOK
	}
	if b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return i, scanShort
	}
	var st int
	switch {
	case b[i] == '0':
		i++
		if i == len(b) {
			return i, scanShort
		}
	case '1' <= b[i] && b[i] <= '9':
		if i, st = digits(i); st != scanOK {
			return i, st
		}
	default:
		return i, scanBad
	}
	if b[i] == '.' {
		if i, st = digits(i + 1); st != scanOK {
			return i, st
		}
	}
	if b[i] == 'e' || b[i] == 'E' {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i, st = digits(i); st != scanOK {
			return i, st
		}
	}
	return i, scanOK
}

// element returns the next element of the array being read, which must be a valid JSON object,
// and moves past it; first says whether it is the array's first (not preceded by a comma). It
// reports false, moving nowhere, for anything else: the end of the array, a syntax error, the
// end of the input, an element that is not an object. The element's bytes stay valid until the
// next call.
func (s *source) element(first bool) ([]byte, bool) {
	for {
		w := s.buf[s.off:]
		j := skipSpaceAt(w, 0)
		if !first && j < len(w) {
			if w[j] != ',' {
				return nil, false
			}
			j = skipSpaceAt(w, j+1)
		}
		if j < len(w) {
			if w[j] != '{' {
				return nil, false
			}
			end, st := scanValue(w, j)
			switch st {
			case scanOK:
				s.off += end
				return w[j:end], true
			case scanBad:
				return nil, false
			}
		}
		if !s.fill() {
			return nil, false
		}
	}
}
