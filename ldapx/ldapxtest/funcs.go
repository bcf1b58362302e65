package ldapxtest

import (
	"context"
	"time"

	"github.com/hybridid/hybridid/ldapx"
)

// Funcs holds one optional hook per ldapx.Conn operation of a Directory: fault injection in the
// shape of controller-runtime's interceptor.Funcs, the project's one fault shape (see the package
// documentation). A hook receives the operation's ctx and request and next, the Directory's own
// behaviour, and may
//
//   - return an error instead of calling next (the operation does not happen): an
//     *ldapx.ResultError for an LDAP result (&ldapx.ResultError{Code: ldapx.ResultBusy}), any
//     other error for a transport failure;
//   - wait before answering, with Delay (which honours ctx);
//   - call next, then return an error anyway (the operation happened and its answer was lost);
//   - change the request or the answer, or count calls.
//
// A nil field means the Directory's own behaviour. Hooks run without the Directory's lock held,
// so they may call the Directory; they must be safe for concurrent use when the test is.
type Funcs struct {
	Search   func(ctx context.Context, req *ldapx.SearchRequest, next SearchFunc) (*ldapx.SearchPage, error)
	Add      func(ctx context.Context, req *ldapx.AddRequest, next AddFunc) error
	Modify   func(ctx context.Context, req *ldapx.ModifyRequest, next ModifyFunc) error
	ModifyDN func(ctx context.Context, req *ldapx.ModifyDNRequest, next ModifyDNFunc) error
}

// The Directory's own behaviour of each operation, as hooks receive it.
type (
	SearchFunc   func(ctx context.Context, req *ldapx.SearchRequest) (*ldapx.SearchPage, error)
	AddFunc      func(ctx context.Context, req *ldapx.AddRequest) error
	ModifyFunc   func(ctx context.Context, req *ldapx.ModifyRequest) error
	ModifyDNFunc func(ctx context.Context, req *ldapx.ModifyDNRequest) error
)

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

// Intercept returns conn with the hooks of f around its operations: the same fault injection
// for any ldapx.Conn, a connection to a real directory (Samba) included. next is conn's own
// operation. Encrypted and Close are conn's.
func Intercept(conn ldapx.Conn, f Funcs) ldapx.Conn { return &intercepted{Conn: conn, f: f} }

type intercepted struct {
	ldapx.Conn
	f Funcs
}

func (c *intercepted) Search(ctx context.Context, req *ldapx.SearchRequest) (*ldapx.SearchPage, error) {
	if c.f.Search != nil {
		return c.f.Search(ctx, req, c.Conn.Search)
	}
	return c.Conn.Search(ctx, req)
}

func (c *intercepted) Add(ctx context.Context, req *ldapx.AddRequest) error {
	if c.f.Add != nil {
		return c.f.Add(ctx, req, c.Conn.Add)
	}
	return c.Conn.Add(ctx, req)
}

func (c *intercepted) Modify(ctx context.Context, req *ldapx.ModifyRequest) error {
	if c.f.Modify != nil {
		return c.f.Modify(ctx, req, c.Conn.Modify)
	}
	return c.Conn.Modify(ctx, req)
}

func (c *intercepted) ModifyDN(ctx context.Context, req *ldapx.ModifyDNRequest) error {
	if c.f.ModifyDN != nil {
		return c.f.ModifyDN(ctx, req, c.Conn.ModifyDN)
	}
	return c.Conn.ModifyDN(ctx, req)
}
