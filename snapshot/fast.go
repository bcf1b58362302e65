package snapshot

import (
	"encoding/json"
	"reflect"
	"time"
	"unicode/utf8"
)

// The fast path below decodes the array elements of the common shape (users, deleted users,
// groups, contacts, role assignments) without reflection. It runs only on bytes already checked
// to be one valid JSON object (by Read's element scanner, scan.go, or by json.Decoder after it),
// and it accepts only what it decodes exactly as encoding/json would: ASCII member names without
// escapes, each known member at most once, strings without escapes, true/false, arrays of such
// strings, date-time strings time.Time itself parses and, as Read calls it (decodeFastIn with
// arena.nested), an onPremisesSyncBehavior object of the same kind. For anything else (null, a
// wrong type, a name matching a known member only case-insensitively, an escape) it reports
// false, and the caller decodes the element again from zero with UnmarshalJSON, which gives the
// same value or the same error as before. Unknown members go to Extra exactly as unknownMembers
// puts them there. FuzzDecodeFast, FuzzDecodeFastIn and FuzzReadScan hold it to encoding/json.

// fastDecoder is implemented by the element types the fast path knows.
type fastDecoder interface {
	decodeFast(b []byte) bool
	// decodeFastIn is decodeFast allocating from a (see arena).
	decodeFastIn(b []byte, a *arena) bool
}

// fastObject calls member for each member of the valid JSON object b; it stops and reports false
// when a name has an escape or a non-ASCII byte, or when member does.
func fastObject(b []byte, member func(name []byte, val []byte) bool) bool {
	return fastObjectIn(b, false, member)
}

// fastObjectIn is fastObject; plain says that b has no backslash, so that a string ends at the
// next '"'.
func fastObjectIn(b []byte, plain bool, member func(name []byte, val []byte) bool) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case '}':
			return true
		case ',':
			i++
			continue
		case '"':
		default:
			return false
		}
		start := i
		i = skipStringIn(b, i, plain)
		if i-start < 2 {
			return false
		}
		raw := b[start+1 : i-1]
		for _, c := range raw {
			if c == '\\' || c >= utf8.RuneSelf {
				return false
			}
		}
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipSpace(b, i+1)
		vs := i
		i = skipValueIn(b, i, plain)
		if i <= vs || !member(raw, b[vs:i]) {
			return false
		}
	}
}

// plainString returns the content of the JSON string v when it has no escape and is valid UTF-8
// (encoding/json would keep such bytes unchanged).
func plainString(v []byte) ([]byte, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return nil, false
	}
	s := v[1 : len(v)-1]
	for i := 0; ; i++ {
		i = stringStop(s, i)
		if i == len(s) {
			break
		}
		if s[i] == '\\' || s[i] == '"' {
			return nil, false
		}
	}
	if !utf8.Valid(s) {
		return nil, false
	}
	return s, true
}

// fields tracks which known members an element has set, so a repeated one falls back.
type fields uint32

func (f *fields) once(bit uint) bool {
	if *f&(1<<bit) != 0 {
		return false
	}
	*f |= 1 << bit
	return true
}

// arena holds what the fast path allocates for the elements of one Read, so that an element
// costs a few allocations rather than one per member: the plain string values of an element are
// gathered and become one string, which each field then slices; *bool, *string and *time.Time
// members point into slabs shared by many elements (each pointer still has its own variable).
type arena struct {
	// nested lets the decoders take an onPremisesSyncBehavior object; decodeFast (the first
	// fast path, which the tests of fast_test.go describe) declines it, Read's decoder does not.
	nested bool
	plain  bool   // the element being decoded has no backslash
	utf8   bool   // the element being decoded is valid UTF-8, and so is every string in it
	text   []byte // the string values of the element being decoded, end to end
	refs   []textRef
	bools  []bool
	ptrs   []string // the slab of newString
	times  []time.Time
	// lastTime is the text of the last date-time parsed and what it parsed to: a snapshot's
	// objects often share their onPremisesLastSyncDateTime.
	lastTime []byte
	lastT    time.Time
}

