package matching_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/matching"
)

// TestCheckUPN encodes Microsoft's username policy (docs/engine.md, "UPN rules"): the allowed
// characters, '@' only as the separator, no '.' right before '@', 64/48/113 characters.
func TestCheckUPN(t *testing.T) {
	t.Parallel()
	at64 := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 44) + ".com" // 64 + 1 + 48 = 113
	cases := []struct {
		name string
		upn  string
		want []matching.RuleID
	}{
		{"plain", "ann.lee@corp.example.test", nil},
		{"every allowed symbol", "a'b.c-d_e!f#g^h~i@corp-1.example", nil},
		{"exactly 64 before, 48 after, 113 in all", at64, nil},
		{"empty", "", []matching.RuleID{matching.RuleUPNEmpty}},
		{"no @", "ann", []matching.RuleID{matching.RuleUPNFormat}},
		{"two @", "ann@x@corp.example", []matching.RuleID{matching.RuleUPNFormat}},
		{"nothing before @", "@corp.example", []matching.RuleID{matching.RuleUPNFormat}},
		{"nothing after @", "ann@", []matching.RuleID{matching.RuleUPNFormat}},
		{"dot before @", "ann.@corp.example", []matching.RuleID{matching.RuleUPNDotBeforeAt}},
		{"65 before @", strings.Repeat("a", 65) + "@corp.example", []matching.RuleID{matching.RuleUPNPrefixLength}},
		{"49 after @", "a@" + strings.Repeat("b", 45) + ".com", []matching.RuleID{matching.RuleUPNDomainLength}},
		{"114 in all", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 45) + ".com", []matching.RuleID{matching.RuleUPNLength, matching.RuleUPNDomainLength}},
		{"plus sign", "ann+tag@corp.example", []matching.RuleID{matching.RuleUPNCharacter}},
		{"space", "ann lee@corp.example", []matching.RuleID{matching.RuleUPNCharacter}},
		{"non-ASCII letter", "anné@corp.example", []matching.RuleID{matching.RuleUPNCharacter}},
		{"Kelvin sign", "\u212aelvin@corp.example", []matching.RuleID{matching.RuleUPNCharacter}},
		{"not UTF-8", "a\xffb@corp.example", []matching.RuleID{matching.RuleUPNCharacter}},
		{"underscore in domain", "ann@corp_x.example", []matching.RuleID{matching.RuleUPNCharacter}},
		{"leading dot (engine's rule)", ".ann@corp.example", []matching.RuleID{matching.RuleUPNDots}},
		{"double dot (engine's rule)", "a..b@corp.example", []matching.RuleID{matching.RuleUPNDots}},
		{"empty domain label (engine's rule)", "ann@corp..example", []matching.RuleID{matching.RuleUPNDomain}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []matching.RuleID
			for _, v := range matching.CheckUPN(tc.upn) {
				got = append(got, v.Rule)
				assert.NotEmpty(t, v.Message)
				if tc.upn != "" {
					assert.NotContains(t, v.Message, tc.upn, "a message does not repeat the value")
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestCheckUPNAllocs: a valid UPN is checked without allocating (the engine checks every user).
func TestCheckUPNAllocs(t *testing.T) {
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = matching.CheckUPN("ann.lee@corp.example.test") }))
}

// TestEqualFold: identifiers fold ASCII case; non-ASCII folds only to non-ASCII (docs/engine.md,
// "Comparing identifiers").
func TestEqualFold(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want bool
	}{
		{"Ann.Lee@Corp.Example", "ann.lee@corp.example", true},
		{"ann", "anna", false},
		{"ÉLODIE@x", "élodie@X", true},
		{"\u212a", "k", false}, // Kelvin sign
		{"\u212a", "K", false},
		{"\u017f", "s", false}, // long s
		{"\u0131", "i", false}, // dotless i
		{"\u0131", "I", false},
		{"\u0130", "i", false}, // dotted capital I
		{"\u0130", "I", false},
		{"\u212b", "å", false}, // Angstrom sign
		{"Σ", "σ", true},
		{"\xff", "\xfe", false},
		{"\xff", "\ufffd", false},
		{"a\xffb", "A\xffB", true},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, matching.EqualFold(tc.a, tc.b), "EqualFold(%q, %q)", tc.a, tc.b)
		assert.Equal(t, tc.want, matching.EqualFold(tc.b, tc.a), "EqualFold(%q, %q)", tc.b, tc.a)
	}
}

