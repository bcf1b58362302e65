package ldif

import (
	"io"
	"iter"
	"strings"
	"sync"

	"github.com/hybridid/hybridid/validation"
)

// ValidationObject returns the validation record of an entry (validation.NewObject over its
// attributes). It never fails: values that do not fit their attribute are recorded in the
// record's Invalid list, so that one bad object does not stop a run.
func ValidationObject(e *Entry) validation.Object {
	var b validation.ObjectBuilder
	b.Reset(e.DN, e.Source)
	for i := range e.Attrs {
		b.Add(e.Attrs[i].Name, e.Attrs[i].Values)
	}
	return b.Object()
}

// ReadObjects reads LDIF from r (named name in messages) with Reader and the given options, and
// yields the users, groups and contacts it holds as validation records (ValidationObject),
// skipping other entries (computers, OUs, …). It accepts and refuses exactly what Reader does,
// incomplete exports included. Only an error of the LDIF itself is yielded, once, and ends the
// sequence: a value that does not fit its attribute is recorded on its object instead.
//
// It reads the entries as Reader does, but hands ValidationObject only the attributes
// validation reads (validation.Attributes), with the text a record keeps in one string per
// object: a few allocations per object.
func ReadObjects(r io.Reader, name string, opts ...Option) iter.Seq2[validation.Object, error] {
	return func(yield func(validation.Object, error) bool) {
		rd := NewReader(r, name, opts...)
		c := &classifier{classify: validationUse}
		var e Entry
		for {
			err := rd.readRaw()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(validation.Object{}, err)
				return
			}
			rd.view(&e, c)
			if o := ValidationObject(&e); o.Synced() && !yield(o, nil) {
				return
			}
		}
	}
}

// validationUses maps the lower-case names of the attributes validation.NewObject reads to
// what it does with them.
var validationUses = sync.OnceValue(func() map[string]use {
	m := make(map[string]use)
	for _, a := range validation.Attributes() {
		u := useText
		switch strings.ToLower(a) {
		case "objectclass", "objectguid", "ms-ds-consistencyguid", "objectsid", "useraccountcontrol", "iscriticalsystemobject":
			u = useConvert
		}
		if validation.CountOnly(a) {
			u = useCount
		}
		m[strings.ToLower(a)] = u
	}
	return m
})

// validationUse classifies an attribute for validation.NewObject, which compares names
// ignoring case and options, and keeps only the values slice of proxyAddresses.
func validationUse(name string) (use, bool) {
	if i := strings.IndexByte(name, ';'); i >= 0 {
		name = name[:i]
	}
	var buf [32]byte
	b := buf[:0]
	for i := 0; i < len(name) && len(b) < cap(b); i++ { // NewObject's lowerASCII
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	u := validationUses()[string(b)]
	return u, u != useNone && string(b) == "proxyaddresses"
}
