package matching

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// RuleID names one identifier rule. The ids are stable: the matching engine, the pre-sync
// validation and their JSON output use them.
type RuleID string

// The userPrincipalName rules. The first six are Microsoft's username policy for Entra accounts
// (the "Username policies" table of
// https://learn.microsoft.com/entra/identity/authentication/concept-sspr-policy): before '@'
// only A-Z, a-z, 0-9 and ' . - _ ! # ^ ~; '@' only as the separator; no '.' immediately before
// '@'; at most 113 characters in all, 64 before '@' and 48 after it. The last two are the
// engine's own (the policy is silent on them; see docs/engine.md).
const (
	RuleUPNEmpty        RuleID = "upn-empty"
	RuleUPNFormat       RuleID = "upn-format"        // exactly one '@', a prefix and a domain
	RuleUPNCharacter    RuleID = "upn-character"     // a character outside the allowed set
	RuleUPNDotBeforeAt  RuleID = "upn-dot-before-at" // '.' immediately before '@'
	RuleUPNLength       RuleID = "upn-length"        // more than 113 characters in all
	RuleUPNPrefixLength RuleID = "upn-prefix-length" // more than 64 characters before '@'
	RuleUPNDomainLength RuleID = "upn-domain-length" // more than 48 characters after '@'
	// RuleUPNDots: a prefix starting with '.' or holding "..". Not in Microsoft's table; the
	// engine's choice (such a name is not a valid e-mail style address).
	RuleUPNDots RuleID = "upn-dots"
	// RuleUPNDomain: a domain that is not dot-separated labels of letters, digits and '-'
	// (an empty label, a leading or trailing '.'). The engine's choice, from DNS name syntax.
	RuleUPNDomain RuleID = "upn-domain"
)

// Violation is one identifier rule a value breaks.
type Violation struct {
	Rule    RuleID
	Message string // says what is wrong with the value, without repeating it
}

// UPN length limits of Microsoft's username policy, in characters.
const (
	MaxUPNLength       = 113
	MaxUPNPrefixLength = 64
	MaxUPNDomainLength = 48
)

// What Entra does with a userPrincipalName that breaks these rules, as the engine predicts it
// (docs/engine.md has the sources): a user whose UPN breaks any rule is refused with
// IdentityDataValidationFailed ("Data validation failure"), which Microsoft's sync error
// reference names for a UPN with invalid characters or format. Another Microsoft page says a UPN
// with invalid characters is replaced by mailNickname@<initial domain>, as is one whose suffix
// is not a verified domain; the engine keeps that replacement for the unverified suffix only and
// predicts the refusal for a broken UPN. The length rules are not named by either page: the
// engine treats them like the character rules.

// CheckUPN returns the userPrincipalName rules upn breaks, or nil when it breaks none. It does
// not allocate for a valid value.
func CheckUPN(upn string) []Violation {
	if upn == "" {
		return []Violation{{RuleUPNEmpty, "is empty"}}
	}
	if plainUPN(upn) {
		return nil
	}
	at := strings.IndexByte(upn, '@')
	if at <= 0 || at == len(upn)-1 || strings.IndexByte(upn[at+1:], '@') >= 0 {
		return []Violation{{RuleUPNFormat, "must be one name, one '@' and one domain"}}
	}
	var v []Violation
	prefix, domain := upn[:at], upn[at+1:]
	if utf8.RuneCountInString(upn) > MaxUPNLength {
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
	if prefix[0] == '.' || strings.Contains(prefix, "..") {
		v = append(v, Violation{RuleUPNDots, "starts with '.' or has \"..\" before '@'"})
	}
	for i := 0; i < len(prefix); {
		r, n := utf8.DecodeRuneInString(prefix[i:])
		if r == utf8.RuneError && n <= 1 || !upnPrefixRune(r) {
			v = append(v, Violation{RuleUPNCharacter, "has " + describeRune(prefix[i:], r, n) + " before '@' (allowed: A-Z a-z 0-9 ' . - _ ! # ^ ~)"})
			break
		}
		i += n
	}
	for i := 0; i < len(domain); {
		r, n := utf8.DecodeRuneInString(domain[i:])
		if !(r < utf8.RuneSelf && (isAlnumByte(byte(r)) || r == '-' || r == '.')) {
			v = append(v, Violation{RuleUPNCharacter, "has " + describeRune(domain[i:], r, n) + " in its domain (allowed: A-Z a-z 0-9 - .)"})
			break
		}
		i += n
	}
	if domain[0] == '.' || domain[len(domain)-1] == '.' || strings.Contains(domain, "..") {
		v = append(v, Violation{RuleUPNDomain, "has an empty label in its domain"})
	}
	return v
}

// describeRune names the character r (n bytes at the start of s) for a message, escaping
// anything that is not a printable character.
func describeRune(s string, r rune, n int) string {
	switch {
	case r == utf8.RuneError && n <= 1:
		return "the byte 0x" + hexByte(s[0]) + " (not UTF-8)"
	case r == ' ':
		return "a space"
	case unicode.IsPrint(r):
		return "the character " + string(r) + " (U+" + strings.ToUpper(hexRune(r)) + ")"
	default:
		return "the character U+" + strings.ToUpper(hexRune(r))
	}
}

func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}

