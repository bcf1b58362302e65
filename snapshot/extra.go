package snapshot

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// The JSON methods below decode the known fields with encoding/json (through a method-less
// alias type) and keep every other member in Extra; the Marshal methods write Extra back after
// the known fields, in key order.

type (
	organizationJSON Organization
	verifiedJSON     VerifiedDomain
	syncJSON         OnPremisesSynchronization
	featuresJSON     Features
	behaviorJSON     SyncBehavior
	userJSON         User
	groupJSON        Group
	contactJSON      Contact
	roleJSON         RoleAssignment
	eligibilityJSON  RoleEligibility
	definitionJSON   RoleDefinition
	memberJSON       GroupMember
)

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (o *Organization) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*organizationJSON)(o), &o.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (o Organization) MarshalJSON() ([]byte, error) {
	return marshalExtra(organizationJSON(o), o.Extra)
}

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (d *VerifiedDomain) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*verifiedJSON)(d), &d.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (d VerifiedDomain) MarshalJSON() ([]byte, error) { return marshalExtra(verifiedJSON(d), d.Extra) }

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (s *OnPremisesSynchronization) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*syncJSON)(s), &s.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (s OnPremisesSynchronization) MarshalJSON() ([]byte, error) {
	return marshalExtra(syncJSON(s), s.Extra)
}

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (f *Features) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*featuresJSON)(f), &f.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (f Features) MarshalJSON() ([]byte, error) { return marshalExtra(featuresJSON(f), f.Extra) }

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (s *SyncBehavior) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*behaviorJSON)(s), &s.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (s SyncBehavior) MarshalJSON() ([]byte, error) { return marshalExtra(behaviorJSON(s), s.Extra) }

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra. An
// onPremisesObjectIdentifier of null is read as a pointer to "" (known, not set), an absent one
// as nil (unknown).
func (u *User) UnmarshalJSON(b []byte) error {
	if err := unmarshalExtra(b, (*userJSON)(u), &u.Extra); err != nil {
		return err
	}
	if u.OnPremisesObjectIdentifier == nil && hasNullMember(b, "onPremisesObjectIdentifier") {
		u.OnPremisesObjectIdentifier = new(string)
	}
	return nil
}

// MarshalJSON implements json.Marshaler, writing Extra back. A pointer to "" in
// OnPremisesObjectIdentifier is written as null.
func (u User) MarshalJSON() ([]byte, error) {
	nullID := u.OnPremisesObjectIdentifier != nil && *u.OnPremisesObjectIdentifier == ""
	if nullID {
		u.OnPremisesObjectIdentifier = nil
		extra := make(map[string]json.RawMessage, len(u.Extra)+1)
		for k, v := range u.Extra {
			extra[k] = v
		}
		extra["onPremisesObjectIdentifier"] = null
		u.Extra = extra
		return marshalExtraAll(userJSON(u), u.Extra, "onPremisesObjectIdentifier")
	}
	return marshalExtra(userJSON(u), u.Extra)
}

// hasNullMember reports whether the valid JSON object b has a member named name (exactly, or in
// another case as encoding/json would match it) whose value is null.
func hasNullMember(b []byte, name string) bool {
	found := false
	fastObject(b, func(n []byte, v []byte) bool {
		if strings.EqualFold(string(n), name) && string(v) == "null" {
			found = true
		}
		return true
	})
	if !found && bytes.IndexByte(b, '\\') >= 0 {
		// A name with escapes: decode the members generically.
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) == nil {
			for k, v := range m {
				if strings.EqualFold(k, name) && string(bytes.TrimSpace(v)) == "null" {
					found = true
				}
			}
		}
	}
	return found
}

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (g *Group) UnmarshalJSON(b []byte) error { return unmarshalExtra(b, (*groupJSON)(g), &g.Extra) }

// MarshalJSON implements json.Marshaler, writing Extra back.
func (g Group) MarshalJSON() ([]byte, error) { return marshalExtra(groupJSON(g), g.Extra) }

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (c *Contact) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*contactJSON)(c), &c.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (c Contact) MarshalJSON() ([]byte, error) { return marshalExtra(contactJSON(c), c.Extra) }

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (r *RoleAssignment) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*roleJSON)(r), &r.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (r RoleAssignment) MarshalJSON() ([]byte, error) { return marshalExtra(roleJSON(r), r.Extra) }

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (r *RoleEligibility) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*eligibilityJSON)(r), &r.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (r RoleEligibility) MarshalJSON() ([]byte, error) {
	return marshalExtra(eligibilityJSON(r), r.Extra)
}

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (r *RoleDefinition) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*definitionJSON)(r), &r.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (r RoleDefinition) MarshalJSON() ([]byte, error) {
	return marshalExtra(definitionJSON(r), r.Extra)
}

