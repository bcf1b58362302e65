package snapshot

import (
	"encoding/json"
	"reflect"
	"time"
	"unicode/utf8"
)

// The fast path below decodes the array elements of the common shape (users, deleted users,
// groups, contacts, role assignments) without reflection. It runs only on bytes encoding/json has
// already checked to be one valid JSON object (Read slices elements with json.Decoder), and it
// accepts only what it decodes exactly as encoding/json would: ASCII member names without
// escapes, each known member at most once, strings without escapes, true/false, arrays of such
// strings, and date-time strings time.Time itself parses. For anything else (null, a wrong type,
// a name matching a known member only case-insensitively, an escape, a nested object such as
// onPremisesSyncBehavior) it reports false, and the caller decodes the element again from zero
// with UnmarshalJSON, which gives the same value or the same error as before. Unknown members go
// to Extra exactly as unknownMembers puts them there.

// fastDecoder is implemented by the element types the fast path knows.
type fastDecoder interface {
	decodeFast(b []byte) bool
}

// fastObject calls member for each member of the valid JSON object b; it stops and reports false
// when a name has an escape or a non-ASCII byte, or when member does.
func fastObject(b []byte, member func(name string, val []byte) bool) bool {
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
		i = skipString(b, i)
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
		i = skipValue(b, i)
		if i <= vs || !member(string(raw), b[vs:i]) {
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
	ascii := true
	for _, c := range s {
		if c == '\\' || c == '"' {
			return nil, false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(s) {
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

func fastString(dst *string, v []byte) bool {
	s, ok := plainString(v)
	if ok {
		*dst = string(s)
	}
	return ok
}

// fastStringOrNull sets *dst to the string v, or to a pointer to "" for null.
func fastStringOrNull(dst **string, v []byte) bool {
	if string(v) == "null" {
		*dst = new(string)
		return true
	}
	var s string
	if !fastString(&s, v) {
		return false
	}
	*dst = &s
	return true
}

func fastTimeOrNull(dst **time.Time, v []byte) bool {
	if string(v) == "null" {
		*dst = nil
		return true
	}
	return fastTime(dst, v)
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

func fastBoolPtr(dst **bool, v []byte) bool {
	var b bool
	if !fastBool(&b, v) {
		return false
	}
	*dst = &b
	return true
}

func fastStrings(dst *[]string, v []byte) bool {
	if len(v) < 2 || v[0] != '[' {
		return false
	}
	out := []string{}
	i := 1
	for {
		i = skipSpace(v, i)
		if i >= len(v) {
			return false
		}
		switch v[i] {
		case ']':
			*dst = out
			return true
		case ',':
			i++
			continue
		case '"':
		default:
			return false
		}
		start := i
		i = skipString(v, i)
		s, ok := plainString(v[start:i])
		if !ok {
			return false
		}
		out = append(out, string(s))
	}
}

func fastTime(dst **time.Time, v []byte) bool {
	if len(v) == 0 || v[0] != '"' {
		return false
	}
	t := new(time.Time)
	if t.UnmarshalJSON(v) != nil {
		return false
	}
	*dst = t
	return true
}

// fastExtra keeps the member name: v in *extra unless name is known to encoding/json (which
// matches names case-insensitively); a known name in another case falls back.
func fastExtra(extra *map[string]json.RawMessage, known *keySet, name string, v []byte) bool {
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
)

func (u *User) decodeFast(b []byte) bool {
	var f fields
	return fastObject(b, func(name string, v []byte) bool {
		switch name {
		case "id":
			return f.once(0) && fastString(&u.ID, v)
		case "userPrincipalName":
			return f.once(1) && fastString(&u.UserPrincipalName, v)
		case "displayName":
			return f.once(2) && fastString(&u.DisplayName, v)
		case "givenName":
			return f.once(3) && fastString(&u.GivenName, v)
		case "surname":
			return f.once(4) && fastString(&u.Surname, v)
		case "mail":
			return f.once(5) && fastString(&u.Mail, v)
		case "mailNickname":
			return f.once(6) && fastString(&u.MailNickname, v)
		case "proxyAddresses":
			return f.once(7) && fastStrings(&u.ProxyAddresses, v)
		case "onPremisesImmutableId":
			return f.once(8) && fastString(&u.OnPremisesImmutableID, v)
		case "onPremisesSyncEnabled":
			return f.once(9) && fastBoolPtr(&u.OnPremisesSyncEnabled, v)
		case "onPremisesDistinguishedName":
			return f.once(10) && fastString(&u.OnPremisesDistinguishedName, v)
		case "onPremisesSamAccountName":
			return f.once(11) && fastString(&u.OnPremisesSamAccountName, v)
		case "onPremisesUserPrincipalName":
			return f.once(12) && fastString(&u.OnPremisesUserPrincipalName, v)
		case "onPremisesSecurityIdentifier":
			return f.once(13) && fastString(&u.OnPremisesSecurityIdentifier, v)
		case "onPremisesLastSyncDateTime":
			return f.once(14) && fastTime(&u.OnPremisesLastSyncDateTime, v)
		case "accountEnabled":
			return f.once(15) && fastBoolPtr(&u.AccountEnabled, v)
		case "userType":
			return f.once(16) && fastString(&u.UserType, v)
		case "deletedDateTime":
			return f.once(17) && fastTime(&u.DeletedDateTime, v)
		case "onPremisesObjectIdentifier":
			return f.once(18) && fastStringOrNull(&u.OnPremisesObjectIdentifier, v)
		case "onPremisesSyncBehavior":
			return false
		}
		return fastExtra(&u.Extra, userKeys, name, v)
	})
}

func (g *Group) decodeFast(b []byte) bool {
	var f fields
	return fastObject(b, func(name string, v []byte) bool {
		switch name {
		case "id":
			return f.once(0) && fastString(&g.ID, v)
		case "displayName":
			return f.once(1) && fastString(&g.DisplayName, v)
		case "mail":
			return f.once(2) && fastString(&g.Mail, v)
		case "mailNickname":
			return f.once(3) && fastString(&g.MailNickname, v)
		case "mailEnabled":
			return f.once(4) && fastBool(&g.MailEnabled, v)
		case "securityEnabled":
			return f.once(5) && fastBool(&g.SecurityEnabled, v)
		case "proxyAddresses":
			return f.once(6) && fastStrings(&g.ProxyAddresses, v)
		case "onPremisesImmutableId":
			return f.once(7) && fastString(&g.OnPremisesImmutableID, v)
		case "onPremisesSyncEnabled":
			return f.once(8) && fastBoolPtr(&g.OnPremisesSyncEnabled, v)
		case "onPremisesLastSyncDateTime":
			return f.once(9) && fastTime(&g.OnPremisesLastSyncDateTime, v)
		case "onPremisesSyncBehavior":
			return false
		}
		return fastExtra(&g.Extra, groupKeys, name, v)
	})
}

func (c *Contact) decodeFast(b []byte) bool {
	var f fields
	return fastObject(b, func(name string, v []byte) bool {
		switch name {
		case "id":
			return f.once(0) && fastString(&c.ID, v)
		case "displayName":
			return f.once(1) && fastString(&c.DisplayName, v)
		case "mail":
			return f.once(2) && fastString(&c.Mail, v)
		case "mailNickname":
			return f.once(3) && fastString(&c.MailNickname, v)
		case "proxyAddresses":
			return f.once(4) && fastStrings(&c.ProxyAddresses, v)
		case "onPremisesSyncEnabled":
			return f.once(5) && fastBoolPtr(&c.OnPremisesSyncEnabled, v)
		case "onPremisesLastSyncDateTime":
			return f.once(6) && fastTime(&c.OnPremisesLastSyncDateTime, v)
		case "onPremisesSyncBehavior":
			return false
		}
		return fastExtra(&c.Extra, contactKeys, name, v)
	})
}

func (r *RoleAssignment) decodeFast(b []byte) bool {
	var f fields
	return fastObject(b, func(name string, v []byte) bool {
		switch name {
		case "id":
			return f.once(0) && fastString(&r.ID, v)
		case "principalId":
			return f.once(1) && fastString(&r.PrincipalID, v)
		case "roleDefinitionId":
			return f.once(2) && fastString(&r.RoleDefinitionID, v)
		case "directoryScopeId":
			return f.once(3) && fastString(&r.DirectoryScopeID, v)
		}
		return fastExtra(&r.Extra, roleKeys, name, v)
	})
}

func (r *RoleEligibility) decodeFast(b []byte) bool {
	var f fields
	return fastObject(b, func(name string, v []byte) bool {
		switch name {
		case "id":
			return f.once(0) && fastString(&r.ID, v)
		case "principalId":
			return f.once(1) && fastString(&r.PrincipalID, v)
		case "roleDefinitionId":
			return f.once(2) && fastString(&r.RoleDefinitionID, v)
		case "directoryScopeId":
			return f.once(3) && fastString(&r.DirectoryScopeID, v)
		case "startDateTime":
			return f.once(4) && fastTimeOrNull(&r.StartDateTime, v)
		case "endDateTime":
			return f.once(5) && fastTimeOrNull(&r.EndDateTime, v)
		}
		return fastExtra(&r.Extra, eligKeys, name, v)
	})
}

func (r *RoleDefinition) decodeFast(b []byte) bool {
	var f fields
	return fastObject(b, func(name string, v []byte) bool {
		switch name {
		case "id":
			return f.once(0) && fastString(&r.ID, v)
		case "displayName":
			return f.once(1) && fastString(&r.DisplayName, v)
		case "isBuiltIn":
			return f.once(2) && fastBool(&r.IsBuiltIn, v)
		case "isPrivileged":
			return f.once(3) && fastBool(&r.IsPrivileged, v)
		}
		return fastExtra(&r.Extra, defKeys, name, v)
	})
}

func (m *GroupMember) decodeFast(b []byte) bool {
	var f fields
	return fastObject(b, func(name string, v []byte) bool {
		switch name {
		case "groupId":
			return f.once(0) && fastString(&m.GroupID, v)
		case "memberId":
			return f.once(1) && fastString(&m.MemberID, v)
		}
		return fastExtra(&m.Extra, memberKeys, name, v)
	})
}