// TestUnicodeLookalikes: no Kelvin sign, long s, dotless i or dotted capital I lets an AD object
// take over a cloud object with the ASCII letter (docs/entra-rules.md §2.1, §3).
func TestUnicodeLookalikes(t *testing.T) {
	t.Parallel()
	kim := cloudOnly("c1", "Kim (cloud)")
	kim.UserPrincipalName = "kim@" + domain
	kim.ProxyAddresses = []string{"SMTP:kim@" + domain}
	withUPN := func(upn string, proxies ...string) matching.OnPrem {
		o := adUser("x", guidA)
		o.UserPrincipalName, o.ProxyAddresses, o.Mail = upn, proxies, ""
		return o
	}
	for _, tc := range []struct {
		name    string
		on      matching.OnPrem
		cloud   matching.Cloud
		outcome matching.Outcome
		code    matching.Code
	}{
		{"Kelvin-sign UPN is refused, not a soft match onto kim §3", withUPN("\u212aim@" + domain), kim, matching.Blocked, matching.IdentityDataValidationFailed},
		{"Kelvin-sign SMTP address does not soft-match kim §2.1", withUPN("x@"+domain, "SMTP:\u212aim@"+domain), kim, matching.New, matching.NoCode},
		{"long s SMTP address does not soft-match §2.1", withUPN("x@"+domain, "SMTP:\u017fam@"+domain),
			func() matching.Cloud { c := kim; c.ProxyAddresses = []string{"SMTP:sam@" + domain}; return c }(), matching.New, matching.NoCode},
		{"dotless i SMTP address does not soft-match §2.1", withUPN("x@"+domain, "SMTP:k\u0131m@"+domain), kim, matching.New, matching.NoCode},
		{"dotted capital I SMTP address does not soft-match §2.1", withUPN("x@"+domain, "SMTP:K\u0130M@"+domain), kim, matching.New, matching.NoCode},
		{"ASCII case still soft-matches §2.1", withUPN("x@"+domain, "SMTP:KIM@"+strings.ToUpper(domain)), kim, matching.SoftMatchSMTP, matching.NoCode},
		{"non-ASCII case folds to non-ASCII §2.1", withUPN("x@"+domain, "SMTP:ÉLO@"+domain),
			func() matching.Cloud { c := kim; c.ProxyAddresses = []string{"SMTP:élo@" + domain}; return c }(), matching.SoftMatchSMTP, matching.NoCode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := tenant()
			rep := matching.Evaluate(matching.Config{}, tn, []matching.OnPrem{tc.on}, []matching.Cloud{tc.cloud})
			got := rep.OnPrem()[0]
			assert.Equal(t, tc.outcome, got.Outcome, got.Reason)
			assert.Equal(t, tc.code, got.Code, got.Reason)
			if tc.outcome == matching.New {
				assert.Empty(t, got.Quarantined, "a look-alike is not the same value")
			}
		})
	}
}

// TestReadErrors: an object whose data could not be read is reported as error with the
// attribute, value and place; every other object is still predicted; its synced cloud object is
// not predicted deleted.
func TestReadErrors(t *testing.T) {
	t.Parallel()
	bad := adUser("ann", guidA)
	bad.ReadErrors = []matching.ReadError{{Attribute: "objectSid", Value: "010203", Source: "corp.ldif:42", Message: "3 bytes is too short for a binary SID"}}
	badAnchor := adUser("bob", guidB)
	badAnchor.ReadErrors = []matching.ReadError{{Attribute: "mS-DS-ConsistencyGuid", Value: strings.Repeat("ab", 36), Source: "corp.ldif:80", Message: "36 bytes (want 16)"}}
	good := adUser("cy", guidC)
	bobCloud := synced("c2", "bob", idB) // its anchor may be the unreadable one: found by DN
	bobCloud.OnPremisesDistinguishedName = badAnchor.DN
	rep := matching.Evaluate(matching.Config{}, tenant(), []matching.OnPrem{bad, badAnchor, good},
		[]matching.Cloud{synced("c1", "ann", idA), bobCloud})
	on := rep.OnPrem()
	require.Len(t, on, 3)
	assert.Equal(t, matching.Error, on[0].Outcome)
	assert.Contains(t, on[0].Reason, "objectSid")
	assert.Contains(t, on[0].Reason, "010203")
	assert.Contains(t, on[0].Reason, "corp.ldif:42")
	assert.Equal(t, idA.String(), on[0].Anchor, "an unreadable SID leaves the anchor known")
	assert.Equal(t, matching.Error, on[1].Outcome)
	assert.Empty(t, on[1].Anchor, "an unreadable mS-DS-ConsistencyGuid leaves the anchor unknown")
	assert.Equal(t, matching.New, on[2].Outcome)
	for _, c := range rep.Cloud() {
		assert.Equal(t, matching.Untouched, c.Outcome, "%s: %s", c.ID, c.Reason)
	}
	assert.Equal(t, 2, rep.Summary[matching.Error])
	var codes []string
	for _, w := range rep.Warnings {
		codes = append(codes, w.Code)
	}
	assert.Contains(t, codes, matching.WarnReadErrors)
	b, err := matching.Error.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "error", string(b))
}
