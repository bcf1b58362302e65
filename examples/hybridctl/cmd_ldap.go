package main

import (
	"context"
	"fmt"
	"io"
	"iter"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/matching"
)

// This file links the LDAP adapter in: it sets the openLDAP and openDirectory hooks of main.go.
func init() {
	openLDAP = openLDAPLive
	openDirectory = openDirectoryLive
}

// dialLDAP dials url with the bind and CA settings of the environment (docs/cli.md).
func dialLDAP(ctx context.Context, e *env, url string) (*ldapx.Client, error) {
	var opts []ldapx.Option
	if dn := e.getenv("HYBRIDCTL_LDAP_BIND_DN"); dn != "" {
		opts = append(opts, ldapx.WithSimpleBind(dn, e.getenv("HYBRIDCTL_LDAP_PASSWORD")))
	}
	if ca := e.getenv("HYBRIDCTL_LDAP_CA_FILE"); ca != "" {
		opts = append(opts, ldapx.WithCAFile(ca))
	}
	return ldapx.Dial(ctx, url, opts...)
}

// openDirectoryLive dials url like openLDAPLive and returns the conversion port over the
// connection (objects addressed by objectGUID); the io.Closer ends the connection.
func openDirectoryLive(ctx context.Context, e *env, url string) (conversion.Directory, io.Closer, error) {
	c, err := dialLDAP(ctx, e, url)
	if err != nil {
		return nil, nil, err
	}
	return c.Directory(), c, nil
}

// openLDAPLive dials url with the bind and CA settings of the environment (docs/cli.md:
// HYBRIDCTL_LDAP_BIND_DN, HYBRIDCTL_LDAP_PASSWORD, HYBRIDCTL_LDAP_CA_FILE) and streams the
// objects under base (the domain root when base is ""). The connection closes when the
// sequence ends. Progress goes to stderr when it is a terminal.
func openLDAPLive(ctx context.Context, e *env, url, base string) (iter.Seq2[matching.OnPrem, error], error) {
	c, err := dialLDAP(ctx, e, url)
	if err != nil {
		return nil, err
	}
	if base == "" {
		if base, err = c.DefaultNamingContext(ctx); err != nil {
			c.Close()
			return nil, err
		}
	}
	return func(yield func(matching.OnPrem, error) bool) {
		defer c.Close()
		n := 0
		defer func() {
			if e.stderrTTY && n > 0 {
				fmt.Fprintf(e.stderr, "\rread %d objects from %s\n", n, url)
			}
		}()
		for r, err := range c.Objects(ctx, base) {
			if err == nil {
				n++
				if e.stderrTTY && n%1000 == 0 {
					fmt.Fprintf(e.stderr, "\rread %d objects…", n)
				}
			}
			if !yield(r, err) {
				return
			}
		}
	}, nil
}
