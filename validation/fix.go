package validation

import (
	"encoding/base64"
	"strings"
)

// multiValued lists the attributes whose corrections delete and add single values; the others
// are replaced as a whole.
func multiValued(attr string) bool { return strings.EqualFold(attr, "proxyAddresses") }

// AppendFixLDIF appends to dst an LDIF change file (RFC 2849, "changetype: modify" records) of
// the corrections the findings suggest, one record per object in the order the objects first
// appear, and returns it. It is for review: nothing is applied. Single-valued attributes are
// replaced; a proxyAddresses value is deleted and, for Replace, its corrected value added.
// When findings disagree about one value, deleting it wins over replacing it; findings without
// a fix are left out.
func AppendFixLDIF(dst []byte, findings []Finding) []byte {
	type change struct {
		attr, old, new string
		fix            Fix
	}
	var order []string
	byDN := map[string][]change{}
	for i := range findings {
		f := &findings[i]
		if f.Fix == NoFix || f.Attribute == "" {
			continue
		}
		chs, seen := byDN[f.DN]
		if !seen {
			order = append(order, f.DN)
		}
		merged := false
		for j := range chs {
			ch := &chs[j]
			if strings.EqualFold(ch.attr, f.Attribute) && (ch.old == f.Value || !multiValued(f.Attribute)) {
				if f.Fix == Delete {
					ch.fix, ch.new = Delete, ""
				}
				merged = true
				break
			}
		}
		if !merged {
			chs = append(chs, change{attr: f.Attribute, old: f.Value, new: f.Suggested, fix: f.Fix})
		}
		byDN[f.DN] = chs
	}
	if len(order) == 0 {
		return dst
	}
	dst = append(dst, "version: 1\n"...)
	for _, dn := range order {
		dst = append(dst, '\n')
		dst = appendLine(dst, "dn", dn)
		dst = append(dst, "changetype: modify\n"...)
		for _, ch := range byDN[dn] {
			switch {
			case multiValued(ch.attr):
				dst = appendLine(dst, "delete", ch.attr)
				dst = appendLine(dst, ch.attr, ch.old)
				dst = append(dst, "-\n"...)
				if ch.fix == Replace {
					dst = appendLine(dst, "add", ch.attr)
					dst = appendLine(dst, ch.attr, ch.new)
					dst = append(dst, "-\n"...)
				}
			case ch.fix == Delete:
				dst = appendLine(dst, "delete", ch.attr)
				dst = append(dst, "-\n"...)
			default:
				dst = appendLine(dst, "replace", ch.attr)
				dst = appendLine(dst, ch.attr, ch.new)
				dst = append(dst, "-\n"...)
			}
		}
	}
	return dst
}

// appendLine appends "name: value", or "name:: base64" when value is not an RFC 2849
// SAFE-STRING (it starts with a space, ':' or '<', ends with a space, or holds NUL, CR, LF or a
// byte above 0x7F).
func appendLine(dst []byte, name, value string) []byte {
	dst = append(dst, name...)
	if safeString(value) {
		dst = append(dst, ": "...)
		dst = append(dst, value...)
	} else {
		dst = append(dst, ":: "...)
		dst = base64.StdEncoding.AppendEncode(dst, []byte(value))
	}
	return append(dst, '\n')
}

func safeString(s string) bool {
	if s == "" {
		return true
	}
	if c := s[0]; c == ' ' || c == ':' || c == '<' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 0 || c == '\n' || c == '\r' || c >= 0x80 {
			return false
		}
	}
	return true
}
