package validation_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/validation"
)

// attrs is an entry's attributes in input order, as name/value pairs.
type attrs []string

// object builds a record through NewObject, as the readers do.
func object(dn string, a attrs) validation.Object {
	return validation.NewObject(dn, "test", func(yield func(string, []string) bool) {
		for i := 0; i+1 < len(a); i += 2 {
			if !yield(a[i], []string{a[i+1]}) {
				return
			}
		}
	})
}

// user is a clean user with the given attributes added or overriding.
func user(name string, extra ...string) validation.Object {
	a := attrs{"objectClass", "user", "sAMAccountName", name, "userPrincipalName", name + "@corp.example.com",
		"mail", name + "@corp.example.com", "mailNickname", name, "proxyAddresses", "SMTP:" + name + "@corp.example.com"}
	o := object("CN="+name+",OU=Users,DC=corp,DC=example,DC=com", append(a, extra...))
	for i := 0; i+1 < len(extra); i += 2 {
		set(&o, extra[i], extra[i+1])
	}
	return o
}

// set overrides one attribute of o (NewObject keeps the first value it sees of most).
func set(o *validation.Object, name, v string) {
	switch name {
	case "userPrincipalName":
		o.UserPrincipalName = v
	case "mail":
		o.Mail = v
	case "mailNickname":
		o.MailNickname = v
	case "sAMAccountName":
		o.SAMAccountName = v
	case "proxyAddresses+":
		o.ProxyAddresses = append(append([]string(nil), o.ProxyAddresses...), v)
	case "proxyAddresses":
		o.ProxyAddresses = []string{v}
	case "cn":
		o.CN = v
	}
}

func group(name string, proxies ...string) validation.Object {
	o := object("CN="+name+",OU=Groups,DC=corp,DC=example,DC=com", attrs{"objectClass", "group", "sAMAccountName", name})
	o.ProxyAddresses = proxies
	return o
}

func withProxies(o validation.Object, p ...string) validation.Object {
	o.ProxyAddresses = p
	return o
}

// Raw attribute values as an LDIF reader delivers them.
var (
	guidA = string([]byte{0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff})
	guidB = string([]byte{0x34, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff})
	sid   = string([]byte{1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xe9, 3, 0, 0})
)

var tenant = &matching.TenantState{Domains: []matching.Domain{
	{Name: "corp.example.com", IsDefault: true},
	{Name: "example.onmicrosoft.com", IsInitial: true},
}}

