package validation_test

import (
	"testing"

	"github.com/hybridid/hybridid/validation"
)

// A suggested value never breaks the rule it corrects, and validation never panics.
func FuzzSuggestions(f *testing.F) {
	f.Add("jürgen müller.@corp.example.com", "SMTP:zoë (x)@corp.example.com", ".nick", "sam+one", "SMTP:a b@example.org")
	f.Add("..a@b..c", "X500:/o=a (b)/cn=o'c", "", "abcdefghijklmnopqrstuvwxyz", "x")
	f.Fuzz(func(t *testing.T, upn, proxy, nick, sam, target string) {
		o := user("ann")
		o.UserPrincipalName, o.MailNickname, o.SAMAccountName, o.TargetAddress = upn, nick, sam, target
		o.ProxyAddresses = []string{"SMTP:ann@corp.example.com", proxy}
		for _, f := range validation.Validate(validation.Config{}, []validation.Object{o}) {
			if f.Fix != validation.Replace {
				continue
			}
			fixed := o
			fixed.ProxyAddresses = append([]string(nil), o.ProxyAddresses...)
			switch f.Attribute {
			case "userPrincipalName":
				fixed.UserPrincipalName = f.Suggested
			case "mailNickname":
				fixed.MailNickname = f.Suggested
			case "sAMAccountName":
				fixed.SAMAccountName = f.Suggested
			case "targetAddress":
				fixed.TargetAddress = f.Suggested
			case "proxyAddresses":
				fixed.ProxyAddresses[1] = f.Suggested
			}
			for _, g := range validation.Validate(validation.Config{}, []validation.Object{fixed}) {
				if g.Rule == f.Rule && g.Value == f.Suggested {
					t.Fatalf("suggestion %q for %q still breaks %s", f.Suggested, f.Value, f.Rule)
				}
			}
		}
	})
}