// textRef says that *dst is text[start:end] once the element is decoded.
type textRef struct {
	dst        *string
	start, end int
}

const slabLen = 256

// decode runs the fast decoder dec of one element with a, and sets the string fields when it
// succeeds; when it declines, nothing it set a string field to remains pending.
func (a *arena) decode(dec func() bool) bool {
	a.text, a.refs = a.text[:0], a.refs[:0]
	if !dec() {
		clear(a.refs)
		return false
	}
	if len(a.refs) > 0 {
		t := string(a.text)
		for _, r := range a.refs {
			*r.dst = t[r.start:r.end]
		}
		clear(a.refs)
	}
	return true
}

func (a *arena) str(dst *string, v []byte) bool {
	var s []byte
	if a.plain {
		// No backslash in the element: the string is plain when its bytes are UTF-8.
		if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' || (!a.utf8 && !utf8.Valid(v[1:len(v)-1])) {
			return false
		}
		s = v[1 : len(v)-1]
	} else {
		var ok bool
		if s, ok = plainString(v); !ok {
			return false
		}
	}
	if len(s) == 0 {
		*dst = ""
		return true
	}
	// A value the element already has (userPrincipalName, mail and onPremisesUserPrincipalName
	// are often the same) shares its bytes.
	for _, r := range a.refs {
		if r.end-r.start == len(s) && string(a.text[r.start:r.end]) == string(s) {
			a.refs = append(a.refs, textRef{dst, r.start, r.end})
			return true
		}
	}
	a.refs = append(a.refs, textRef{dst, len(a.text), len(a.text) + len(s)})
	a.text = append(a.text, s...)
	return true
}

func (a *arena) newBool(b bool) *bool {
	if len(a.bools) == cap(a.bools) {
		a.bools = make([]bool, 0, slabLen)
	}
	a.bools = append(a.bools, b)
	return &a.bools[len(a.bools)-1]
}

func (a *arena) newString() *string {
	if len(a.ptrs) == cap(a.ptrs) {
		a.ptrs = make([]string, 0, slabLen)
	}
	a.ptrs = append(a.ptrs, "")
	return &a.ptrs[len(a.ptrs)-1]
}

func (a *arena) newTime(t time.Time) *time.Time {
	if len(a.times) == cap(a.times) {
		a.times = make([]time.Time, 0, slabLen)
	}
	a.times = append(a.times, t)
	return &a.times[len(a.times)-1]
}

// strOrNull sets *dst to the string v, or to a pointer to "" for null.
func (a *arena) strOrNull(dst **string, v []byte) bool {
	if string(v) == "null" {
		*dst = a.newString()
		return true
	}
	p := a.newString()
	if !a.str(p, v) {
		return false
	}
	*dst = p
	return true
}

func (a *arena) timeOrNull(dst **time.Time, v []byte) bool {
	if string(v) == "null" {
		*dst = nil
		return true
	}
	return a.time(dst, v)
}

func fastBool(dst *bool, v []byte) bool {
	switch string(v) {
	case "true":
		*dst = true
	case "false":
		*dst = false
	default:
		return false
	}
	return true
}

func (a *arena) boolPtr(dst **bool, v []byte) bool {
	var b bool
	if !fastBool(&b, v) {
		return false
	}
	*dst = a.newBool(b)
	return true
}