// TestRules has one case per rule. Each names its source: IdFix's documented rules ("Errors
// supported by the IdFix tool"), Microsoft 365's "Prepare for directory synchronization"
// attribute list (M365-PREP), or the Entra rules of docs/entra-rules.md.
func TestRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		tenant    *matching.TenantState
		objects   []validation.Object
		rule      validation.RuleID
		value     string
		cons      validation.Consequence
		fix       validation.Fix
		suggested string
	}{
		// IdFix well-known exclusions.
		{name: "IdFix exclusion Admini*", objects: []validation.Object{user("Administrator")}, rule: validation.RuleExcludedName, value: "Administrator"},
		{name: "IdFix exclusion krbtgt*", objects: []validation.Object{user("krbtgt")}, rule: validation.RuleExcludedName, value: "krbtgt"},
		{name: "IdFix exclusion SystemMailbox*", objects: []validation.Object{user("SystemMailbox{1f05a927}")}, rule: validation.RuleExcludedName, value: "SystemMailbox{1f05a927}"},
		{name: "IdFix exclusion names ending in $", objects: []validation.Object{user("svc01$")}, rule: validation.RuleExcludedAccount, value: "svc01$"},
		{name: "IdFix exclusion CNF conflict objects", objects: []validation.Object{object(`CN=jane\0ACNF:8be74422-b0d9-47ec-b861-e7de1a9cfb20,OU=Users,DC=corp,DC=example,DC=com`, attrs{"objectClass", "user"})}, rule: validation.RuleExcludedConflict},
		{name: "IdFix exclusion isCriticalSystemObject", objects: []validation.Object{user("dnsadmin", "isCriticalSystemObject", "TRUE")}, rule: validation.RuleExcludedCritical, value: "TRUE"},
		// Entra LargeObject / data validation (docs/entra-rules.md §3).
		{name: "Entra invalid objectGUID bytes", objects: []validation.Object{user("jane", "objectGUID", "short")}, rule: validation.RuleAttributeInvalid, cons: validation.Block},
		// docs/entra-rules.md §1.5, Summary 1: the source anchor is unique (a copied mS-DS-ConsistencyGuid).
		{name: "Entra anchor duplicate", objects: []validation.Object{user("ann", "objectGUID", guidA), user("bob", "objectGUID", guidB, "mS-DS-ConsistencyGuid", guidA)},
			rule: validation.RuleAnchorDuplicate, value: "00112233-4455-6677-8899-aabbccddeeff", cons: validation.Block},
		// docs/entra-rules.md §3: OnPremiseSecurityIdentifier is unique (AttributeValueMustBeUnique).
		{name: "Entra objectSid duplicate", objects: []validation.Object{user("ann", "objectSid", sid), user("bob", "objectSid", sid)},
			rule: validation.RuleSIDDuplicate, value: "S-1-5-21-1-2-3-1001", cons: validation.Block},
		// IdFix mail: no duplicates; M365-PREP: later users are not synced.
		{name: "IdFix mail duplicate", objects: []validation.Object{user("ann"), user("bob", "mail", "ANN@corp.example.com")}, rule: validation.RuleMailDuplicate, value: "ANN@corp.example.com", cons: validation.Block},
		// IdFix mailNickname: may not begin with a period; no duplicates.
		{name: "IdFix mailNickname leading period", objects: []validation.Object{user("ann", "mailNickname", ".ann")}, rule: validation.RuleMailNicknameLeadingPeriod, value: ".ann", cons: validation.Block, fix: validation.Replace, suggested: "ann"},
		{name: "IdFix mailNickname duplicate", objects: []validation.Object{user("ann"), user("bob", "mailNickname", "Ann")}, rule: validation.RuleMailNicknameDuplicate, value: "Ann", cons: validation.Block},
		// Entra KB 3190357: values without a type prefix are discarded.
		{name: "Entra proxy without prefix", objects: []validation.Object{withProxies(user("ann"), "ann@corp.example.com")}, rule: validation.RuleProxyPrefix, value: "ann@corp.example.com"},
		// IdFix proxyAddresses: invalid chars whitespace < > ( ) ; , [ ] ".
		{name: "IdFix proxy whitespace", objects: []validation.Object{withProxies(user("ann"), "SMTP:ann lee@corp.example.com")}, rule: validation.RuleProxyCharacter, value: "SMTP:ann lee@corp.example.com", cons: validation.Block, fix: validation.Replace, suggested: "SMTP:annlee@corp.example.com"},
		{name: "IdFix proxy parenthesis in smtp", objects: []validation.Object{withProxies(user("ann"), "SMTP:ann(x)@corp.example.com")}, rule: validation.RuleProxyCharacter, value: "SMTP:ann(x)@corp.example.com", cons: validation.Block, fix: validation.Replace, suggested: "SMTP:annx@corp.example.com"},
		// M365-PREP: letters with diacritical marks are invalid.
		{name: "M365 proxy diacritic", objects: []validation.Object{withProxies(user("ann"), "SMTP:zoë@corp.example.com")}, rule: validation.RuleProxyCharacter, value: "SMTP:zoë@corp.example.com", cons: validation.Block, fix: validation.Replace, suggested: "SMTP:zoe@corp.example.com"},
		// IdFix proxyAddresses: rfc2822 & routable namespace (smtp only).
		{name: "IdFix proxy smtp RFC 5322", objects: []validation.Object{withProxies(user("ann"), "SMTP:ann..lee@corp.example.com")}, rule: validation.RuleProxySMTPFormat, value: "SMTP:ann..lee@corp.example.com", cons: validation.Block},
		{name: "IdFix proxy smtp routable namespace", objects: []validation.Object{withProxies(user("ann"), "SMTP:ann@corp.example.com", "smtp:ann@corp.local")}, rule: validation.RuleProxySMTPRoutable, value: "smtp:ann@corp.local"},
		// Entra KB 3190357: unverified domains are dropped.
		{name: "Entra proxy smtp unverified domain", tenant: tenant, objects: []validation.Object{withProxies(user("ann"), "SMTP:ann@corp.example.com", "smtp:ann@other.example.org")}, rule: validation.RuleProxySMTPUnverified, value: "smtp:ann@other.example.org"},
		// Issue: X500 judged as X500 (IdFix users report () and ' flagged wrongly); KB 3190357 discards malformed values.
		{name: "X500 malformed path", objects: []validation.Object{withProxies(user("ann"), "SMTP:ann@corp.example.com", "X500:o=Org")}, rule: validation.RuleProxyX500Format, value: "X500:o=Org"},
		// IdFix proxyAddresses: single value maximum number of characters: 256.
		{name: "IdFix proxy longer than 256", objects: []validation.Object{withProxies(user("ann"), "SMTP:ann@corp.example.com", "smtp:"+strings.Repeat("a", 60)+"@"+strings.Repeat("b", 200)+".com")}, rule: validation.RuleProxyLength, cons: validation.Block},
		// IdFix proxyAddresses: no duplicates (users, groups, contacts); Entra §3.1 quarantines smtp duplicates.
		{name: "IdFix proxy duplicate smtp quarantined", objects: []validation.Object{user("ann"), withProxies(user("bob"), "SMTP:bob@corp.example.com", "smtp:ann@corp.example.com")}, rule: validation.RuleProxyDuplicate, value: "smtp:ann@corp.example.com", cons: validation.Quarantine, fix: validation.Delete},
		// Entra §3.1 known gap: a user's secondary smtp equal to a group's primary SMTP fails.
		{name: "Entra proxy user secondary vs group primary", objects: []validation.Object{group("sales", "SMTP:sales@corp.example.com"), withProxies(user("bob"), "SMTP:bob@corp.example.com", "smtp:sales@corp.example.com")}, rule: validation.RuleProxyDuplicate, value: "smtp:sales@corp.example.com", cons: validation.Block, fix: validation.Delete},
		// Entra §3.1: resiliency covers smtp only, so other duplicates are refused.
		{name: "Entra proxy duplicate X500 refused", objects: []validation.Object{withProxies(user("ann"), "SMTP:ann@corp.example.com", "X500:/o=Org/cn=Recipients/cn=ann"), withProxies(user("bob"), "SMTP:bob@corp.example.com", "x500:/o=Org/cn=Recipients/cn=ANN")}, rule: validation.RuleProxyDuplicate, value: "x500:/o=Org/cn=Recipients/cn=ANN", cons: validation.Block, fix: validation.Delete},
		// docs/entra-rules.md §7: only one uppercase SMTP: (primary).
		{name: "Entra proxy second primary", objects: []validation.Object{withProxies(user("ann"), "SMTP:ann@corp.example.com", "SMTP:a.lee@corp.example.com")}, rule: validation.RuleProxyMultiplePrimary, value: "SMTP:a.lee@corp.example.com", cons: validation.Block, fix: validation.Replace, suggested: "smtp:a.lee@corp.example.com"},
		// docs/entra-rules.md §3 LargeObject: about 300–332 proxyAddresses.
		{name: "Entra LargeObject proxy count", objects: []validation.Object{withProxies(user("ann"), manyProxies(301)...)}, rule: validation.RuleProxyCount, cons: validation.Block},
		// docs/entra-rules.md §3 LargeObject: hard limit of 15 certificates.
		{name: "Entra LargeObject certificates", objects: []validation.Object{certs(user("ann"), 16)}, rule: validation.RuleCertificateCount, cons: validation.Block},
		// IdFix sAMAccountName (only if no userPrincipalName value).
		{name: "IdFix sAMAccountName characters", objects: []validation.Object{user("ann", "userPrincipalName", "", "sAMAccountName", "ann+lee")}, rule: validation.RuleSAMCharacter, value: "ann+lee", cons: validation.Block, fix: validation.Replace, suggested: "ann_lee"},
		{name: "IdFix sAMAccountName longer than 20", objects: []validation.Object{user("ann", "userPrincipalName", "", "sAMAccountName", "abcdefghijklmnopqrstuvw")}, rule: validation.RuleSAMLength, value: "abcdefghijklmnopqrstuvw", cons: validation.Block, fix: validation.Replace, suggested: "abcdefghijklmnopqrst"},
		{name: "IdFix sAMAccountName duplicate", objects: []validation.Object{user("ann", "userPrincipalName", ""), user("ann2", "userPrincipalName", "", "sAMAccountName", "ANN")}, rule: validation.RuleSAMDuplicate, value: "ANN", cons: validation.Block},
		// IdFix targetAddress rules.
		{name: "IdFix targetAddress characters", objects: []validation.Object{user("ann", "targetAddress", "SMTP:ann lee@example.org")}, rule: validation.RuleTargetCharacter, value: "SMTP:ann lee@example.org", cons: validation.Block, fix: validation.Replace, suggested: "SMTP:annlee@example.org"},
		{name: "IdFix targetAddress routable RFC 5322", objects: []validation.Object{user("ann", "targetAddress", "SMTP:ann@mail.local")}, rule: validation.RuleTargetFormat, value: "SMTP:ann@mail.local", cons: validation.Block},
		{name: "IdFix targetAddress longer than 255", objects: []validation.Object{user("ann", "targetAddress", "SMTP:"+strings.Repeat("a", 60)+"@"+strings.Repeat("b", 200)+".org")}, rule: validation.RuleTargetLength, cons: validation.Block},
		{name: "IdFix targetAddress duplicate", objects: []validation.Object{user("ann", "targetAddress", "SMTP:x@example.org"), user("bob", "targetAddress", "smtp:X@example.org")}, rule: validation.RuleTargetDuplicate, value: "smtp:X@example.org", cons: validation.Block},
		// IdFix / M365-PREP userPrincipalName rules, through matching.CheckUPN.
		{name: "Entra UPN empty", objects: []validation.Object{user("ann", "userPrincipalName", "")}, rule: matching.RuleUPNEmpty, cons: validation.Block},
		{name: "IdFix UPN format", objects: []validation.Object{user("ann", "userPrincipalName", "ann.corp.example.com")}, rule: matching.RuleUPNFormat, value: "ann.corp.example.com", cons: validation.Block},
		{name: "IdFix UPN characters and umlaut", objects: []validation.Object{user("ann", "userPrincipalName", "jürgen müller@corp.example.com")}, rule: matching.RuleUPNCharacter, value: "jürgen müller@corp.example.com", cons: validation.Block, fix: validation.Replace, suggested: "jurgenmuller@corp.example.com"},
		{name: "M365 UPN name ends with a period", objects: []validation.Object{user("ann", "userPrincipalName", "ann.@corp.example.com")}, rule: matching.RuleUPNDotBeforeAt, value: "ann.@corp.example.com", cons: validation.Block, fix: validation.Replace, suggested: "ann@corp.example.com"},
		{name: "IdFix UPN longer than 113", objects: []validation.Object{user("ann", "userPrincipalName", strings.Repeat("a", 64)+"@"+strings.Repeat("b", 20)+"."+strings.Repeat("c", 27)+".com")}, rule: matching.RuleUPNLength, cons: validation.Block},
		{name: "IdFix UPN 64 before @", objects: []validation.Object{user("ann", "userPrincipalName", strings.Repeat("a", 65)+"@corp.example.com")}, rule: matching.RuleUPNPrefixLength, cons: validation.Block},
		{name: "IdFix UPN 48 after @", objects: []validation.Object{user("ann", "userPrincipalName", "ann@"+strings.Repeat("b", 45)+".com")}, rule: matching.RuleUPNDomainLength, cons: validation.Block},
		{name: "IdFix UPN RFC 5322 dot-atom", objects: []validation.Object{user("ann", "userPrincipalName", ".ann..lee@corp.example.com")}, rule: validation.RuleUPNDotAtom, value: ".ann..lee@corp.example.com", cons: validation.Block, fix: validation.Replace, suggested: "ann.lee@corp.example.com"},
		{name: "IdFix UPN routable namespace", objects: []validation.Object{user("ann", "userPrincipalName", "ann@corp.local")}, rule: validation.RuleUPNRoutable, value: "ann@corp.local", cons: validation.Rename},
		// docs/entra-rules.md §3.1, §5: an unverified suffix gives mailNickname@initial domain.
		{name: "Entra UPN unverified suffix", tenant: tenant, objects: []validation.Object{user("ann", "userPrincipalName", "ann@corp.local")}, rule: validation.RuleUPNUnverified, value: "ann@corp.local", cons: validation.Rename, fix: validation.Replace, suggested: "ann@corp.example.com"},
		// IdFix UPN no duplicates; Entra §3.1 quarantines the later one.
		{name: "IdFix UPN duplicate", objects: []validation.Object{user("ann"), user("bob", "userPrincipalName", "Ann@Corp.Example.com")}, rule: validation.RuleUPNDuplicate, value: "Ann@Corp.Example.com", cons: validation.Quarantine},
	}
	seen := map[validation.RuleID]bool{}
	for _, tt := range tests {
		seen[tt.rule] = true
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := validation.Validate(validation.Config{Tenant: tt.tenant}, tt.objects)
			var got *validation.Finding
			for i := range fs {
				if fs[i].Rule == tt.rule {
					got = &fs[i]
					break
				}
			}
			require.NotNil(t, got, "rule %s not reported; findings: %+v", tt.rule, fs)
			rule, ok := validation.Lookup(tt.rule)
			require.True(t, ok)
			assert.Equal(t, rule.Severity, got.Severity)
			if tt.value != "" {
				assert.Equal(t, tt.value, got.Value)
			}
			assert.Equal(t, tt.cons, got.Consequence)
			assert.Equal(t, tt.fix, got.Fix)
			assert.Equal(t, tt.suggested, got.Suggested)
			assert.NotEmpty(t, got.Message)
			assert.NotContains(t, got.Message, "§")
		})
	}
	// Every rule but the two that need the engine's report (TestCollisions) has a case.
	for _, r := range validation.Rules() {
		if r.ID == validation.RuleCloudCollision || r.ID == validation.RuleEngineBlocked {
			continue
		}
		assert.True(t, seen[r.ID], "no test case for rule %s", r.ID)
	}
}

