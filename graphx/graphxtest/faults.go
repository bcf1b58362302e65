package graphxtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Operation names, as seen by interceptors and fault specs.
const (
	OpListUsers             = "listUsers"
	OpGetUser               = "getUser"
	OpUpdateUser            = "updateUser"
	OpListGroups            = "listGroups"
	OpListContacts          = "listContacts"
	OpGetOrganization       = "getOrganization"
	OpUpdateOrganization    = "updateOrganization"
	OpGetSync               = "getSync"
	OpUpdateSync            = "updateSync"
	OpGetSyncBehavior       = "getSyncBehavior"
	OpUpdateSyncBehavior    = "updateSyncBehavior"
	OpListDeletedUsers      = "listDeletedUsers"
	OpGetDeletedItem        = "getDeletedItem"
	OpRestore               = "restore"
	OpListRoleAssignments   = "listRoleAssignments"
	OpListRoleEligibilities = "listRoleEligibilities"
	OpListRoleDefinitions   = "listRoleDefinitions"
	OpListGroupMembers      = "listGroupMembers"
	OpListMemberOf          = "listMemberOf"
	OpGetRoleDefinition     = "getRoleDefinition"
	OpBatch                 = "batch"
)

// Fault is what the fake does instead of answering normally: injected by an InterceptFunc
// (WithFaults, WithInterceptor), or returned as an error by a Hook (see Funcs), which is also how
// next reports the fake's own error answers. A hook returning a Fault with neither Status nor
// Drop gets a 500 answer.
type Fault struct {
	Status       int           // answer this HTTP status with a Graph error body (0: answer normally)
	Code         string        // the error code (default from Status)
	Message      string        // the error message
	RetryAfter   time.Duration // sets Retry-After on the fault answer
	Drop         bool          // close the connection without an answer
	Delay        time.Duration // wait this long (on the time package's clock) before answering
	PartialBatch bool          // for OpBatch: the second half of the items answer Status (default 503), not applied

	headers map[string]string // extra answer headers of the fake's own error answer (x-ms-throttle-scope)
}

// InterceptFunc is consulted before each operation (op is one of the Op constants; target is
// the object id or ""). It returns a Fault to inject, or nil.
type InterceptFunc func(op, target string) *Fault

// FailTimes returns an interceptor injecting fault into the first n calls of op ("*" for any).
func FailTimes(op string, n int, fault Fault) InterceptFunc {
	var mu sync.Mutex
	left := n
	return func(o, _ string) *Fault {
		if op != "*" && o != op {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if left <= 0 {
			return nil
		}
		left--
		f := fault
		return &f
	}
}

// ParseFaults parses a fault spec for hybridctl fake-tenant: comma-separated items
// OP=ACTION[xN] where ACTION is an HTTP status (e.g. 503), "drop", "delay:DURATION" or
// "partial" (batch only), and xN limits it to the first N calls (default: every call).
// Example: "updateUser=503x2,listUsers=delay:2s,batch=partial".
func ParseFaults(spec string) ([]InterceptFunc, error) {
	var out []InterceptFunc
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		op, action, ok := strings.Cut(item, "=")
		if !ok || op == "" {
			return nil, fmt.Errorf("graphxtest: fault %q: want OP=ACTION", item)
		}
		n := -1
		if a, cnt, found := strings.Cut(action, "x"); found && !strings.HasPrefix(action, "delay:") {
			v, err := strconv.Atoi(cnt)
			if err != nil || v < 1 {
				return nil, fmt.Errorf("graphxtest: fault %q: bad count %q", item, cnt)
			}
			action, n = a, v
		}
		var f Fault
		switch {
		case action == "drop":
			f.Drop = true
		case action == "partial":
			f.PartialBatch = true
		case strings.HasPrefix(action, "delay:"):
			d, err := time.ParseDuration(strings.TrimPrefix(action, "delay:"))
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("graphxtest: fault %q: bad delay", item)
			}
			f.Delay = d
		default:
			st, err := strconv.Atoi(action)
			if err != nil || st < 400 || st > 599 {
				return nil, fmt.Errorf("graphxtest: fault %q: action must be an HTTP status 400-599, drop, delay:D or partial", item)
			}
			f.Status = st
			if st == http.StatusTooManyRequests || st == http.StatusServiceUnavailable {
				f.RetryAfter = time.Second
			}
		}
		if n < 0 {
			n = int(^uint(0) >> 1)
		}
		out = append(out, FailTimes(op, n, f))
	}
	return out, nil
}

// WithFaults adds interceptors (e.g. from ParseFaults).
func WithFaults(fns ...InterceptFunc) Option {
	return func(f *Fake) error {
		f.intercept = append(f.intercept[:len(f.intercept):len(f.intercept)], fns...)
		return nil
	}
}

func (f *Fake) fault(op, target string) *Fault {
	f.mu.Lock()
	fns := f.intercept
	f.mu.Unlock()
	for _, fn := range fns {
		if ft := fn(op, target); ft != nil {
			return ft
		}
	}
	return nil
}

func defaultCode(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return "TooManyRequests"
	case http.StatusServiceUnavailable:
		return "serviceNotAvailable"
	case http.StatusGatewayTimeout:
		return "gatewayTimeout"
	case http.StatusNotFound:
		return "Request_ResourceNotFound"
	case http.StatusForbidden:
		return "Authorization_RequestDenied"
	default:
		if status >= 500 {
			return "generalException"
		}
		return "BadRequest"
	}
}