// strs sets *dst to the array of plain strings v.
func (a *arena) strs(dst *[]string, v []byte) bool {
	if len(v) < 2 || v[0] != '[' {
		return false
	}
	// Count the elements first, to allocate the slice once.
	n := 0
	for i := 1; ; {
		i = skipSpace(v, i)
		if i >= len(v) {
			return false
		}
		switch v[i] {
		case ']':
			goto count
		case ',':
			i++
			continue
		case '"':
		default:
			return false
		}
		i = skipStringIn(v, i, a.plain)
		n++
	}
count:
	out := []string{}
	if n > 0 {
		out = make([]string, n)
	}
	k := 0
	for i := 1; ; {
		i = skipSpace(v, i)
		switch v[i] {
		case ']':
			*dst = out
			return true
		case ',':
			i++
			continue
		}
		start := i
		i = skipStringIn(v, i, a.plain)
		if !a.str(&out[k], v[start:i]) {
			return false
		}
		k++
	}
}

// behavior sets *dst to the onPremisesSyncBehavior object v, when a.nested allows objects.
func (a *arena) behavior(dst **SyncBehavior, v []byte) bool {
	if !a.nested || len(v) == 0 || v[0] != '{' {
		return false
	}
	b := new(SyncBehavior)
	var f fields
	ok := fastObjectIn(v, a.plain, func(name []byte, v []byte) bool {
		if string(name) == "isCloudManaged" {
			return f.once(0) && fastBool(&b.IsCloudManaged, v)
		}
		return fastExtra(&b.Extra, syncKeys, name, v)
	})
	if ok {
		*dst = b
	}
	return ok
}

func (a *arena) time(dst **time.Time, v []byte) bool {
	if len(v) == 0 || v[0] != '"' {
		return false
	}
	if a.lastTime != nil && string(v) == string(a.lastTime) {
		*dst = a.newTime(a.lastT)
		return true
	}
	var t time.Time
	if t.UnmarshalJSON(v) != nil {
		return false
	}
	a.lastTime, a.lastT = append(a.lastTime[:0], v...), t
	*dst = a.newTime(t)
	return true
}

// fastExtra keeps the member name: v in *extra unless name is known to encoding/json (which
// matches names case-insensitively); a known name in another case falls back.
func fastExtra(extra *map[string]json.RawMessage, known *keySet, nameBytes []byte, v []byte) bool {
	name := string(nameBytes)
	if known.has(name) {
		return false
	}
	if *extra == nil {
		*extra = map[string]json.RawMessage{}
	}
	(*extra)[name] = compact(v)
	return true
}

var (
	userKeys    = knownKeys(reflect.TypeFor[userJSON]())
	groupKeys   = knownKeys(reflect.TypeFor[groupJSON]())
	contactKeys = knownKeys(reflect.TypeFor[contactJSON]())
	roleKeys    = knownKeys(reflect.TypeFor[roleJSON]())
	eligKeys    = knownKeys(reflect.TypeFor[eligibilityJSON]())
	defKeys     = knownKeys(reflect.TypeFor[definitionJSON]())
	memberKeys  = knownKeys(reflect.TypeFor[memberJSON]())
	syncKeys    = knownKeys(reflect.TypeFor[behaviorJSON]())
)

func (u *User) decodeFast(b []byte) bool { return u.decodeFastIn(b, new(arena)) }

