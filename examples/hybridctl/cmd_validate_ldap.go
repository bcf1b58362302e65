package main

import (
	"context"
	"iter"

	"github.com/hybridid/hybridid/validation"
)

// This file links the LDAP adapter into validate: it sets the openLDAPObjects hook.
func init() { openLDAPObjects = openLDAPObjectsLive }

// openLDAPObjectsLive dials url with the bind and CA settings of the environment (as
// openLDAPLive does) and streams the validation records under base (the domain root when base
// is ""). The connection closes when the sequence ends.
func openLDAPObjectsLive(ctx context.Context, e *env, url, base string) (iter.Seq2[validation.Object, error], error) {
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
	return func(yield func(validation.Object, error) bool) {
		defer c.Close()
		for o, err := range c.ValidationObjects(ctx, base) {
			if !yield(o, err) {
				return
			}
		}
	}, nil
}
