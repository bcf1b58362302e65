package ldif

import (
	"io"
	"iter"
	"strings"

	"github.com/hybridid/hybridid/matching"
)

// OnPrem yields the users, groups and contacts of the rest of r's input as matching records
// (see Mapping.OnPrem), skipping other entries. It yields an error once and stops. It is
// ReadOnPrem over a Reader built with options (AcceptPartialExport, WithWarnings).
func (r *Reader) OnPrem(m Mapping) iter.Seq2[matching.OnPrem, error] {
	return func(yield func(matching.OnPrem, error) bool) {
		c := &classifier{classify: m.use}
		var e Entry
		for {
			err := r.readRaw()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(matching.OnPrem{}, err)
				return
			}
			// e holds only the attributes m reads, the text its record keeps in one string.
			r.view(&e, c)
			rec, ok, err := m.OnPrem(&e)
			if err != nil {
				yield(matching.OnPrem{}, err)
				return
			}
			if ok && !yield(rec, nil) {
				return
			}
		}
	}
}

// use classifies an attribute for OnPrem, which compares whole names ignoring case and keeps
// only the values slice of proxyAddresses.
func (m Mapping) use(name string) (use, bool) {
	switch {
	case m.CustomAnchor != "" && strings.EqualFold(name, m.CustomAnchor):
		return useText, strings.EqualFold(name, "proxyAddresses")
	case strings.EqualFold(name, "proxyAddresses"):
		return useText, true
	case strings.EqualFold(name, "objectClass"), strings.EqualFold(name, "objectGUID"),
		strings.EqualFold(name, "mS-DS-ConsistencyGuid"), strings.EqualFold(name, "objectSid"),
		strings.EqualFold(name, "userAccountControl"):
		return useConvert, false
	case strings.EqualFold(name, "userPrincipalName"), strings.EqualFold(name, "mail"),
		strings.EqualFold(name, "mailNickname"), strings.EqualFold(name, "sAMAccountName"),
		strings.EqualFold(name, "displayName"), strings.EqualFold(name, "givenName"),
		strings.EqualFold(name, "sn"):
		return useText, false
	}
	return useNone, false
}