func hexRune(r rune) string {
	const digits = "0123456789abcdef"
	var b [8]byte
	i := len(b)
	for v := uint32(r); ; v >>= 4 {
		i--
		b[i] = digits[v&15]
		if v < 16 && len(b)-i >= 4 {
			break
		}
	}
	return string(b[i:])
}

func isAlnumByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// upnPrefixRune reports whether r may appear before '@': A-Z, a-z, 0-9 and ' . - _ ! # ^ ~.
func upnPrefixRune(r rune) bool {
	if r < utf8.RuneSelf && isAlnumByte(byte(r)) {
		return true
	}
	switch r {
	case '\'', '.', '-', '_', '!', '#', '^', '~':
		return true
	}
	return false
}

// plainUPN is CheckUPN's fast path: one pass over an ASCII value that breaks no rule.
func plainUPN(upn string) bool {
	if len(upn) > MaxUPNLength {
		return false
	}
	at := -1
	prev := byte('.') // a leading '.' counts as following a '.'
	for i := 0; i < len(upn); i++ {
		c := upn[i]
		switch {
		case c == '@':
			if at >= 0 || prev == '.' || i > MaxUPNPrefixLength {
				return false
			}
			at = i
		case c == '.':
			if prev == '.' || prev == '@' {
				return false
			}
		case isAlnumByte(c) || c == '-':
		case at < 0 && (c == '\'' || c == '_' || c == '!' || c == '#' || c == '^' || c == '~'):
		default:
			return false
		}
		prev = c
	}
	return at > 0 && prev != '.' && prev != '@' && len(upn)-at-1 <= MaxUPNDomainLength
}

// FoldHash returns a 64-bit hash of the identifier s that agrees with EqualFold: EqualFold(a, b)
// implies FoldHash(a) == FoldHash(b). Indexes keyed by identifiers (the engine's, package
// validation's) hash with it and confirm with EqualFold. It allocates nothing, and its value is
// the same in every process.
func FoldHash(s string) uint64 { return foldHash(s) }

// EqualFold reports whether a and b are the same identifier (userPrincipalName, mail, proxy
// address) ignoring case, the way the engine models Entra's uniqueness checks: ASCII letters
// fold to each other; a non-ASCII character folds only to a non-ASCII character with the same
// simple upper-case mapping (unicode.ToUpper); bytes that are not UTF-8 compare as bytes. Full
// Unicode folding is never used, so the Kelvin sign (U+212A), the long s (U+017F), the dotless
// i (U+0131) and the dotted capital I (U+0130) never equal k, s or i. Entra's exact comparison
// is not documented; docs/engine.md says why the engine takes this one.
func EqualFold(a, b string) bool {
	i := 0
	for ; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca|cb >= utf8.RuneSelf {
			return equalFoldRunes(a[i:], b[i:])
		}
		if ca == cb {
			continue
		}
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return false
		}
	}
	return len(a) == len(b)
}

// equalFoldRunes is EqualFold from the first non-ASCII byte on.
func equalFoldRunes(a, b string) bool {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		badA, badB := ra == utf8.RuneError && na == 1, rb == utf8.RuneError && nb == 1
		switch {
		case badA || badB:
			if !badA || !badB || a[0] != b[0] {
				return false
			}
		case ra == rb:
		case ra < utf8.RuneSelf && rb < utf8.RuneSelf:
			if foldASCII(byte(ra)) != foldASCII(byte(rb)) {
				return false
			}
		case ra < utf8.RuneSelf || rb < utf8.RuneSelf:
			return false
		case unicode.ToUpper(ra) != unicode.ToUpper(rb):
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == b
}

func foldASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// HasSuffixFold reports whether s ends with suffix under EqualFold. suffix must be ASCII.
func HasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && EqualFold(s[len(s)-len(suffix):], suffix)
}