func manyProxies(n int) []string {
	out := []string{"SMTP:ann@corp.example.com"}
	for i := 1; i < n; i++ {
		out = append(out, "smtp:ann"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+itoa(i)+"@corp.example.com")
	}
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func certs(o validation.Object, n int) validation.Object {
	o.Certificates = n
	return o
}

// Values that IdFix users report as wrongly flagged, and clean objects, give no findings.
func TestClean(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		obj  validation.Object
	}{
		{"clean user", user("ann")},
		{"X500 with parentheses and apostrophe", withProxies(user("ann"), "SMTP:ann@corp.example.com",
			"X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=o'brien")},
		{"X400 with spaces and semicolons", withProxies(user("ann"), "SMTP:ann@corp.example.com", "X400:C=US;A= ;P=Org;O=Exchange;S=Lee;G=Ann;")},
		{"apostrophe in UPN and smtp", user("o'brien")},
		{"group without UPN and a long name", object("CN=all-staff-of-the-northern-region,OU=Groups,DC=corp,DC=example,DC=com",
			attrs{"objectClass", "group", "sAMAccountName", "all-staff-of-the-northern-region"})},
		{"computer is not checked", object("CN=PC1,OU=Computers,DC=corp,DC=example,DC=com", attrs{"objectClass", "user", "objectClass", "computer"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Empty(t, validation.Validate(validation.Config{}, []validation.Object{tt.obj}))
		})
	}
}

// Excluded objects are not checked and their values do not count as duplicates.
func TestExcludedNotIndexed(t *testing.T) {
	t.Parallel()
	admin := user("Administrator", "userPrincipalName", "ann@corp.example.com")
	fs := validation.Validate(validation.Config{}, []validation.Object{admin, user("ann")})
	require.Len(t, fs, 1)
	assert.Equal(t, validation.RuleExcludedName, fs[0].Rule)
}

// docs/validation.md lists every rule.
func TestDocsListEveryRule(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "docs", "validation.md"))
	require.NoError(t, err)
	for _, r := range validation.Rules() {
		assert.Contains(t, string(b), "| `"+string(r.ID)+"` |", "docs/validation.md does not list %s", r.ID)
	}
}

// When a primary address is a secondary one of an earlier object, the secondary copy is the one
// to delete, whatever order the directory returns the objects in.
func TestProxyDuplicatePrimaryLater(t *testing.T) {
	t.Parallel()
	cy := withProxies(user("cy"), "SMTP:cy@corp.example.com", "smtp:ann@corp.example.com")
	fs := validation.Validate(validation.Config{}, []validation.Object{cy, user("ann")})
	require.Len(t, fs, 1)
	assert.Equal(t, cy.DN, fs[0].DN)
	assert.Equal(t, "smtp:ann@corp.example.com", fs[0].Value)
	assert.Equal(t, validation.Delete, fs[0].Fix)
	assert.Equal(t, validation.Quarantine, fs[0].Consequence)
}
