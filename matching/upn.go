package matching

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// primarySMTP returns the address of the primary proxy address: the value with the upper-case
// "SMTP:" prefix (reference §2.1, §7). Whether the service also treats other spellings of the
// prefix as primary is UNDOCUMENTED (§8); the engine takes only "SMTP:".
func primarySMTP(proxies []string) string {
	for _, p := range proxies {
		if len(p) > 5 && p[:5] == "SMTP:" {
			return p[5:]
		}
	}
	return ""
}

// smtpAddress returns the address of an SMTP proxy value of either case, or "".
func smtpAddress(p string) string {
	if len(p) > 5 && p[4] == ':' && strings.EqualFold(p[:4], "smtp") {
		return p[5:]
	}
	return ""
}

// localPart returns the part of an address before the last '@', or "" without one.
func localPart(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i > 0 {
		return addr[:i]
	}
	return ""
}

// domainPart returns the part of an address after the last '@'.
func domainPart(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}

// onPremSMTP returns the primary SMTP address the on-premises object exports: its "SMTP:" proxy
// address, or, when proxyAddresses holds none, its mail (Entra computes proxyAddresses from mail
// then; INFERENCE, see doc.go). fromMail says which.
func onPremSMTP(o *OnPrem) (addr string, fromMail bool) {
	if a := primarySMTP(o.ProxyAddresses); a != "" {
		return a, false
	}
	if o.Mail != "" && strings.IndexByte(o.Mail, '@') > 0 {
		return o.Mail, true
	}
	return "", false
}

// upnProblem returns why upn is not a valid userPrincipalName, or "" when it is. The format
// rules are the engine's (reference §3 only says "invalid characters / format"): exactly one
// '@', a non-empty prefix without leading, trailing or doubled dots, a domain of letters,
// digits, '-' and '.', and no spaces or control characters anywhere.
func upnProblem(upn string) string {
	if upn == "" {
		return "is empty"
	}
	if asciiUPNOK(upn) {
		return ""
	}
	if !utf8.ValidString(upn) {
		return "is not valid UTF-8"
	}
	at := strings.IndexByte(upn, '@')
	if at < 0 {
		return "has no '@'"
	}
	if strings.IndexByte(upn[at+1:], '@') >= 0 {
		return "has more than one '@'"
	}
	prefix, domain := upn[:at], upn[at+1:]
	if prefix == "" {
		return "has nothing before '@'"
	}
	for _, r := range upn {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return "contains a space or control character"
		}
	}
	if prefix[0] == '.' || prefix[len(prefix)-1] == '.' || strings.Contains(prefix, "..") {
		return "has a leading, trailing or doubled '.' before '@'"
	}
	if domain == "" || domain[0] == '.' || domain[len(domain)-1] == '.' || strings.Contains(domain, "..") {
		return "has an invalid domain after '@'"
	}
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return "has the character " + strings.ToValidUTF8(string(rune(c)), "?") + " in its domain"
		}
	}
	return ""
}

// mailNicknameOf derives the cloud mailNickname at first sync (reference §3.1, [UPN]): the first
// of on-premises mailNickname, primary SMTP prefix, mail prefix, UPN prefix, secondary smtp prefix.
func mailNicknameOf(o *OnPrem) string {
	if o.MailNickname != "" {
		return o.MailNickname
	}
	if p := localPart(primarySMTP(o.ProxyAddresses)); p != "" {
		return p
	}
	if p := localPart(o.Mail); p != "" {
		return p
	}
	if p := localPart(o.UserPrincipalName); p != "" {
		return p
	}
	for _, v := range o.ProxyAddresses {
		if a := smtpAddress(v); a != "" {
			if p := localPart(a); p != "" {
				return p
			}
		}
	}
	return ""
}

// domains is the tenant's verified domains, looked up case-insensitively.
type domains struct {
	byHash  map[uint64][]string
	initial string
}

func newDomains(ds []Domain) domains {
	d := domains{byHash: make(map[uint64][]string, len(ds))}
	for _, x := range ds {
		h := foldHash(x.Name)
		d.byHash[h] = append(d.byHash[h], x.Name)
		if x.IsInitial && d.initial == "" {
			d.initial = x.Name
		}
	}
	if d.initial == "" {
		for _, x := range ds {
			if strings.HasSuffix(strings.ToLower(x.Name), ".onmicrosoft.com") {
				d.initial = x.Name
				break
			}
		}
	}
	return d
}

func (d domains) verified(name string) bool {
	for _, n := range d.byHash[foldHash(name)] {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

func (d domains) initialName() string {
	if d.initial == "" {
		return "<initial domain>.onmicrosoft.com"
	}
	return d.initial
}

// placeholderDigits returns the 4 digits duplicate attribute resiliency appends to a
// quarantined UPN prefix. Entra picks them at random (reference §3.1); the engine derives them
// from the anchor so that the same input always gives the same output.
func placeholderDigits(anchorText string) string {
	n := exactHash(anchorText) % 10000
	b := [4]byte{'0', '0', '0', '0'}
	for i := 3; i >= 0 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[:])
}

// asciiUPNOK is the fast path of upnProblem: an all-ASCII UPN that obviously passes every rule.
func asciiUPNOK(upn string) bool {
	at := -1
	prev := byte('.')
	for i := 0; i < len(upn); i++ {
		c := upn[i]
		switch {
		case c <= ' ' || c >= 0x7f:
			return false
		case c == '@':
			if at >= 0 || prev == '.' {
				return false
			}
			at = i
		case c == '.':
			if prev == '.' || prev == '@' {
				return false
			}
		case at >= 0 && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'):
			return false
		}
		prev = c
	}
	return at > 0 && prev != '.' && prev != '@'
}
