package matching_test

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// Evaluate one AD user against a tenant holding a cloud-only user with the same primary SMTP
// address: the prediction is a soft match, and the takeover preview says what changes.
func Example() {
	t := true
	tenant := matching.TenantState{
		Features: matching.Features{SoftMatchOnUPN: true},
		Domains: []matching.Domain{
			{Name: "corp.example.test", IsDefault: true},
			{Name: "example.onmicrosoft.com", IsInitial: true},
		},
		AsOf: time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC),
	}
	onprem := []matching.OnPrem{{
		DN: "CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test", Class: matching.ClassUser,
		ObjectGUID:        anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20"),
		UserPrincipalName: "ann@corp.example.test", SAMAccountName: "ann", Enabled: true,
		ProxyAddresses: []string{"SMTP:ann@corp.example.test"}, DisplayName: "Ann Lee",
	}}
	cloud := []matching.Cloud{{
		ID: "11111111-2222-3333-4444-555555555555", Class: matching.ClassUser,
		UserPrincipalName: "ann@example.onmicrosoft.com", DisplayName: "Ann", AccountEnabled: &t,
		ProxyAddresses: []string{"SMTP:ann@corp.example.test", "smtp:ann.lee@old.example.test"},
	}}
	rep := matching.Evaluate(matching.Config{}, tenant, onprem, cloud)
	on, cl := rep.OnPrem()[0], rep.Cloud()[0]
	fmt.Println(on.Outcome, on.Anchor, "->", on.Target)
	fmt.Println(cl.Outcome, "by", cl.MatchedBy)
	for _, c := range on.Takeover {
		if c.BeforeValues != nil || c.AfterValues != nil {
			fmt.Printf("%s: %q -> %q\n", c.Attribute, c.BeforeValues, c.AfterValues)
			continue
		}
		fmt.Printf("%s: %q -> %q\n", c.Attribute, c.Before, c.After)
	}
	fmt.Println("loses:", rep.OnPrem()[0].LostProxyAddresses)
	// Output:
	// soft-match-smtp IkTni9mw7Ee4YefeGpz7IA== -> 11111111-2222-3333-4444-555555555555
	// matched by CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test
	// userPrincipalName: "ann@example.onmicrosoft.com" -> "ann@corp.example.test"
	// displayName: "Ann" -> "Ann Lee"
	// proxyAddresses: ["SMTP:ann@corp.example.test" "smtp:ann.lee@old.example.test"] -> ["SMTP:ann@corp.example.test"]
	// loses: [smtp:ann.lee@old.example.test]
}

// A blocked object carries Entra's error name in Code, a reason and a fix.
func ExampleEvaluate_blocked() {
	tenant := matching.TenantState{
		Features: matching.Features{BlockCloudObjectTakeoverHardMatch: true},
		Domains:  []matching.Domain{{Name: "corp.example.test"}, {Name: "example.onmicrosoft.com", IsInitial: true}},
		AsOf:     time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC),
	}
	g := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	onprem := []matching.OnPrem{{DN: "CN=Ann,OU=Synced,DC=corp,DC=example,DC=test", Class: matching.ClassUser,
		ObjectGUID: g, UserPrincipalName: "ann@corp.example.test", SAMAccountName: "ann"}}
	cloud := []matching.Cloud{{ID: "c1", Class: matching.ClassUser, UserPrincipalName: "ann@corp.example.test",
		ImmutableID: anchor.AnchorOf(g)}}
	r := matching.Evaluate(matching.Config{}, tenant, onprem, cloud).OnPrem()[0]
	fmt.Println(r.Outcome, r.Code)
	fmt.Println(r.Reason)
	// Output:
	// blocked InvalidHardMatch
	// The cloud user c1 (ann@corp.example.test) has onPremisesImmutableId IkTni9mw7Ee4YefeGpz7IA==, but blockCloudObjectTakeoverThroughHardMatchEnabled is on, so Entra refuses the takeover.
}

// The report marshals to the `hybridctl match --json` shape.
func ExampleReport_json() {
	onprem := []matching.OnPrem{{DN: "CN=Gone,OU=Leavers,DC=corp,DC=example,DC=test", Class: matching.ClassUser,
		ObjectGUID: anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20"), UserPrincipalName: "gone@corp.example.test", SAMAccountName: "gone"}}
	on := true
	cloud := []matching.Cloud{{ID: "c1", Class: matching.ClassUser, UserPrincipalName: "gone@corp.example.test",
		ImmutableID: anchor.MustParseSourceAnchor("IkTni9mw7Ee4YefeGpz7IA=="), SyncEnabled: &on}}
	cfg := matching.Config{Scope: []string{"OU=Synced,DC=corp,DC=example,DC=test"}}
	tenant := matching.TenantState{AsOf: time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC),
		Domains: []matching.Domain{{Name: "corp.example.test"}, {Name: "example.onmicrosoft.com", IsInitial: true}}}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	_ = enc.Encode(matching.Evaluate(cfg, tenant, onprem, cloud))
	// Output:
	// {
	//  "objects": [
	//   {
	//    "side": "onprem",
	//    "class": "user",
	//    "outcome": "out-of-scope",
	//    "code": "",
	//    "dn": "CN=Gone,OU=Leavers,DC=corp,DC=example,DC=test",
	//    "upn": "gone@corp.example.test",
	//    "anchor": "IkTni9mw7Ee4YefeGpz7IA==",
	//    "reason": "The object is outside every OU in sync scope, so sync ignores it.",
	//    "fix": "Move it into a synced OU, or add its OU to the sync scope, if it should be synced."
	//   },
	//   {
	//    "side": "cloud",
	//    "class": "user",
	//    "outcome": "deleted",
	//    "code": "",
	//    "id": "c1",
	//    "upn": "gone@corp.example.test",
	//    "anchor": "IkTni9mw7Ee4YefeGpz7IA==",
	//    "reason": "Its on-premises object CN=Gone,OU=Leavers,DC=corp,DC=example,DC=test is out of sync scope, so sync soft-deletes it (restorable for 30 days).",
	//    "fix": "Bring the AD object back into scope if the cloud object must stay.",
	//    "matchedBy": "CN=Gone,OU=Leavers,DC=corp,DC=example,DC=test"
	//   }
	//  ],
	//  "summary": {
	//   "deleted": 1,
	//   "out-of-scope": 1
	//  },
	//  "warnings": [],
	//  "exportStopped": false
	// }
}

// CheckUPN applies Microsoft's username policy; EqualFold compares identifiers without letting a
// look-alike such as the Kelvin sign equal an ASCII letter.
func ExampleCheckUPN() {
	for _, upn := range []string{"ann.lee@contoso.example", "ann.@contoso.example", "\u212aim@contoso.example"} {
		for _, v := range matching.CheckUPN(upn) {
			fmt.Printf("%+q %s\n", upn, v.Rule)
		}
	}
	fmt.Println(matching.EqualFold("Ann.Lee@Contoso.Example", "ann.lee@contoso.example"))
	fmt.Println(matching.EqualFold("\u212aim@contoso.example", "kim@contoso.example"))
	// Output:
	// "ann.@contoso.example" upn-dot-before-at
	// "\u212aim@contoso.example" upn-character
	// true
	// false
}
