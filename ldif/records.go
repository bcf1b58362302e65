package ldif

import (
	"iter"

	"github.com/hybridid/hybridid/matching"
)

// OnPrem yields the users, groups and contacts of the rest of r's input as matching records
// (see Mapping.OnPrem), skipping other entries. It yields an error once and stops. It is
// ReadOnPrem over a Reader built with options (AcceptPartialExport, WithWarnings).
func (r *Reader) OnPrem(m Mapping) iter.Seq2[matching.OnPrem, error] {
	return func(yield func(matching.OnPrem, error) bool) {
		for e, err := range r.All() {
			if err != nil {
				yield(matching.OnPrem{}, err)
				return
			}
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
