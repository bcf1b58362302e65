package ldapx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	ldap "github.com/go-ldap/ldap/v3"

	"github.com/hybridid/hybridid/internal/redact"
)

// Dial connects to an ldaps:// or ldap:// URL and binds, returning a Client.
//
// ldaps:// verifies the server certificate against the system roots, or WithCAFile/WithRootCAs.
// ldap:// upgrades with StartTLS (same verification) unless WithoutStartTLS; a simple bind over
// an unencrypted connection is refused with ErrInsecure unless AllowInsecurePlaintextBind. ctx
// bounds connecting and binding; the Client's methods take their own ctx.
func Dial(ctx context.Context, rawURL string, opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("ldapx.Dial: %w", err)
		}
	}
	if cfg.source == "" {
		cfg.source = rawURL
	}
	conn, err := dialConn(ctx, rawURL, &cfg)
	if err != nil {
		return nil, err
	}
	c := newClient(conn, &cfg)
	return c, nil
}

func dialConn(ctx context.Context, rawURL string, cfg *config) (*ldapConn, error) {
	const op = "ldapx.Dial"
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Host == "" {
		return nil, &OpError{Op: op, Err: ErrInvalid, Message: fmt.Sprintf("URL %q: want ldap://host[:port] or ldaps://host[:port]", rawURL)}
	}
	timeout := cfg.timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	host := u.Hostname()
	port := u.Port()
	if port == "" {
		port = map[string]string{"ldap": "389", "ldaps": "636"}[u.Scheme]
	}
	tlsCfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	switch {
	case cfg.roots != nil:
		tlsCfg.RootCAs = cfg.roots
	case cfg.caFile != "":
		pem, err := os.ReadFile(cfg.caFile)
		if err != nil {
			return nil, newOpError(op, "", ErrInvalid, "CA file: "+err.Error())
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &OpError{Op: op, Err: ErrInvalid, Message: fmt.Sprintf("CA file %s: no PEM certificates", cfg.caFile)}
		}
		tlsCfg.RootCAs = pool
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d := &net.Dialer{Timeout: timeout}
	raw, err := d.DialContext(dctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, newOpError(op, "", ErrUnavailable, err.Error())
	}
	encrypted := false
	if u.Scheme == "ldap" && !cfg.noStartTLS {
		// StartTLS is done here rather than by go-ldap, so that the TLS connection is the one
		// the search reader (muxConn) sits on.
		deadline, _ := dctx.Deadline()
		raw.SetDeadline(deadline)
		stop := context.AfterFunc(dctx, func() { raw.SetDeadline(time.Unix(1, 0)) })
		err := startTLS(raw)
		stop()
		raw.SetDeadline(time.Time{})
		if err == nil && dctx.Err() != nil {
			err = dctx.Err()
		}
		if err != nil {
			raw.Close()
			if ctxErr := dctx.Err(); ctxErr != nil {
				err = ctxErr
			}
			return nil, opError(op, "", fmt.Errorf("StartTLS: %w", err))
		}
	}
	if u.Scheme == "ldaps" || !cfg.noStartTLS {
		tc := tls.Client(raw, tlsCfg)
		if err := tc.HandshakeContext(dctx); err != nil {
			raw.Close()
			return nil, newOpError(op, "", ErrUnavailable, "TLS: "+err.Error())
		}
		raw, encrypted = tc, true
	}
	mux := newMux(raw)
	lc := ldap.NewConn(mux, encrypted)
	lc.Start()
	lc.SetTimeout(timeout)
	c := &ldapConn{c: lc, mux: mux, encrypted: encrypted, timeout: timeout, secret: cfg.password}
	fail := func(err error) (*ldapConn, error) {
		lc.Close()
		return nil, err
	}
	switch cfg.bindKind {
	case "simple":
		if !c.encrypted && !cfg.allowPlainBind {
			return fail(&OpError{Op: op, Err: ErrInsecure, Message: "simple bind would send the password in clear text; use ldaps://, StartTLS, or AllowInsecurePlaintextBind"})
		}
		if err := c.do(dctx, func() error { return lc.Bind(cfg.bindDN, cfg.password) }); err != nil {
			return fail(opError(op, "", err))
		}
	case "ntlm":
		if err := c.do(dctx, func() error { return lc.NTLMBind(cfg.domain, cfg.bindDN, cfg.password) }); err != nil {
			return fail(opError(op, "", err))
		}
	}
	return c, nil
}

// ldapConn is the go-ldap implementation of Conn.
type ldapConn struct {
	c         *ldap.Conn
	mux       *muxConn
	encrypted bool
	timeout   time.Duration
	// secret is the bind password, scrubbed from every text the server sends back (a server or
	// proxy may echo the bind request in its diagnostic message).
	secret string
}

// scrub passes the server-supplied text of err through redact.Text with the bind password, so
// that no error this connection returns can carry the password or a terminal escape sequence.
// Context errors pass unchanged.
func (c *ldapConn) scrub(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var re *ResultError
	if errors.As(err, &re) {
		return &ResultError{Code: re.Code, Message: redact.Text(re.Message, c.secret)}
	}
	return &scrubbedError{msg: redact.Text(err.Error(), c.secret)}
}

// scrubbedError is a transport error whose text has been through redact.Text. It does not wrap
// the original, whose text may hold what was scrubbed.
type scrubbedError struct{ msg string }

func (e *scrubbedError) Error() string { return e.msg }

func (c *ldapConn) Encrypted() bool { return c.encrypted }
func (c *ldapConn) Close() error    { return c.c.Close() }

// do runs a blocking go-ldap call, closing the connection when ctx ends first (go-ldap's write
// operations take no context), and converts go-ldap errors to *ResultError.
func (c *ldapConn) do(ctx context.Context, f func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return c.scrub(convert(err))
	case <-ctx.Done():
		c.c.Close()
		<-done
		return ctx.Err()
	}
}

