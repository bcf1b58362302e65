package graphxtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// predicate is a parsed $filter: a conjunction of clauses.
type predicate struct {
	clauses  []clause
	advanced bool // needs ConsistencyLevel: eventual and $count=true
}

type clause struct {
	prop  string
	kind  string // "eq", "any", "startswith"
	value json.RawMessage
	str   string
}

var (
	reEq         = regexp.MustCompile(`^([A-Za-z]+)\s+eq\s+('(?:[^']|'')*'|true|false|null)$`)
	reAny        = regexp.MustCompile(`^([A-Za-z]+)/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+('(?:[^']|'')*')\s*\)$`)
	reStartsWith = regexp.MustCompile(`^startswith\(\s*([A-Za-z]+)\s*,\s*('(?:[^']|'')*')\s*\)$`)
)

func unquote(s string) string { return strings.ReplaceAll(s[1:len(s)-1], "''", "'") }

// parseFilter parses the subset: prop eq 'v'|true|false|null, coll/any(x:x eq 'v'),
// startswith(prop,'v'), joined by "and".
func parseFilter(s string) (predicate, error) {
	var p predicate
	for _, part := range splitAnd(s) {
		part = strings.TrimSpace(part)
		switch {
		case reEq.MatchString(part):
			m := reEq.FindStringSubmatch(part)
			c := clause{prop: m[1], kind: "eq"}
			if strings.HasPrefix(m[2], "'") {
				c.str = unquote(m[2])
				c.value, _ = json.Marshal(c.str)
			} else {
				c.value = json.RawMessage(m[2])
			}
			p.clauses = append(p.clauses, c)
		case reAny.MatchString(part):
			m := reAny.FindStringSubmatch(part)
			if m[2] != m[3] {
				return p, fmt.Errorf("lambda variable %q not used", m[2])
			}
			p.clauses = append(p.clauses, clause{prop: m[1], kind: "any", str: unquote(m[4])})
			p.advanced = true
		case reStartsWith.MatchString(part):
			m := reStartsWith.FindStringSubmatch(part)
			p.clauses = append(p.clauses, clause{prop: m[1], kind: "startswith", str: unquote(m[2])})
		default:
			return p, fmt.Errorf("%q", part)
		}
	}
	return p, nil
}

// splitAnd splits on " and " outside quotes.
func splitAnd(s string) []string {
	var out []string
	inQ := false
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			inQ = !inQ
			continue
		}
		if !inQ && i+5 <= len(s) && strings.EqualFold(s[i:i+5], " and ") {
			out = append(out, s[start:i])
			start = i + 5
			i += 4
		}
	}
	return append(out, s[start:])
}

func (p predicate) match(o object) bool {
	for _, c := range p.clauses {
		if !c.match(o) {
			return false
		}
	}
	return true
}

func (c clause) match(o object) bool {
	raw, ok := o[c.prop]
	switch c.kind {
	case "eq":
		if string(c.value) == "null" {
			return !ok || string(raw) == "null"
		}
		if !ok {
			return false
		}
		var s string
		if json.Unmarshal(raw, &s) == nil && c.str != "" {
			// Graph compares strings such as userPrincipalName case-insensitively.
			return strings.EqualFold(s, c.str)
		}
		return string(raw) == string(c.value)
	case "any":
		var vs []string
		if !ok || json.Unmarshal(raw, &vs) != nil {
			return false
		}
		for _, v := range vs {
			if strings.EqualFold(v, c.str) {
				return true
			}
		}
	case "startswith":
		var s string
		if ok && json.Unmarshal(raw, &s) == nil {
			return len(s) >= len(c.str) && strings.EqualFold(s[:len(c.str)], c.str)
		}
	}
	return false
}
