package validation

import (
	"fmt"
	"slices"

	"github.com/hybridid/hybridid/matching"
)

// RuleID names one rule. It is the type of package matching, so that the userPrincipalName
// rules the engine applies and the ones validation reports carry the same ids.
type RuleID = matching.RuleID

// Severity says how serious a finding is.
type Severity uint8

// The severities, least serious first.
const (
	Info    Severity = iota // nothing to fix (an object IdFix leaves out)
	Warning                 // sync goes on but the result differs from AD (renamed, dropped) or may fail
	Error                   // sync refuses or quarantines the value
)

var severityNames = [...]string{"info", "warning", "error"}

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	if i := slices.Index(severityNames[:], string(b)); i >= 0 {
		*s = Severity(i)
		return nil
	}
	return fmt.Errorf("validation: unknown severity %q", b)
}

// Consequence is what sync does with the object or value.
type Consequence uint8

// The consequences.
const (
	None       Consequence = iota // nothing visible: the value is ignored or dropped, or the object is not synced by design
	Rename                        // sync exports a different value (a cloud UPN on the initial domain)
	Quarantine                    // duplicate attribute resiliency quarantines the value
	Block                         // sync refuses the object (an export error)
)

var consequenceNames = [...]string{"none", "rename", "quarantine", "block"}

