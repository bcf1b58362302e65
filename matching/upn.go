package matching

import (
	"strings"
)

// primarySMTP returns the address of the primary proxy address: the value with the upper-case
// "SMTP:" prefix (docs/entra-rules.md §2.1, §7). Whether the service also treats other spellings of the
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
	if len(p) > 5 && p[4] == ':' && EqualFold(p[:4], "smtp") {
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

// mailNicknameOf derives the cloud mailNickname at first sync (docs/entra-rules.md §3.1, [UPN]): the first
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
			if HasSuffixFold(x.Name, ".onmicrosoft.com") {
				d.initial = x.Name
				break
			}
		}
	}
	return d
}

func (d domains) verified(name string) bool {
	for _, n := range d.byHash[foldHash(name)] {
		if EqualFold(n, name) {
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
// quarantined UPN prefix. Entra picks them at random (docs/entra-rules.md §3.1); the engine derives them
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