func (u *User) decodeFastIn(b []byte, a *arena) bool {
	return a.decode(func() bool {
		var f fields
		return fastObjectIn(b, a.plain, func(name []byte, v []byte) bool {
			switch string(name) {
			case "id":
				return f.once(0) && a.str(&u.ID, v)
			case "userPrincipalName":
				return f.once(1) && a.str(&u.UserPrincipalName, v)
			case "displayName":
				return f.once(2) && a.str(&u.DisplayName, v)
			case "givenName":
				return f.once(3) && a.str(&u.GivenName, v)
			case "surname":
				return f.once(4) && a.str(&u.Surname, v)
			case "mail":
				return f.once(5) && a.str(&u.Mail, v)
			case "mailNickname":
				return f.once(6) && a.str(&u.MailNickname, v)
			case "proxyAddresses":
				return f.once(7) && a.strs(&u.ProxyAddresses, v)
			case "onPremisesImmutableId":
				return f.once(8) && a.str(&u.OnPremisesImmutableID, v)
			case "onPremisesSyncEnabled":
				return f.once(9) && a.boolPtr(&u.OnPremisesSyncEnabled, v)
			case "onPremisesDistinguishedName":
				return f.once(10) && a.str(&u.OnPremisesDistinguishedName, v)
			case "onPremisesSamAccountName":
				return f.once(11) && a.str(&u.OnPremisesSamAccountName, v)
			case "onPremisesUserPrincipalName":
				return f.once(12) && a.str(&u.OnPremisesUserPrincipalName, v)
			case "onPremisesSecurityIdentifier":
				return f.once(13) && a.str(&u.OnPremisesSecurityIdentifier, v)
			case "onPremisesLastSyncDateTime":
				return f.once(14) && a.time(&u.OnPremisesLastSyncDateTime, v)
			case "accountEnabled":
				return f.once(15) && a.boolPtr(&u.AccountEnabled, v)
			case "userType":
				return f.once(16) && a.str(&u.UserType, v)
			case "deletedDateTime":
				return f.once(17) && a.time(&u.DeletedDateTime, v)
			case "onPremisesObjectIdentifier":
				return f.once(18) && a.strOrNull(&u.OnPremisesObjectIdentifier, v)
			case "onPremisesSyncBehavior":
				return f.once(19) && a.behavior(&u.OnPremisesSyncBehavior, v)
			}
			return fastExtra(&u.Extra, userKeys, name, v)
		})
	})
}

func (g *Group) decodeFast(b []byte) bool { return g.decodeFastIn(b, new(arena)) }

func (g *Group) decodeFastIn(b []byte, a *arena) bool {
	return a.decode(func() bool {
		var f fields
		return fastObjectIn(b, a.plain, func(name []byte, v []byte) bool {
			switch string(name) {
			case "id":
				return f.once(0) && a.str(&g.ID, v)
			case "displayName":
				return f.once(1) && a.str(&g.DisplayName, v)
			case "mail":
				return f.once(2) && a.str(&g.Mail, v)
			case "mailNickname":
				return f.once(3) && a.str(&g.MailNickname, v)
			case "mailEnabled":
				return f.once(4) && fastBool(&g.MailEnabled, v)
			case "securityEnabled":
				return f.once(5) && fastBool(&g.SecurityEnabled, v)
			case "proxyAddresses":
				return f.once(6) && a.strs(&g.ProxyAddresses, v)
			case "onPremisesImmutableId":
				return f.once(7) && a.str(&g.OnPremisesImmutableID, v)
			case "onPremisesSyncEnabled":
				return f.once(8) && a.boolPtr(&g.OnPremisesSyncEnabled, v)
			case "onPremisesLastSyncDateTime":
				return f.once(9) && a.time(&g.OnPremisesLastSyncDateTime, v)
			case "onPremisesSyncBehavior":
				return f.once(10) && a.behavior(&g.OnPremisesSyncBehavior, v)
			}
			return fastExtra(&g.Extra, groupKeys, name, v)
		})
	})
}

func (c *Contact) decodeFast(b []byte) bool { return c.decodeFastIn(b, new(arena)) }

func (c *Contact) decodeFastIn(b []byte, a *arena) bool {
	return a.decode(func() bool {
		var f fields
		return fastObjectIn(b, a.plain, func(name []byte, v []byte) bool {
			switch string(name) {
			case "id":
				return f.once(0) && a.str(&c.ID, v)
			case "displayName":
				return f.once(1) && a.str(&c.DisplayName, v)
			case "mail":
				return f.once(2) && a.str(&c.Mail, v)
			case "mailNickname":
				return f.once(3) && a.str(&c.MailNickname, v)
			case "proxyAddresses":
				return f.once(4) && a.strs(&c.ProxyAddresses, v)
			case "onPremisesSyncEnabled":
				return f.once(5) && a.boolPtr(&c.OnPremisesSyncEnabled, v)
			case "onPremisesLastSyncDateTime":
				return f.once(6) && a.time(&c.OnPremisesLastSyncDateTime, v)
			case "onPremisesSyncBehavior":
				return f.once(7) && a.behavior(&c.OnPremisesSyncBehavior, v)
			}
			return fastExtra(&c.Extra, contactKeys, name, v)
		})
	})
}