// String returns "none", "rename", "quarantine" or "block".
func (c Consequence) String() string {
	if int(c) < len(consequenceNames) {
		return consequenceNames[c]
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (c Consequence) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Consequence) UnmarshalText(b []byte) error {
	if i := slices.Index(consequenceNames[:], string(b)); i >= 0 {
		*c = Consequence(i)
		return nil
	}
	return fmt.Errorf("validation: unknown consequence %q", b)
}

// The rules validation reports besides the userPrincipalName rules of package matching
// (matching.RuleUPNEmpty … matching.RuleUPNDomainLength). docs/validation.md lists each with
// its source.
const (
	// Objects IdFix leaves out (its "well known exclusions"); no other rule runs on them.
	RuleExcludedName     RuleID = "excluded-well-known-name" // Admini*, krbtgt*, SystemMailbox*, …
	RuleExcludedAccount  RuleID = "excluded-machine-account" // a name ending in '$'
	RuleExcludedConflict RuleID = "excluded-conflict-object" // a replication conflict object (CNF:)
	RuleExcludedCritical RuleID = "excluded-critical-system-object"

	RuleAttributeInvalid RuleID = "attribute-invalid" // a value the reader could not decode

	RuleAnchorDuplicate RuleID = "anchor-duplicate" // the source anchor of another object
	RuleSIDDuplicate    RuleID = "sid-duplicate"    // the objectSid of another object

	RuleMailDuplicate RuleID = "mail-duplicate"

	RuleMailNicknameLeadingPeriod RuleID = "mailnickname-leading-period"
	RuleMailNicknameDuplicate     RuleID = "mailnickname-duplicate"

	RuleProxyPrefix          RuleID = "proxy-prefix"            // no "type:" prefix
	RuleProxyCharacter       RuleID = "proxy-character"         // whitespace, < > ( ) ; , [ ] " or a letter with a diacritic
	RuleProxySMTPFormat      RuleID = "proxy-smtp-format"       // not an RFC 5322 address
	RuleProxySMTPRoutable    RuleID = "proxy-smtp-non-routable" // a domain that cannot be on the Internet
	RuleProxySMTPUnverified  RuleID = "proxy-smtp-unverified-domain"
	RuleProxyX500Format      RuleID = "proxy-x500-format" // not "/name=value/…"
	RuleProxyLength          RuleID = "proxy-length"      // more than 256 characters
	RuleProxyDuplicate       RuleID = "proxy-duplicate"
	RuleProxyMultiplePrimary RuleID = "proxy-multiple-primary" // more than one "SMTP:"
	RuleProxyCount           RuleID = "proxy-count"            // more values than an object can hold
	RuleCertificateCount     RuleID = "certificate-count"      // more than 15 certificates

	RuleSAMCharacter RuleID = "sam-character"
	RuleSAMLength    RuleID = "sam-length"
	RuleSAMDuplicate RuleID = "sam-duplicate"

	RuleTargetCharacter RuleID = "target-character"
	RuleTargetFormat    RuleID = "target-format"
	RuleTargetLength    RuleID = "target-length"
	RuleTargetDuplicate RuleID = "target-duplicate"

	RuleUPNDotAtom     RuleID = "upn-dot-atom" // a leading or doubled '.', or an empty domain label
	RuleUPNRoutable    RuleID = "upn-non-routable"
	RuleUPNUnverified  RuleID = "upn-unverified-domain"
	RuleUPNDuplicate   RuleID = "upn-duplicate"
	RuleCloudCollision RuleID = "cloud-quarantine" // a value a cloud object already holds
	RuleEngineBlocked  RuleID = "engine-blocked"   // the matching engine predicts a refusal
)

// Limits of the rules.
const (
	MaxProxyLength  = 256 // characters of one proxyAddresses value
	MaxTargetLength = 255 // characters of targetAddress
	MaxSAMLength    = 20  // characters of a user's sAMAccountName
	MaxProxyCount   = 300 // proxyAddresses values before an object may exceed the size limit
	MaxCertificates = 15  // values of userCertificate and of userSMIMECertificate
	upnRuleSeverity = Error
	upnConsequence  = Block
)

// Rule describes one rule: what it checks, how serious a finding is, and what sync does.
type Rule struct {
	ID          RuleID
	Attribute   string // the LDAP attribute checked; "" for rules about the whole object
	Severity    Severity
	Consequence Consequence
	// Source says where the rule comes from: "IdFix", "Entra" (Microsoft's documentation of
	// Entra Connect and Microsoft 365) or "engine" (the matching engine's prediction).
	Source  string
	Summary string
}

var rules = []Rule{
	{RuleExcludedName, "", Info, None, "IdFix", "a well-known system account name (Admini*, krbtgt*, SystemMailbox*, …): not checked"},
	{RuleExcludedAccount, "", Info, None, "IdFix", "a name ending in '$' (a machine or trust account): not checked"},
	{RuleExcludedConflict, "", Info, None, "IdFix", "a replication conflict object (CNF: in the DN): not checked"},
	{RuleExcludedCritical, "isCriticalSystemObject", Info, None, "IdFix", "a critical system object: not checked"},
	{RuleAttributeInvalid, "", Error, Block, "Entra", "a value that does not fit its attribute (objectGUID not 16 bytes, malformed objectSid)"},
	{RuleAnchorDuplicate, "mS-DS-ConsistencyGuid", Error, Block, "Entra", "the source anchor (mS-DS-ConsistencyGuid, else objectGUID) of another object"},
	{RuleSIDDuplicate, "objectSid", Error, Block, "Entra", "the objectSid of another object"},
	{RuleMailDuplicate, "mail", Error, Block, "IdFix", "another object has the same mail"},
	{RuleMailNicknameLeadingPeriod, "mailNickname", Error, Block, "IdFix", "mailNickname begins with '.'"},
	{RuleMailNicknameDuplicate, "mailNickname", Error, Block, "IdFix", "another object has the same mailNickname"},
	{RuleProxyPrefix, "proxyAddresses", Warning, None, "Entra", "a value without a \"type:\" prefix, which proxy calculation discards"},
	{RuleProxyCharacter, "proxyAddresses", Error, Block, "IdFix", "whitespace, one of < > ( ) ; , [ ] \" or a letter with a diacritic after the prefix (X500 values excepted)"},
	{RuleProxySMTPFormat, "proxyAddresses", Error, Block, "IdFix", "an smtp: value that is not an RFC 5322 address"},
	{RuleProxySMTPRoutable, "proxyAddresses", Warning, None, "IdFix", "an smtp: value on a domain that is not routable; Entra drops it"},
	{RuleProxySMTPUnverified, "proxyAddresses", Warning, None, "Entra", "an smtp: value on a domain the tenant has not verified; Entra drops it"},
	{RuleProxyX500Format, "proxyAddresses", Warning, None, "Entra", "an X500: value that is not a /name=value/… path; Entra discards it"},
	{RuleProxyLength, "proxyAddresses", Error, Block, "IdFix", "a value longer than 256 characters"},
	{RuleProxyDuplicate, "proxyAddresses", Error, Quarantine, "IdFix", "another object (user, group or contact) or the same object has the value; smtp values are quarantined, others refused"},
	{RuleProxyMultiplePrimary, "proxyAddresses", Error, Block, "Entra", "more than one primary \"SMTP:\" value"},
	{RuleProxyCount, "proxyAddresses", Warning, Block, "Entra", "more than 300 values: the object may exceed Entra's size limit (LargeObject)"},
	{RuleCertificateCount, "userCertificate", Error, Block, "Entra", "more than 15 values of userCertificate or userSMIMECertificate (LargeObject)"},
	{RuleSAMCharacter, "sAMAccountName", Error, Block, "IdFix", "a user without userPrincipalName whose sAMAccountName has one of [ \\ \" | , / : < > + = ; ? * ]"},
	{RuleSAMLength, "sAMAccountName", Error, Block, "IdFix", "a user without userPrincipalName whose sAMAccountName is longer than 20 characters"},
	{RuleSAMDuplicate, "sAMAccountName", Error, Block, "IdFix", "a user without userPrincipalName whose sAMAccountName another object has"},
	{RuleTargetCharacter, "targetAddress", Error, Block, "IdFix", "whitespace or one of \\ < > ( ) ; , [ ] \""},
	{RuleTargetFormat, "targetAddress", Error, Block, "IdFix", "an smtp: value that is not a routable RFC 5322 address"},
	{RuleTargetLength, "targetAddress", Error, Block, "IdFix", "longer than 255 characters"},
	{RuleTargetDuplicate, "targetAddress", Error, Block, "IdFix", "another object has the same targetAddress"},
	{matching.RuleUPNEmpty, "userPrincipalName", upnRuleSeverity, upnConsequence, "Entra", "a user without userPrincipalName"},
	{matching.RuleUPNFormat, "userPrincipalName", upnRuleSeverity, upnConsequence, "IdFix", "not one name, one '@' and one domain"},
	{matching.RuleUPNCharacter, "userPrincipalName", upnRuleSeverity, upnConsequence, "IdFix", "a character outside A-Z a-z 0-9 ' . - _ ! # ^ ~ before '@', or outside letters, digits, '-' and '.' after it"},
	{matching.RuleUPNDotBeforeAt, "userPrincipalName", upnRuleSeverity, upnConsequence, "Entra", "'.' immediately before '@'"},
	{matching.RuleUPNLength, "userPrincipalName", upnRuleSeverity, upnConsequence, "IdFix", "longer than 113 characters"},
	{matching.RuleUPNPrefixLength, "userPrincipalName", upnRuleSeverity, upnConsequence, "IdFix", "more than 64 characters before '@'"},
	{matching.RuleUPNDomainLength, "userPrincipalName", upnRuleSeverity, upnConsequence, "IdFix", "more than 48 characters after '@'"},
	{RuleUPNDotAtom, "userPrincipalName", upnRuleSeverity, upnConsequence, "IdFix", "a leading or doubled '.' before '@', or an empty label in the domain (RFC 5322)"},
	{RuleUPNRoutable, "userPrincipalName", Warning, Rename, "IdFix", "a domain that is not routable (.local, a single label, …); the cloud UPN becomes mailNickname@initial domain"},
	{RuleUPNUnverified, "userPrincipalName", Warning, Rename, "Entra", "a domain the tenant has not verified; the cloud UPN becomes mailNickname@initial domain"},
	{RuleUPNDuplicate, "userPrincipalName", Error, Quarantine, "IdFix", "another user has the same userPrincipalName; the later one is quarantined"},
	{RuleCloudCollision, "", Error, Quarantine, "engine", "a value a cloud object that will not be matched already holds; quarantined"},
	{RuleEngineBlocked, "", Error, Block, "engine", "the matching engine predicts that sync refuses the object (its block code, reason and fix say why)"},
}

var ruleIndex = func() map[RuleID]int {
	m := make(map[RuleID]int, len(rules))
	for i, r := range rules {
		m[r.ID] = i
	}
	return m
}()

// Rules returns every rule validation applies, in a stable order.
func Rules() []Rule { return slices.Clone(rules) }

// Lookup returns the rule with the id.
func Lookup(id RuleID) (Rule, bool) {
	i, ok := ruleIndex[id]
	if !ok {
		return Rule{}, false
	}
	return rules[i], true
}