// UnmarshalJSON implements json.Unmarshaler, keeping unknown members in Extra.
func (m *GroupMember) UnmarshalJSON(b []byte) error {
	return unmarshalExtra(b, (*memberJSON)(m), &m.Extra)
}

// MarshalJSON implements json.Marshaler, writing Extra back.
func (m GroupMember) MarshalJSON() ([]byte, error) { return marshalExtra(memberJSON(m), m.Extra) }

var null = []byte("null")

func unmarshalExtra(b []byte, v any, extra *map[string]json.RawMessage) error {
	if bytes.Equal(bytes.TrimSpace(b), null) {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	*extra = unknownMembers(b, knownKeys(reflect.TypeOf(v).Elem()))
	return nil
}

func marshalExtra(v any, extra map[string]json.RawMessage) ([]byte, error) {
	return marshalExtraAll(v, extra, "")
}

// marshalExtraAll is marshalExtra writing the Extra member named also even though it is a known
// member name (the known field is then empty and omitted).
func marshalExtraAll(v any, extra map[string]json.RawMessage, also string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	known := knownKeys(reflect.TypeOf(v))
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if k == also || !known.has(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	b = b[:len(b)-1] // drop '}'
	for _, k := range keys {
		raw := extra[k]
		if !json.Valid(raw) {
			raw = null
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		kb, _ := json.Marshal(k)
		b = append(b, kb...)
		b = append(b, ':')
		b = append(b, raw...)
	}
	return append(b, '}'), nil
}

// keySet is the set of JSON member names a struct type decodes; encoding/json matches them
// case-insensitively, and so does has.
type keySet struct {
	exact map[string]bool
	names []string
}

func (k *keySet) has(name string) bool {
	if k.exact[name] {
		return true
	}
	for _, n := range k.names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

var keyCache sync.Map // reflect.Type -> *keySet

func knownKeys(t reflect.Type) *keySet {
	if k, ok := keyCache.Load(t); ok {
		return k.(*keySet)
	}
	k := &keySet{exact: map[string]bool{}}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		k.exact[name] = true
		k.names = append(k.names, name)
	}
	keyCache.Store(t, k)
	return k
}

// unknownMembers returns the members of the JSON object b (already known to be valid) whose
// names are not in known, or nil when there are none.
func unknownMembers(b []byte, known *keySet) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			return out
		}
		if b[i] == ',' {
			i++
			continue
		}
		keyStart := i
		i = skipString(b, i)
		rawKey := b[keyStart:i]
		i = skipSpace(b, i)
		if i < len(b) && b[i] == ':' {
			i++
		}
		i = skipSpace(b, i)
		valStart := i
		i = skipValue(b, i)
		var key string
		if bytes.IndexByte(rawKey, '\\') >= 0 || !utf8.Valid(rawKey) {
			if json.Unmarshal(rawKey, &key) != nil {
				continue
			}
		} else if len(rawKey) >= 2 {
			key = string(rawKey[1 : len(rawKey)-1])
		}
		if known.has(key) {
			continue
		}
		if out == nil {
			out = map[string]json.RawMessage{}
		}
		out[key] = compact(b[valStart:i])
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the JSON string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	i++
	for {
		i = stringStop(b, i)
		if i >= len(b) {
			return i
		}
		switch b[i] {
		case '\\':
			i += 2
		case '"':
			return i + 1
		default:
			i++ // a control character: not valid JSON, but skipped as before
		}
	}
}

// skipStringIn is skipString; plain says that b has no backslash.
func skipStringIn(b []byte, i int, plain bool) int {
	if !plain {
		return skipString(b, i)
	}
	j := bytes.IndexByte(b[i+1:], '"')
	if j < 0 {
		return len(b)
	}
	return i + 2 + j
}

// skipValue returns the index after the JSON value starting at b[i].
func skipValue(b []byte, i int) int { return skipValueIn(b, i, false) }

// skipValueIn is skipValue; plain says that b has no backslash.
func skipValueIn(b []byte, i int, plain bool) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipStringIn(b, i, plain)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipStringIn(b, i, plain)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default:
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\t' && b[i] != '\r' {
			i++
		}
		return i
	}
}

// compact returns a compact copy of the valid JSON value b, so that a value read and written
// back reads the same.
func compact(b []byte) json.RawMessage {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return json.RawMessage(bytes.Clone(b))
	}
	return json.RawMessage(buf.Bytes())
}
