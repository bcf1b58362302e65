package ldif

import (
	"errors"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// errUTF16Cut reports UTF-16 input that ends after an odd number of bytes.
var errUTF16Cut = errors.New("UTF-16 input ends in the middle of a character")

// utf16Reader decodes UTF-16 (as "ldifde -u" writes it: little-endian, after a byte-order mark
// the caller has consumed) into UTF-8 as it streams. An unpaired surrogate becomes U+FFFD, as
// Windows' own conversion does.
type utf16Reader struct {
	src    io.Reader
	little bool
	in     [32 << 10]byte
	n      int    // bytes held in in
	buf    []byte // decoded bytes
	out    []byte // the part of buf not yet returned
	hi     rune   // a high surrogate waiting for its pair, or 0
	err    error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			if u.err == io.EOF && (u.n > 0 || u.hi != 0) {
				if u.n%2 == 1 {
					u.n = 0
					u.err = errUTF16Cut
					return 0, u.err
				}
				u.hi = 0
				u.buf = utf8.AppendRune(u.buf[:0], utf8.RuneError)
				u.out = u.buf
				break
			}
			return 0, u.err
		}
		m, err := u.src.Read(u.in[u.n:])
		u.n += m
		u.err = err
		u.decode()
	}
	k := copy(p, u.out)
	u.out = u.out[k:]
	return k, nil
}

// decode converts the complete code units held in u.in into u.out.
func (u *utf16Reader) decode() {
	out := u.buf[:0]
	i := 0
	for ; i+1 < u.n; i += 2 {
		var c rune
		if u.little {
			c = rune(u.in[i]) | rune(u.in[i+1])<<8
		} else {
			c = rune(u.in[i])<<8 | rune(u.in[i+1])
		}
		switch {
		case u.hi != 0:
			r := utf16.DecodeRune(u.hi, c)
			u.hi = 0
			if r == utf8.RuneError && utf16.IsSurrogate(c) && c < 0xdc00 {
				out = utf8.AppendRune(out, utf8.RuneError)
				u.hi = c
				continue
			}
			if r == utf8.RuneError {
				out = utf8.AppendRune(out, utf8.RuneError)
				if !utf16.IsSurrogate(c) {
					out = utf8.AppendRune(out, c)
				}
				continue
			}
			out = utf8.AppendRune(out, r)
		case c >= 0xd800 && c < 0xdc00:
			u.hi = c
		case c < 0x80:
			out = append(out, byte(c))
		default:
			out = utf8.AppendRune(out, c) // a lone low surrogate becomes U+FFFD
		}
	}
	u.n = copy(u.in[:], u.in[i:u.n])
	u.buf, u.out = out, out
}
