package ldapx

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/internal/redact"
)

// Sentinel errors. An *OpError's Err is one of these; test with errors.Is.
//
// The first five also satisfy errors.Is for the conversion port's sentinels of the same meaning
// (conversion.ErrNotFound, ErrConflict, ErrForbidden, ErrThrottled, ErrReadOnly), so an error
// from a Client or a Directory can be tested against either package's sentinel.
var (
	ErrNotFound    error = &sentinel{"not found", conversion.ErrNotFound}
	ErrConflict    error = &sentinel{"conflict: the directory changed or the object already exists", conversion.ErrConflict}
	ErrForbidden   error = &sentinel{"forbidden", conversion.ErrForbidden}
	ErrThrottled   error = &sentinel{"directory busy or over a limit", conversion.ErrThrottled}
	ErrReadOnly    error = &sentinel{"the directory will not make this write (unwillingToPerform, or a referral to a writable DC)", conversion.ErrReadOnly}
	ErrUnsupported       = errors.New("not supported by this directory's schema")
	ErrInvalid           = errors.New("invalid request")
	ErrUnavailable       = errors.New("directory unavailable")
	// ErrInsecure reports a request that would send a secret over an unencrypted connection.
	ErrInsecure = errors.New("refused over an unencrypted connection")
)

// sentinel is an error value that also matches (errors.Is) the conversion sentinel conv.
type sentinel struct {
	msg  string
	conv error
}

func (s *sentinel) Error() string { return s.msg }

// Is reports whether target is the matching conversion sentinel.
func (s *sentinel) Is(target error) bool { return target == s.conv }

// OpError is the error of one directory operation: Op names it (e.g. "ldapx.Modify"), Status is
// the LDAP result code (0 when the failure is not an LDAP result), Code its RFC 4511 name, Err a
// sentinel of this package. LDAP has no request ids, so RequestID holds the object's DN; RetryAfter
// is a hint for busy/unavailable results (the caller decides whether to wait).
type OpError struct {
	Op         string
	Status     int
	Code       string
	RequestID  string
	RetryAfter time.Duration
	Err        error
	msg        string // the server's or transport's text (never %w-wrapped)
}

func (e *OpError) Error() string {
	s := e.Op
	if e.RequestID != "" {
		s += " " + strconv.Quote(e.RequestID)
	}
	s += ": " + e.Err.Error()
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.msg != "" {
		// Control characters and credentials in server text never reach a terminal or a log;
		// the connection has already scrubbed the bind password.
		s += ": " + redact.Text(e.msg)
	}
	return s
}

func (e *OpError) Unwrap() error { return e.Err }

// opError turns a Conn error into an *OpError with a sentinel. Context errors pass through
// wrapped so errors.Is(err, context.Canceled) holds.
func opError(op, dn string, err error) error {
	if err == nil {
		return nil
	}
	var oe *OpError
	if errors.As(err, &oe) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &opErrorCtx{OpError{Op: op, RequestID: dn, Err: ErrUnavailable, msg: err.Error()}, err}
	}
	var re *ResultError
	if !errors.As(err, &re) {
		return &OpError{Op: op, RequestID: dn, Err: ErrUnavailable, msg: err.Error()}
	}
	e := &OpError{Op: op, Status: int(re.Code), Code: re.Code.String(), RequestID: dn, msg: re.Message}
	switch re.Code {
	case ResultNoSuchObject:
		e.Err = ErrNotFound
	case ResultEntryAlreadyExists, ResultAttributeOrValueExists, ResultNoSuchAttribute:
		e.Err = ErrConflict
	case ResultInsufficientAccess, ResultInvalidCredentials, ResultStrongAuthRequired:
		e.Err = ErrForbidden
	case ResultBusy, ResultUnavailable, ResultAdminLimitExceeded, ResultTimeLimitExceeded:
		e.Err = ErrThrottled
		e.RetryAfter = 5 * time.Second
	case ResultReferral, ResultUnwillingToPerform:
		e.Err = ErrReadOnly
	case ResultUndefinedAttributeType:
		e.Err = ErrUnsupported
	default:
		e.Err = ErrInvalid
	}
	return e
}

// opErrorCtx is an OpError that also unwraps to the context error.
type opErrorCtx struct {
	OpError
	ctxErr error
}

func (e *opErrorCtx) Unwrap() []error { return []error{e.Err, e.ctxErr} }
func (e *opErrorCtx) As(target any) bool {
	if t, ok := target.(**OpError); ok {
		*t = &e.OpError
		return true
	}
	return false
}
