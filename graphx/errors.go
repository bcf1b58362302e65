package graphx

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hybridid/hybridid/conversion"
)

// Sentinel errors. Every failure of a Client or Tenant method is an *OpError whose Err is one of
// these (or ctx.Err() when the context ended it); test with errors.Is. errors.Is also matches the
// conversion port's sentinel of the same meaning (see OpError.Is).
var (
	// ErrNotFound: the object does not exist (HTTP 404, Request_ResourceNotFound).
	ErrNotFound = errors.New("graphx: not found")
	// ErrConflict: the change collides with another object or state (HTTP 409, or 400 for a
	// uniqueness violation or a refused state change such as re-enabling sync while a disable
	// is pending).
	ErrConflict = errors.New("graphx: conflict")
	// ErrThrottled: Graph answered 429 (or, to a read, 503/504) and the retries allowed were
	// used up; OpError.RetryAfter reports the wait Graph asked for. The request was not carried
	// out.
	ErrThrottled = errors.New("graphx: throttled")
	// ErrOutcomeUnknown: a write was sent and no definite answer came back (a 5xx, a timeout or
	// a dropped connection): Graph may or may not have made it. graphx never resends such a
	// write; re-read the target before sending it again.
	ErrOutcomeUnknown = errors.New("graphx: outcome unknown")
	// ErrReadOnly: the property cannot be written on this object, e.g. onPremisesImmutableId of
	// a user that is currently synced (docs/entra-rules.md §1.7).
	ErrReadOnly = errors.New("graphx: read-only property")
	// ErrForbidden: the caller lacks the permission or role (HTTP 401 or 403).
	ErrForbidden = errors.New("graphx: forbidden")
	// ErrBadRequest: Graph refused the request as malformed (HTTP 400 not covered above).
	ErrBadRequest = errors.New("graphx: bad request")
	// ErrUnavailable: Graph or the network failed (5xx, dropped connection) after retries, on a
	// read or before a write was sent (a write that was sent is ErrOutcomeUnknown).
	ErrUnavailable = errors.New("graphx: service unavailable")
)

// OpError describes a failed Graph operation; it is the only error type of this package, returned
// by Client and Tenant methods alike.
//
// errors.Is matches Err (a graphx sentinel, or ctx.Err()) and also the conversion port's sentinel
// of the same meaning (see Is), so the same error serves a caller of the Client and the conversion
// apply loop. RetryAfter reports Wait, which satisfies conversion.RetryAfterError.
type OpError struct {
	Op        string        // the Client or Tenant method, e.g. "SetImmutableID"
	Target    string        // the object id or URL path the operation addressed
	Status    int           // HTTP status, 0 when no response arrived
	Code      string        // Graph's error code, e.g. "Request_ResourceNotFound" (redacted, see Message)
	Message   string        // Graph's (or the SDK's) error text, or this package's explanation, passed through internal/redact: secrets masked, control characters escaped
	RequestID string        // Graph's request-id, for support cases (redacted, see Message)
	Wait      time.Duration // the wait Graph asked for in Retry-After (429/503), 0 when it named none
	Err       error         // one of the sentinels above, or ctx.Err()
}

// RetryAfter reports the wait Graph asked for (its Retry-After header) and whether it named one.
// It makes an *OpError a conversion.RetryAfterError; having it says nothing about the error's kind
// (test that with errors.Is).
func (e *OpError) RetryAfter() (time.Duration, bool) { return e.Wait, e.Wait > 0 }

// Is reports whether target is the conversion sentinel of the same meaning as Err:
// ErrNotFound, ErrConflict, ErrThrottled, ErrForbidden and ErrReadOnly map to the conversion
// sentinel of the same name, and ErrUnavailable and ErrOutcomeUnknown to conversion.ErrUnavailable
// ("the write may or may not have happened": conversion re-reads before any resend).
// ErrBadRequest and a context error have no conversion counterpart.
func (e *OpError) Is(target error) bool {
	c := conversionSentinel(e.Err)
	return c != nil && c == target
}

// conversionSentinel is the conversion port's sentinel of the same meaning as this package's
// sentinel err, or nil.
func conversionSentinel(err error) error {
	switch err {
	case ErrNotFound:
		return conversion.ErrNotFound
	case ErrConflict:
		return conversion.ErrConflict
	case ErrThrottled:
		return conversion.ErrThrottled
	case ErrForbidden:
		return conversion.ErrForbidden
	case ErrReadOnly:
		return conversion.ErrReadOnly
	case ErrUnavailable, ErrOutcomeUnknown:
		return conversion.ErrUnavailable
	}
	return nil
}

func (e *OpError) Error() string {
	var b strings.Builder
	b.WriteString("graphx: ")
	b.WriteString(e.Op)
	if e.Target != "" {
		b.WriteString(" ")
		b.WriteString(e.Target)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "graphx: "))
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.Status)
		if e.Code != "" {
			b.WriteString(" ")
			b.WriteString(e.Code)
		}
		b.WriteString(")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Wait > 0 {
		fmt.Fprintf(&b, "; retry after %s", e.Wait)
	}
	if e.RequestID != "" {
		b.WriteString("; request-id ")
		b.WriteString(e.RequestID)
	}
	return b.String()
}

// Unwrap returns the sentinel.
func (e *OpError) Unwrap() error { return e.Err }

// readOnlyCodes are the Graph error codes that mean "this property is mastered elsewhere"
// (docs/entra-rules.md §1.7).
var readOnlyCodes = map[string]bool{
	"AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService": true,
}

// classify maps an HTTP status and Graph error code to one of our sentinels.
func classify(status int, code, message string) error {
	switch {
	case readOnlyCodes[code] || strings.Contains(message, "on-premises mastered"):
		return ErrReadOnly
	case status == http.StatusNotFound || code == "Request_ResourceNotFound" || code == "ResourceNotFound":
		return ErrNotFound
	case status == http.StatusTooManyRequests:
		return ErrThrottled
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusConflict || status == http.StatusPreconditionFailed ||
		code == "ObjectConflict" || code == "DirSyncStatusChangeNotAllowed" || strings.Contains(message, "already exists"):
		return ErrConflict
	case status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		return ErrThrottled
	case status >= 500 || status == 0:
		return ErrUnavailable
	default:
		return ErrBadRequest
	}
}

// parseRetryAfter reads a Retry-After header value: delta-seconds (fractions accepted) or an
// HTTP date relative to now. It returns 0 for an empty or malformed value.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if !(f > 0 && f <= 24*3600) { // also refuses NaN
			return 0
		}
		return time.Duration(f * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
