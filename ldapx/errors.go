package ldapx

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/internal/redact"
)

// Sentinel errors. Every failure of a Client or Directory method is an *OpError whose Err is one
// of these; test with errors.Is (or errors.As for the *OpError).
var (
	// ErrNotFound: the entry does not exist (noSuchObject), or is not of the kind asked for.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the write's precondition did not hold (noSuchAttribute or
	// attributeOrValueExists on a delete-old/add-new modify, constraintViolation on a
	// single-valued attribute that another writer set, an object moved elsewhere), or the
	// object already exists (entryAlreadyExists). The write did not happen.
	ErrConflict = errors.New("conflict: the directory changed or the object already exists")
	// ErrForbidden: insufficientAccessRights, invalidCredentials or strongerAuthRequired.
	ErrForbidden = errors.New("forbidden")
	// ErrThrottled: busy or unavailable: the server refused the operation for now and did not
	// carry it out; try later.
	ErrThrottled = errors.New("directory busy or unavailable")
	// ErrReadOnly: unwillingToPerform, or a referral to a writable DC.
	ErrReadOnly = errors.New("the directory will not make this write (unwillingToPerform, or a referral to a writable DC)")
	// ErrUnsupported: undefinedAttributeType, or a rootDSE without the naming context asked for.
	ErrUnsupported = errors.New("not supported by this directory's schema")
	// ErrInvalid: the request or the answer is malformed (every other LDAP result code,
	// including adminLimitExceeded and timeLimitExceeded, which a retry of the same request
	// would meet again).
	ErrInvalid = errors.New("invalid request")
	// ErrUnavailable: no LDAP answer (a dropped connection, a timeout, a cancelled ctx, a
	// search that ended early): a write may or may not have happened.
	ErrUnavailable = errors.New("directory unavailable")
	// ErrInsecure reports a request that would send a secret over an unencrypted connection.
	ErrInsecure = errors.New("refused over an unencrypted connection")
)

// conversionSentinel is the conversion port's sentinel of the same meaning as this package's
// sentinel err, or nil.
func conversionSentinel(err error) error {
	switch err {
	case ErrNotFound:
		return conversion.ErrNotFound
	case ErrConflict:
		return conversion.ErrConflict
	case ErrForbidden:
		return conversion.ErrForbidden
	case ErrThrottled:
		return conversion.ErrThrottled
	case ErrReadOnly:
		return conversion.ErrReadOnly
	case ErrUnavailable:
		return conversion.ErrUnavailable
	}
	return nil
}

// OpError is the error of one directory operation, the only error type of this package.
//
//   - Op names the operation, e.g. "ldapx.SetConsistencyGUID".
//   - DN is the entry (or search base) the operation addressed, as the caller named it (an
//     extended DN "<GUID=…>" for Directory methods) or as the directory answered; "" when none.
//   - Code is the LDAP result code of the server's answer; ResultSuccess (0) when the failure
//     is not an LDAP result (a transport failure, or a check made by this package).
//   - Message is the server's diagnostic message, the transport's (go-ldap's) error text or this
//     package's explanation, passed through internal/redact: credentials masked, control
//     characters escaped. The go-ldap error itself is not wrapped.
//   - Err is one of this package's sentinels.
//
// errors.Is matches Err, and also the conversion port's sentinel of the same meaning
// (conversion.ErrNotFound, ErrConflict, ErrForbidden, ErrThrottled, ErrReadOnly, ErrUnavailable),
// so the same error serves a caller of the Client and the conversion apply loop. When the
// operation ended because ctx did, errors.Is(err, context.Canceled) (or DeadlineExceeded) holds
// too.
type OpError struct {
	Op      string
	DN      string
	Code    ResultCode
	Message string
	Err     error

	ctxErr error // the context's error, when the operation ended with ctx
}

func (e *OpError) Error() string {
	s := e.Op
	if e.DN != "" {
		s += " " + strconv.Quote(e.DN)
	}
	s += ": "
	if e.Err != nil {
		s += e.Err.Error()
	}
	if e.Code != ResultSuccess {
		s += " (" + e.Code.String() + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Unwrap returns the sentinel and, when the operation ended with ctx, the context's error.
func (e *OpError) Unwrap() []error {
	if e.ctxErr != nil {
		return []error{e.Err, e.ctxErr}
	}
	return []error{e.Err}
}

// Is reports whether target is the conversion sentinel of the same meaning as Err.
func (e *OpError) Is(target error) bool {
	c := conversionSentinel(e.Err)
	return c != nil && c == target
}

// RetryAfter reports the wait the server asked for before the operation is tried again. LDAP
// results carry no such wait (busy and unavailable name none), so it always reports false: the
// caller chooses its own backoff for an ErrThrottled. It is here so that an *OpError satisfies
// the same small interface as the Graph adapter's errors.
func (e *OpError) RetryAfter() (time.Duration, bool) { return 0, false }

// newOpError returns an *OpError with message scrubbed.
func newOpError(op, dn string, sentinel error, message string) *OpError {
	return &OpError{Op: op, DN: dn, Err: sentinel, Message: redact.Text(message)}
}

// opError turns a Conn error into an *OpError with a sentinel (an *OpError passes unchanged).
// A context error gives ErrUnavailable and stays reachable with errors.Is.
func opError(op, dn string, err error) error {
	if err == nil {
		return nil
	}
	var oe *OpError
	if errors.As(err, &oe) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		e := newOpError(op, dn, ErrUnavailable, err.Error())
		switch {
		case errors.Is(err, context.Canceled):
			e.ctxErr = context.Canceled
		default:
			e.ctxErr = context.DeadlineExceeded
		}
		return e
	}
	var re *ResultError
	if !errors.As(err, &re) {
		return newOpError(op, dn, ErrUnavailable, err.Error())
	}
	return newOpError(op, dn, sentinelOf(re.Code), re.Message).withCode(re.Code)
}

func (e *OpError) withCode(c ResultCode) *OpError { e.Code = c; return e }

// sentinelOf maps an LDAP result code to this package's sentinel.
func sentinelOf(c ResultCode) error {
	switch c {
	case ResultNoSuchObject:
		return ErrNotFound
	case ResultEntryAlreadyExists, ResultAttributeOrValueExists, ResultNoSuchAttribute:
		return ErrConflict
	case ResultInsufficientAccess, ResultInvalidCredentials, ResultStrongAuthRequired:
		return ErrForbidden
	case ResultBusy, ResultUnavailable:
		return ErrThrottled
	case ResultReferral, ResultUnwillingToPerform:
		return ErrReadOnly
	case ResultUndefinedAttributeType:
		return ErrUnsupported
	default:
		return ErrInvalid
	}
}
