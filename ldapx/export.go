package ldapx

import (
	"context"
	"io"

	"github.com/hybridid/hybridid/ldif"
)

// Export writes the users, groups and contacts under each base (what Objects yields) to w as
// LDIF, with ldif.Writer and ldif.EntryOf, so that ldif.ReadOnPrem reads back the records
// Objects returns (Source aside: ReadOnPrem sets it to the file name and line). Only the
// attributes a record holds are written, not the full entries. A custom anchor (WithCustomAnchor)
// is written to its attribute as text; read it back with ldif.Mapping.CustomAnchor set. It
// streams: one page of the search in memory at a time. On error the output written so far is
// flushed and is incomplete. LDAP: paged search (see Objects).
func (c *Client) Export(ctx context.Context, w io.Writer, bases ...string) error {
	lw := ldif.NewWriter(w)
	lw.Mapping = ldif.Mapping{CustomAnchor: c.custom}
	for rec, err := range c.Objects(ctx, bases...) {
		if err == nil {
			err = lw.WriteOnPrem(&rec)
		}
		if err != nil {
			_ = lw.Flush()
			return err
		}
	}
	return lw.Flush()
}
