package ldif

import (
	"io"
	"iter"

	"github.com/hybridid/hybridid/validation"
)

// ValidationObject returns the validation record of an entry (validation.NewObject over its
// attributes). It never fails: values that do not fit their attribute are recorded in the
// record's Invalid list, so that one bad object does not stop a run.
func ValidationObject(e *Entry) validation.Object {
	return validation.NewObject(e.DN, e.Source, func(yield func(string, []string) bool) {
		for i := range e.Attrs {
			if !yield(e.Attrs[i].Name, e.Attrs[i].Values) {
				return
			}
		}
	})
}

// ReadObjects reads LDIF from r (named name in messages) with Reader and the given options, and
// yields the users, groups and contacts it holds as validation records (ValidationObject),
// skipping other entries (computers, OUs, …). It accepts and refuses exactly what Reader does,
// incomplete exports included. Only an error of the LDIF itself is yielded, once, and ends the
// sequence: a value that does not fit its attribute is recorded on its object instead.
func ReadObjects(r io.Reader, name string, opts ...Option) iter.Seq2[validation.Object, error] {
	return func(yield func(validation.Object, error) bool) {
		for e, err := range NewReader(r, name, opts...).All() {
			if err != nil {
				yield(validation.Object{}, err)
				return
			}
			if o := ValidationObject(&e); o.Synced() && !yield(o, nil) {
				return
			}
		}
	}
}
