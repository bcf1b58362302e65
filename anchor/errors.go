package anchor

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors returned (wrapped) by the parsers. Test for them with errors.Is.
var (
	// ErrSyntax reports a character or structure that the form does not allow.
	ErrSyntax = errors.New("invalid syntax")
	// ErrLength reports an input whose length is wrong for the form.
	ErrLength = errors.New("invalid length")
	// ErrAmbiguous reports an input that more than one form accepts with different meanings
	// (32 hex digits: wire-order hex, or a GUID written without dashes).
	ErrAmbiguous = errors.New("ambiguous form")
	// ErrGUIDText reports a Base64 value that decodes to the text of a GUID rather than to its
	// 16 bytes: the classic PowerShell mistake of encoding the string.
	ErrGUIDText = errors.New("base64 of the GUID text, not of its bytes")
	// ErrByteOrder reports an ImmutableID that is Base64 of the RFC 4122 (big-endian) byte order of
	// the expected GUID instead of its AD wire order.
	ErrByteOrder = errors.New("base64 of the RFC 4122 byte order, not of the AD wire order")
	// ErrMismatch reports an ImmutableID that does not belong to the expected GUID at all.
	ErrMismatch = errors.New("anchor mismatch")
	// ErrEmpty reports an empty input where a value is required.
	ErrEmpty = errors.New("empty input")
	// ErrCloudAnchor reports the connector-space DN of a cloud-sourced object where a GUID
	// anchor was expected: it names a cloud object, not an AD one. ParseCloudConnectorDN reads it.
	ErrCloudAnchor = errors.New("the connector-space DN of a cloud-sourced object")
)

// ParseError describes a failed parse, in the model of strconv.NumError: the function, the input
// and the reason. Unwrap gives the reason, which wraps one of the sentinel errors.
type ParseError struct {
	Func  string // the function that failed, e.g. "ParseGUID"
	Input string // the input as given
	Err   error  // the reason; wraps ErrSyntax, ErrLength, ErrAmbiguous, ErrGUIDText, ErrCloudAnchor or ErrEmpty
}

// maxQuoted bounds how much of a long input an error message repeats.
const maxQuoted = 64

func (e *ParseError) Error() string {
	in := e.Input
	suffix := ""
	if len(in) > maxQuoted {
		in, suffix = in[:maxQuoted], "…"
	}
	return "anchor." + e.Func + "(" + strconv.Quote(in) + suffix + "): " + e.Err.Error()
}

func (e *ParseError) Unwrap() error { return e.Err }

// reason is an error that reads as its own text and unwraps to a sentinel. It avoids fmt so that
// the package stays small and the error path cheap.
type reason struct {
	msg string
	err error
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.err }

func perr(fn, in string, sentinel error, msg string) error {
	var err error = sentinel
	if msg != "" {
		err = &reason{msg: msg, err: sentinel}
	}
	// Clone so that an error never aliases the caller's memory: callers may parse from a reused
	// buffer, and the input does not escape on the success path.
	return &ParseError{Func: fn, Input: strings.Clone(in), Err: err}
}

func lengthErr(fn, in string, want string) error {
	return perr(fn, in, ErrLength, "invalid length "+strconv.Itoa(len(in))+" (want "+want+")")
}