func convert(err error) error {
	if err == nil {
		return nil
	}
	var le *ldap.Error
	if errors.As(err, &le) && le.ResultCode < 1000 {
		msg := ""
		if le.Err != nil {
			msg = le.Err.Error()
		}
		return &ResultError{Code: ResultCode(le.ResultCode), Message: strings.TrimSpace(msg)}
	}
	return err
}

// Search reads one page through muxConn's own decoder; go-ldap is not involved.
func (c *ldapConn) Search(ctx context.Context, req *SearchRequest) (*SearchPage, error) {
	page, err := c.mux.search(ctx, req, c.timeout, func() { c.c.Close() })
	return page, c.scrub(err)
}

func (c *ldapConn) Add(ctx context.Context, req *AddRequest) error {
	ar := ldap.NewAddRequest(req.DN, nil)
	for _, a := range req.Attributes {
		ar.Attribute(a.Name, strs(a.Values))
	}
	return c.do(ctx, func() error { return c.c.Add(ar) })
}

func (c *ldapConn) Modify(ctx context.Context, req *ModifyRequest) error {
	mr := ldap.NewModifyRequest(req.DN, nil)
	for _, m := range req.Changes {
		switch m.Op {
		case ModAdd:
			mr.Add(m.Name, strs(m.Values))
		case ModDelete:
			mr.Delete(m.Name, strs(m.Values))
		case ModReplace:
			mr.Replace(m.Name, strs(m.Values))
		}
	}
	return c.do(ctx, func() error { return c.c.Modify(mr) })
}

func (c *ldapConn) ModifyDN(ctx context.Context, req *ModifyDNRequest) error {
	mr := ldap.NewModifyDNRequest(req.DN, req.NewRDN, req.DeleteOldRDN, req.NewSuperior)
	return c.do(ctx, func() error { return c.c.ModifyDN(mr) })
}

func strs(v [][]byte) []string {
	out := make([]string, len(v))
	for i, b := range v {
		out[i] = string(b)
	}
	return out
}

// EscapeFilter escapes a value for use inside an RFC 4515 filter (`*`, `(`, `)`, `\`, NUL and
// non-ASCII bytes become \hh).
func EscapeFilter(v string) string { return ldap.EscapeFilter(v) }

// DialConn is Dial without the Client: it returns the bound connection, for use with New (for
// example by a conformance suite that also needs raw writes). Only connection options apply.
func DialConn(ctx context.Context, rawURL string, opts ...Option) (Conn, error) {
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("ldapx.DialConn: %w", err)
		}
	}
	return dialConn(ctx, rawURL, &cfg)
}
