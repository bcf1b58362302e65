package conversion_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

// Plan a source-of-authority conversion of two synced users, apply it and undo it, against the
// in-memory fakes of AD and Entra. Apply and Undo re-read each user's roles and eligibilities
// through the tenant port before writing, as they would through graphx.
func Example() {
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tenant, onprem, cloud := conversiontest.Population(2, at)

	plan := conversion.PlanSOA(&conversion.Input{Tenant: tenant, Cloud: cloud, OnPrem: onprem},
		&conversion.Options{CreatedAt: at, ClearImmutableID: true})
	for _, c := range plan.Changes {
		fmt.Println(c.ID, c.Action, c.Target.UPN, c.Before, "->", c.After)
	}

	ten := conversiontest.NewTenant(tenant, cloud...)
	a := &conversion.Applier{
		Directory: conversiontest.NewDirectory(onprem...),
		Tenant:    ten,
		Journal:   &conversion.MemJournal{}, // conversion.OpenPlanJournal for a file
	}
	res, err := a.Apply(ctx, plan)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("apply:", res.Summary())

	res, err = a.Undo(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("undo:", res.Summary(), res.OK())
	u, _ := ten.Get(cloud[0].ID)
	fmt.Println(u.UserPrincipalName, "cloud-managed:", u.CloudManaged, "immutableID:", u.ImmutableID)
	// Output:
	// c0001 set-cloud-managed user0@contoso.example false -> true
	// c0002 clear-immutable-id user0@contoso.example "WlpaWgAAAACAAAAAAAAAAA==" -> null
	// c0003 set-cloud-managed user1@contoso.example false -> true
	// c0004 clear-immutable-id user1@contoso.example "WlpaWgAAAAGAAAAAAAAAAQ==" -> null
	// apply: 4 applied
	// undo: 4 applied true
	// user0@contoso.example cloud-managed: false immutableID: WlpaWgAAAACAAAAAAAAAAA==
}

// A dry run goes through the same code and lists the writes a real run would make.
func ExampleApplier_dryRun() {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tenant, onprem, cloud := conversiontest.Population(1, at)
	plan := conversion.PlanSOA(&conversion.Input{Tenant: tenant, Cloud: cloud, OnPrem: onprem}, &conversion.Options{CreatedAt: at})
	a := &conversion.Applier{
		Directory: conversiontest.NewDirectory(onprem...),
		Tenant:    conversiontest.NewTenant(tenant, cloud...),
		Journal:   &conversion.MemJournal{},
		DryRun:    true,
	}
	res, _ := a.Apply(context.Background(), plan)
	for _, w := range res.Writes {
		fmt.Println(w.Op, w.Target, w.Old, "->", w.New)
	}
	fmt.Println(res.Summary())
	// Output:
	// SetCloudManaged cloud:00000000-0000-4000-8000-000000000000 false -> true
	// 1 planned
}

// Plans are JSON a person can review.
func ExamplePlan_WriteJSON() {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tenant, onprem, cloud := conversiontest.Population(1, at)
	plan := conversion.PlanSOA(&conversion.Input{Tenant: tenant, Cloud: cloud, OnPrem: onprem},
		&conversion.Options{CreatedAt: at, Predict: matching.Evaluate})
	_ = plan.WriteJSON(os.Stdout)
	// Output:
	// {
	//   "version": 1,
	//   "tenantID": "7d0c3b1e-0000-4000-8000-00000000c0de",
	//   "createdAt": "2026-11-24T10:00:00Z",
	//   "method": "soa",
	//   "changes": [
	//     {
	//       "id": "c0001",
	//       "action": "set-cloud-managed",
	//       "target": {
	//         "side": "cloud",
	//         "id": "00000000-0000-4000-8000-000000000000",
	//         "upn": "user0@contoso.example"
	//       },
	//       "subject": "00000000-0000-4000-8000-000000000000",
	//       "before": false,
	//       "after": true,
	//       "reason": "transfer the source of authority to Entra: sync stops updating this user (onPremisesSyncBehavior.isCloudManaged)"
	//     }
	//   ]
	// }
}

// Clear the on-premises attributes a user kept after it left sync, then undo: the journal keeps
// the old values and undo writes them back, except onPremisesObjectIdentifier (Graph accepts only
// null for it; the next sync stamps it again).
func ExamplePlanClearOnPrem() {
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tenant, _, cloud := conversiontest.Population(1, at)
	off := false
	cloud[0].SyncEnabled = &off // restored from deleted items earlier: cloud-only
	cloud[0].OnPremisesObjectIdentifier = "0f0e0d0c-0b0a-0908-0706-050403020100"

	plan := conversion.PlanClearOnPrem(&conversion.Input{Tenant: tenant, Cloud: cloud}, &conversion.Options{CreatedAt: at})
	for _, c := range plan.Changes {
		fmt.Println(c.ID, c.Action, c.Target.UPN)
	}
	ten := conversiontest.NewTenant(tenant, cloud...)
	a := &conversion.Applier{Tenant: ten, Journal: &conversion.MemJournal{}}
	if _, err := a.Apply(ctx, plan); err != nil {
		fmt.Println(err)
		return
	}
	after, _ := ten.OnPremAttributes(ctx, cloud[0].ID)
	fmt.Println("after apply:", after.Value())
	if _, err := a.Undo(ctx); err != nil {
		fmt.Println(err)
		return
	}
	undone, _ := ten.OnPremAttributes(ctx, cloud[0].ID)
	for _, n := range conversion.OnPremAttributeNames {
		fmt.Printf("after undo: %s=%q\n", n, undone.Get(n))
	}
	// Output:
	// c0001 clear-onprem-attributes user0@contoso.example
	// after apply: []
	// after undo: onPremisesDistinguishedName="CN=User 0,OU=Synced,DC=corp,DC=example,DC=test"
	// after undo: onPremisesDomainName=""
	// after undo: onPremisesImmutableId="WlpaWgAAAACAAAAAAAAAAA=="
	// after undo: onPremisesObjectIdentifier=""
	// after undo: onPremisesSamAccountName="user0"
	// after undo: onPremisesSecurityIdentifier=""
	// after undo: onPremisesUserPrincipalName="user0@contoso.example"
}
