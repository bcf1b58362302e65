package graphxtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Request describes one operation the fake is about to serve, as a hook sees it. A batch item is
// a Request of its own (InBatch set), hooked as the operation it names.
type Request struct {
	Op      string      // one of the Op constants
	Target  string      // the object id the operation addresses, "" for a list or a tenant-wide one
	Method  string      // HTTP method
	Version string      // "v1.0" or "beta"
	Path    string      // URL path after the version, e.g. "/users/u1"
	Query   string      // raw query
	Header  http.Header // request headers (of the item, for a batch item)
	Body    []byte      // request body
	InBatch bool
}

// Response is an answer of the fake: its own (from next) or one a hook makes. A Body is sent as
// JSON. An error answer is returned as a *Fault error by next, not as a Response.
type Response struct {
	Status int
	Header map[string]string
	Body   []byte
}

// Handler serves one operation: the fake's own behaviour, as a hook receives it in next.
type Handler func(ctx context.Context, req *Request) (*Response, error)

// Hook is one operation's hook. It gets the request's ctx, the Request and next, the fake's own
// behaviour (which includes the faults of WithFaults, WithInterceptor and AddInterceptor, the
// write limiter and the write log), and may
//
//   - return an error instead of calling next (the operation does not happen): a *Fault for an
//     answer of that Fault's kind (an HTTP error with a Graph error body and Retry-After, a dropped
//     connection, a delay), any other error for a 500 generalException with its text;
//   - wait before answering (Delay honours ctx);
//   - call next and then return an error anyway (the write was made and its answer lost: return
//     &Fault{Drop: true} or a 504);
//   - change the Request's Query, Header or Body before next (the operation stays the one the
//     fake routed: Op, Target, Method and Path are for reading), or the Response after it, or
//     count calls.
//
// next returns the fake's error answers (404, 400, the limiter's 429…) as a *Fault error, which
// a hook may return as it is.
type Hook func(ctx context.Context, req *Request, next Handler) (*Response, error)

// Funcs holds one optional Hook per Graph operation (the Op constants), in the shape of
// controller-runtime's interceptor.Funcs, the project's one fault shape (ldapxtest.Funcs and
// conversiontest.TenantFuncs are the same idea). A nil field means the fake's own behaviour; Any,
// when set, runs for every operation that has no hook of its own. Install them with WithFuncs or
// Server.SetFuncs. Hooks run without the fake's lock held, so they may inspect the fake.
type Funcs struct {
	ListUsers, GetUser, UpdateUser             Hook
	ListGroups, ListContacts                   Hook
	GetOrganization, UpdateOrganization        Hook
	GetSync, UpdateSync                        Hook
	GetSyncBehavior, UpdateSyncBehavior        Hook
	ListDeletedUsers, GetDeletedItem, Restore  Hook
	ListRoleAssignments, ListRoleEligibilities Hook
	ListRoleDefinitions, ListGroupMembers      Hook
	ListMemberOf, GetRoleDefinition            Hook
	Any                                        Hook
}

// hook returns the hook for op, or nil.
func (fs *Funcs) hook(op string) Hook {
	var h Hook
	switch op {
	case OpListUsers:
		h = fs.ListUsers
	case OpGetUser:
		h = fs.GetUser
	case OpUpdateUser:
		h = fs.UpdateUser
	case OpListGroups:
		h = fs.ListGroups
	case OpListContacts:
		h = fs.ListContacts
	case OpGetOrganization:
		h = fs.GetOrganization
	case OpUpdateOrganization:
		h = fs.UpdateOrganization
	case OpGetSync:
		h = fs.GetSync
	case OpUpdateSync:
		h = fs.UpdateSync
	case OpGetSyncBehavior:
		h = fs.GetSyncBehavior
	case OpUpdateSyncBehavior:
		h = fs.UpdateSyncBehavior
	case OpListDeletedUsers:
		h = fs.ListDeletedUsers
	case OpGetDeletedItem:
		h = fs.GetDeletedItem
	case OpRestore:
		h = fs.Restore
	case OpListRoleAssignments:
		h = fs.ListRoleAssignments
	case OpListRoleEligibilities:
		h = fs.ListRoleEligibilities
	case OpListRoleDefinitions:
		h = fs.ListRoleDefinitions
	case OpListGroupMembers:
		h = fs.ListGroupMembers
	case OpListMemberOf:
		h = fs.ListMemberOf
	case OpGetRoleDefinition:
		h = fs.GetRoleDefinition
	}
	if h == nil {
		h = fs.Any
	}
	return h
}

// WithFuncs installs per-operation hooks (see Funcs).
func WithFuncs(fs Funcs) Option {
	return func(f *Fake) error {
		f.funcs = fs
		return nil
	}
}

// SetFuncs replaces the per-operation hooks of a running fake.
func (f *Fake) SetFuncs(fs Funcs) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.funcs = fs
}

// Delay waits d, or until ctx ends and then returns its error. Inside a testing/synctest bubble
// the wait takes no real time.
func Delay(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Error makes a *Fault an error a hook can return.
func (ft *Fault) Error() string {
	switch {
	case ft.Drop:
		return "graphxtest: dropped connection"
	case ft.Status != 0:
		return fmt.Sprintf("graphxtest: HTTP %d %s: %s", ft.Status, ft.Code, ft.Message)
	}
	return "graphxtest: fault"
}

// toResponse turns the fake's internal answer into what next returns.
func toResponse(res result) (*Response, error) {
	switch {
	case res.drop:
		return nil, &Fault{Drop: true}
	case res.err != nil:
		return nil, &Fault{Status: res.err.status, Code: res.err.code, Message: res.err.msg, RetryAfter: res.err.retryAfter, headers: res.headers}
	}
	return &Response{Status: res.status, Header: res.headers, Body: res.body}, nil
}

// fromHook turns a hook's answer into the fake's internal answer.
func fromHook(ctx context.Context, resp *Response, err error) result {
	if err == nil {
		if resp == nil {
			return result{status: http.StatusNoContent}
		}
		return result{status: resp.Status, headers: resp.Header, body: resp.Body}
	}
	var ft *Fault
	if !errors.As(err, &ft) {
		return errResult(http.StatusInternalServerError, "generalException", err.Error())
	}
	if ft.Delay > 0 && Delay(ctx, ft.Delay) != nil {
		return result{drop: true}
	}
	switch {
	case ft.Drop:
		return result{drop: true}
	case ft.Status != 0:
		code, msg := ft.Code, ft.Message
		if code == "" {
			code = defaultCode(ft.Status)
		}
		if msg == "" {
			msg = "Injected fault."
		}
		return result{err: &apiError{status: ft.Status, code: code, msg: msg, retryAfter: ft.RetryAfter}, headers: ft.headers}
	}
	return errResult(http.StatusInternalServerError, "generalException", "Injected fault.")
}
