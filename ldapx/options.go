package ldapx

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// MaxPageSize is Active Directory's default LDAP policy MaxPageSize (docs/entra-rules.md §7): page sizes
// above it are refused.
const MaxPageSize = 1000

// Option configures Dial and New. Options that shape the connection (binds, TLS, timeouts) apply
// only to Dial; passing one to New is an error.
type Option func(*config) error

type config struct {
	// connection
	bindKind       string // "", "simple", "ntlm"
	bindDN, domain string
	password       string
	roots          *x509.CertPool
	caFile         string
	noStartTLS     bool
	allowPlainBind bool
	timeout        time.Duration
	connOpts       []string // names of connection options used, for New's validation

	// client
	pageSize   int
	logger     *slog.Logger
	customAttr string
	source     string
}

func (c *config) conn(name string) { c.connOpts = append(c.connOpts, name) }

// WithSimpleBind binds with a DN (or user@domain) and password. Over an unencrypted connection
// it is refused unless AllowInsecurePlaintextBind is also given.
func WithSimpleBind(dn, password string) Option {
	return func(c *config) error {
		if dn == "" || password == "" {
			return errors.New("WithSimpleBind: empty bind DN or password")
		}
		c.conn("WithSimpleBind")
		c.bindKind, c.bindDN, c.password = "simple", dn, password
		return nil
	}
}

// WithNTLMBind binds with NTLM (domain, user name, password). NTLM never sends the password, but
// without TLS the rest of the session is unprotected and passwords cannot be written.
func WithNTLMBind(domain, user, password string) Option {
	return func(c *config) error {
		if user == "" || password == "" {
			return errors.New("WithNTLMBind: empty user or password")
		}
		c.conn("WithNTLMBind")
		c.bindKind, c.domain, c.bindDN, c.password = "ntlm", domain, user, password
		return nil
	}
}

// WithCAFile trusts the PEM certificates in path (instead of the system roots) for the server's
// certificate.
func WithCAFile(path string) Option {
	return func(c *config) error {
		if path == "" {
			return errors.New("WithCAFile: empty path")
		}
		c.conn("WithCAFile")
		c.caFile = path
		return nil
	}
}

// WithRootCAs trusts pool (instead of the system roots) for the server's certificate.
func WithRootCAs(pool *x509.CertPool) Option {
	return func(c *config) error {
		if pool == nil {
			return errors.New("WithRootCAs: nil pool")
		}
		c.conn("WithRootCAs")
		c.roots = pool
		return nil
	}
}

// WithoutStartTLS keeps an ldap:// connection unencrypted (StartTLS is otherwise required).
func WithoutStartTLS() Option {
	return func(c *config) error { c.conn("WithoutStartTLS"); c.noStartTLS = true; return nil }
}

// AllowInsecurePlaintextBind permits a simple bind over an unencrypted connection, which sends
// the password in clear text. Only for test directories.
func AllowInsecurePlaintextBind() Option {
	return func(c *config) error { c.conn("AllowInsecurePlaintextBind"); c.allowPlainBind = true; return nil }
}

// WithTimeout bounds connecting and each request (default 30s).
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout: %v is not positive", d)
		}
		c.conn("WithTimeout")
		c.timeout = d
		return nil
	}
}

// WithPageSize sets the paged-search page size, 1..MaxPageSize (default MaxPageSize).
func WithPageSize(n int) Option {
	return func(c *config) error {
		if n < 1 || n > MaxPageSize {
			return fmt.Errorf("WithPageSize: %d is outside 1..%d (AD MaxPageSize)", n, MaxPageSize)
		}
		c.pageSize = n
		return nil
	}
}

// WithLogger logs operations at debug level (keys op, dn, objectGUID, status). nil discards.
// Passwords are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithCustomAnchor reads attr (such as employeeID) into OnPrem.CustomAnchor.
func WithCustomAnchor(attr string) Option {
	return func(c *config) error {
		if attr == "" || !validAttrName(attr) {
			return fmt.Errorf("WithCustomAnchor: invalid attribute name %q", attr)
		}
		c.customAttr = attr
		return nil
	}
}

// WithSource sets the text put in OnPrem.Source (default: the URL given to Dial, or "ldap").
func WithSource(s string) Option {
	return func(c *config) error { c.source = s; return nil }
}

func validAttrName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' && i > 0) {
			return false
		}
	}
	return s != ""
}
