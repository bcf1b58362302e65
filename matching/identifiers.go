package matching

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// RuleID names one identifier rule. The ids are stable: the matching engine, the pre-sync
// validation and their JSON output use them.
type RuleID string

// The userPrincipalName rules (Microsoft's username policy for Entra accounts).
const (
	RuleUPNEmpty        RuleID = "upn-empty"
	RuleUPNFormat       RuleID = "upn-format"        // exactly one '@', a prefix and a domain
	RuleUPNCharacter    RuleID = "upn-character"     // a character outside the allowed set
	RuleUPNDotBeforeAt  RuleID = "upn-dot-before-at" // '.' immediately before '@'
	RuleUPNLength       RuleID = "upn-length"        // more than 113 characters in all
	RuleUPNPrefixLength RuleID = "upn-prefix-length" // more than 64 characters before '@'
	RuleUPNDomainLength RuleID = "upn-domain-length" // more than 48 characters after '@'
)

// Violation is one identifier rule a value breaks.
type Violation struct {
	Rule    RuleID
	Message string // says what is wrong with the value, without repeating it
}

// UPN length limits of Microsoft's username policy.
const (
	MaxUPNLength       = 113
	MaxUPNPrefixLength = 64
	MaxUPNDomainLength = 48
)

// CheckUPN returns the userPrincipalName rules upn breaks, or nil when it breaks none.
func CheckUPN(upn string) []Violation {
	if upn == "" {
		return []Violation{{RuleUPNEmpty, "is empty"}}
	}
	var v []Violation
	at := strings.IndexByte(upn, '@')
	if at <= 0 || at == len(upn)-1 || strings.IndexByte(upn[at+1:], '@') >= 0 {
		return []Violation{{RuleUPNFormat, "must be one name, one '@' and one domain"}}
	}
	prefix, domain := upn[:at], upn[at+1:]
	n := utf8.RuneCountInString(upn)
	if n > MaxUPNLength {
		v = append(v, Violation{RuleUPNLength, "is longer than 113 characters"})
	}
	if utf8.RuneCountInString(prefix) > MaxUPNPrefixLength {
		v = append(v, Violation{RuleUPNPrefixLength, "has more than 64 characters before '@'"})
	}
	if utf8.RuneCountInString(domain) > MaxUPNDomainLength {
		v = append(v, Violation{RuleUPNDomainLength, "has more than 48 characters after '@'"})
	}
	if strings.HasSuffix(prefix, ".") {
		v = append(v, Violation{RuleUPNDotBeforeAt, "has '.' immediately before '@'"})
	}
	for _, r := range prefix {
		if !upnPrefixRune(r) {
			v = append(v, Violation{RuleUPNCharacter, "has a character that is not allowed before '@'"})
			break
		}
	}
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			v = append(v, Violation{RuleUPNCharacter, "has a character that is not allowed in its domain"})
			break
		}
	}
	return v
}

// upnPrefixRune reports whether r may appear before '@': A-Z, a-z, 0-9 and ' . - _ ! # ^ ~.
func upnPrefixRune(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	}
	return strings.ContainsRune("'.-_!#^~", r)
}

// EqualFold reports whether a and b are the same identifier (userPrincipalName, mail, proxy
// address) ignoring case. ASCII letters fold to each other; a non-ASCII letter folds only to a
// non-ASCII letter with the same simple upper-case mapping. Full Unicode folding is never used,
// so the Kelvin sign, the long s and the dotless i do not equal k, s and i.
func EqualFold(a, b string) bool {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		a, b = a[na:], b[nb:]
		if ra == rb {
			continue
		}
		if ra < utf8.RuneSelf || rb < utf8.RuneSelf {
			if ra >= utf8.RuneSelf || rb >= utf8.RuneSelf {
				return false
			}
			if 'A' <= ra && ra <= 'Z' {
				ra += 'a' - 'A'
			}
			if 'A' <= rb && rb <= 'Z' {
				rb += 'a' - 'A'
			}
			if ra != rb {
				return false
			}
			continue
		}
		if unicode.ToUpper(ra) != unicode.ToUpper(rb) {
			return false
		}
	}
	return a == b
}
