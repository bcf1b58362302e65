package dn

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. A [*ParseError]'s Err wraps exactly one of them.
var (
	ErrEmpty  = errors.New("empty")             // no DN, an empty RDN or an empty value
	ErrSyntax = errors.New("syntax error")      // a character where RFC 4514 allows none
	ErrEscape = errors.New("invalid escape")    // a backslash not followed by a special character or two hex digits
	ErrType   = errors.New("invalid attribute") // an attribute type that is neither a name nor a numeric OID
)

// ParseError describes a failed parse, in the model of strconv.NumError: the function, the input
// and the reason. Unwrap gives the reason, which wraps one of the sentinel errors.
type ParseError struct {
	Func  string // the function that failed, e.g. "Parse"
	Input string // the input as given
	Err   error  // the reason; wraps ErrEmpty, ErrSyntax, ErrEscape or ErrType
}

// maxQuoted bounds how much of a long input an error message repeats.
const maxQuoted = 96

func (e *ParseError) Error() string {
	in, suffix := e.Input, ""
	if len(in) > maxQuoted {
		in, suffix = in[:maxQuoted], "…"
	}
	return "dn." + e.Func + "(" + strconv.Quote(in) + suffix + "): " + e.Err.Error()
}

func (e *ParseError) Unwrap() error { return e.Err }

// reason reads as its own text and unwraps to a sentinel.
type reason struct {
	msg string
	err error
}

func (r *reason) Error() string { return r.err.Error() + ": " + r.msg }
func (r *reason) Unwrap() error { return r.err }

func perr(fn, in string, sentinel error, msg string, at int) error {
	var err error = sentinel
	if msg != "" {
		if at >= 0 {
			msg += " at offset " + strconv.Itoa(at)
		}
		err = &reason{msg: msg, err: sentinel}
	}
	// Clone so that an error never aliases the caller's memory.
	return &ParseError{Func: fn, Input: strings.Clone(in), Err: err}
}
