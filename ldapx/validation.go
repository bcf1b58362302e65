package ldapx

import (
	"context"
	"iter"

	"github.com/hybridid/hybridid/validation"
)

// ValidationObjects streams the users, groups and contacts under each base DN (subtree) as
// validation records, with the paged search of Objects and the extra attributes the
// validation rules read (cn, targetAddress, isCriticalSystemObject, userCertificate,
// userSMIMECertificate). A value that does not fit its attribute is recorded in the record's
// Invalid list rather than failing the search; an LDAP error is yielded once and ends the
// sequence. LDAP: search; needs read access to the attributes.
func (c *Client) ValidationObjects(ctx context.Context, bases ...string) iter.Seq2[validation.Object, error] {
	return func(yield func(validation.Object, error) bool) {
		vc := newClient(c.conn, &config{pageSize: c.pageSize, logger: c.log, customAttr: c.custom, source: c.source})
		vc.attrs = validation.Attributes()
		for _, base := range bases {
			for e, err := range vc.search(ctx, "ldapx.ValidationObjects", base, ScopeSub, objectFilter) {
				if err != nil {
					yield(validation.Object{}, err)
					return
				}
				o := ValidationObject(&e, c.source)
				if !yield(o, nil) {
					return
				}
			}
		}
	}
}

// ValidationObject converts one entry to a validation record (validation.NewObject over its
// attributes, values as raw bytes). source says where it came from, for messages.
func ValidationObject(e *Entry, source string) validation.Object {
	return validation.NewObject(e.DN, source, func(yield func(string, []string) bool) {
		for i := range e.Attributes {
			if !yield(e.Attributes[i].Name, joinedStrings(e.Attributes[i].Values)) {
				return
			}
		}
	})
}