// roleMember decodes the members role assignments and eligibilities share (fields bits 0 to 3);
// known reports whether name is one of them, ok whether it decoded.
func (a *arena) roleMember(f *fields, name, v []byte, id, principal, roleDef, scope *string) (ok, known bool) {
	switch string(name) {
	case "id":
		return f.once(0) && a.str(id, v), true
	case "principalId":
		return f.once(1) && a.str(principal, v), true
	case "roleDefinitionId":
		return f.once(2) && a.str(roleDef, v), true
	case "directoryScopeId":
		return f.once(3) && a.str(scope, v), true
	}
	return false, false
}

func (r *RoleAssignment) decodeFast(b []byte) bool { return r.decodeFastIn(b, new(arena)) }

func (r *RoleAssignment) decodeFastIn(b []byte, a *arena) bool {
	return a.decode(func() bool {
		var f fields
		return fastObjectIn(b, a.plain, func(name []byte, v []byte) bool {
			if ok, known := a.roleMember(&f, name, v, &r.ID, &r.PrincipalID, &r.RoleDefinitionID, &r.DirectoryScopeID); known {
				return ok
			}
			return fastExtra(&r.Extra, roleKeys, name, v)
		})
	})
}

func (r *RoleEligibility) decodeFast(b []byte) bool { return r.decodeFastIn(b, new(arena)) }

func (r *RoleEligibility) decodeFastIn(b []byte, a *arena) bool {
	return a.decode(func() bool {
		var f fields
		return fastObjectIn(b, a.plain, func(name []byte, v []byte) bool {
			if ok, known := a.roleMember(&f, name, v, &r.ID, &r.PrincipalID, &r.RoleDefinitionID, &r.DirectoryScopeID); known {
				return ok
			}
			switch string(name) {
			case "startDateTime":
				return f.once(4) && a.timeOrNull(&r.StartDateTime, v)
			case "endDateTime":
				return f.once(5) && a.timeOrNull(&r.EndDateTime, v)
			}
			return fastExtra(&r.Extra, eligKeys, name, v)
		})
	})
}

func (r *RoleDefinition) decodeFast(b []byte) bool { return r.decodeFastIn(b, new(arena)) }

func (r *RoleDefinition) decodeFastIn(b []byte, a *arena) bool {
	return a.decode(func() bool {
		var f fields
		return fastObjectIn(b, a.plain, func(name []byte, v []byte) bool {
			switch string(name) {
			case "id":
				return f.once(0) && a.str(&r.ID, v)
			case "displayName":
				return f.once(1) && a.str(&r.DisplayName, v)
			case "isBuiltIn":
				return f.once(2) && fastBool(&r.IsBuiltIn, v)
			case "isPrivileged":
				return f.once(3) && fastBool(&r.IsPrivileged, v)
			}
			return fastExtra(&r.Extra, defKeys, name, v)
		})
	})
}

func (m *GroupMember) decodeFast(b []byte) bool { return m.decodeFastIn(b, new(arena)) }

func (m *GroupMember) decodeFastIn(b []byte, a *arena) bool {
	return a.decode(func() bool {
		var f fields
		return fastObjectIn(b, a.plain, func(name []byte, v []byte) bool {
			switch string(name) {
			case "groupId":
				return f.once(0) && a.str(&m.GroupID, v)
			case "memberId":
				return f.once(1) && a.str(&m.MemberID, v)
			}
			return fastExtra(&m.Extra, memberKeys, name, v)
		})
	})
}
