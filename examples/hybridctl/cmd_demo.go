package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

// demoData is the sample directory and tenant the demo runs on: corp.example.test (an ldifde
// export, sync scope OU=Synced) and the Contoso tenant, written so that every outcome and every
// block code of docs/outcomes.md shows up with a reason a person can follow (the July 2026
// hard-match protections included: Frank Ito holds Global Administrator, Kate Novak's cloud user
// names her old, re-created AD object in onPremisesObjectIdentifier).
//
//go:embed demodata/corp.ldif demodata/tenant.json
var demoData embed.FS

const (
	demoLDIF     = "demodata/corp.ldif"
	demoSnapshot = "demodata/tenant.json"
	demoScope    = "OU=Synced,DC=corp,DC=example,DC=test"
)

func init() {
	register(&command{
		name:    "demo",
		summary: "run the match, then plan, apply and undo a conversion, on built-in sample data (no network, no set-up)",
		usage:   "demo [--json]",
		run:     runDemo,
	})
}

// demoReports evaluates the embedded data as it is, and as it would be with
// blockSoftMatchEnabled on (the setting Microsoft recommends outside a matching project).
func demoReports() (rep, strict *matching.Report, err error) {
	on, snap, err := demoInput()
	if err != nil {
		return nil, nil, err
	}
	cfg := matching.Config{Scope: []string{demoScope}}
	cloud, err := snap.Cloud()
	if err != nil {
		return nil, nil, err
	}
	tenant := snap.Tenant()
	rep = matching.Evaluate(cfg, tenant, on, cloud)
	tenant.Features.BlockSoftMatch = true
	return rep, matching.Evaluate(cfg, tenant, on, cloud), nil
}

func demoInput() ([]matching.OnPrem, *snapshot.Snapshot, error) {
	l, err := demoData.ReadFile(demoLDIF)
	if err != nil {
		return nil, nil, err
	}
	on, err := collect(ldif.ReadOnPrem(bytes.NewReader(l), demoLDIF, ldif.Mapping{}))
	if err != nil {
		return nil, nil, err
	}
	s, err := demoData.ReadFile(demoSnapshot)
	if err != nil {
		return nil, nil, err
	}
	snap, err := snapshot.Read(bytes.NewReader(s), demoSnapshot)
	if err != nil {
		return nil, nil, err
	}
	return on, snap, nil
}

func runDemo(ctx context.Context, e *env, args []string) int {
	const name = "demo"
	fs := newFlagSet(name)
	asJSON := fs.Bool("json", false, "")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(e, name, err.Error())
	}
	if len(rest) > 0 {
		return usageError(e, name, "unexpected argument "+strconv.Quote(rest[0]))
	}
	rep, strict, err := demoReports()
	if err != nil {
		return failure(e, name, err)
	}
	if *asJSON {
		if err := writeReport(e.stdout, "json", rep); err != nil {
			return failure(e, name, err)
		}
		return 0
	}
	w := e.stdout
	fmt.Fprint(w, `hybridctl demo: what will Entra Connect Sync do with corp.example.test?

The on-premises side is an ldifde export of corp.example.test (sync scope OU=Synced); the cloud
side is a snapshot of the Contoso tenant taken on 2026-11-24. Nothing leaves this process: the
same report comes from
  hybridctl match --onprem corp.ldif --cloud tenant.json --scope `+demoScope+`

`)
	if err := writeReport(w, "table", rep); err != nil {
		return failure(e, name, err)
	}
	writeWhatIf(w, rep, strict)
	if err := demoConvert(ctx, w); err != nil {
		return failure(e, name, err)
	}
	return 0
}

// writeWhatIf lists the on-premises objects whose outcome changes with blockSoftMatchEnabled on.
func writeWhatIf(w io.Writer, rep, strict *matching.Report) {
	fmt.Fprint(w, "\nWhat if blockSoftMatchEnabled were on (Microsoft's advice outside a matching project)?\n")
	before, after := rep.OnPrem(), strict.OnPrem()
	n := 0
	for i := range before {
		b, a := &before[i], &after[i]
		if b.Outcome == a.Outcome && b.Code == a.Code {
			continue
		}
		n++
		fmt.Fprintf(w, "  %s: %s -> %s %s\n", b.DN, b.Outcome, a.Outcome, a.Code)
	}
	if n == 0 {
		fmt.Fprintln(w, "  nothing would change")
		return
	}
	fmt.Fprintln(w, "  Turn it off for the matching run, then on again.")
}

// The second act of the demo: the users it converts. Wave 1 goes cloud-only by source-of-authority
// transfer: sync is about to soft-delete both (their AD objects left the scope or are gone).
// Wave 2 goes synced by hard match: Dev Patel would only soft-match on UPN, and Jon Reyes holds
// an Entra role, which the planner refuses.
var (
	demoWave1 = []string{"olivia.grant@contoso.example", "rob.stone@contoso.example"}
	demoWave2 = []string{"dev.patel@contoso.example", "jon.reyes@contoso.example"}
)

// demoConvert plans the two waves on the embedded data, applies them against in-process fakes
// of AD and the tenant seeded with the same data (a journal per plan in a temporary directory,
// a fixed clock), shows what changed and what sync would now do, then undoes both and shows the
// values back as they were.
func demoConvert(ctx context.Context, w io.Writer) error {
	on, snap, err := demoInput()
	if err != nil {
		return err
	}
	cloud, err := snap.Cloud()
	if err != nil {
		return err
	}
	tenant := snap.Tenant()
	cfg := matching.Config{Scope: []string{demoScope}}
	in := &conversion.Input{Tenant: tenant, Cloud: cloud, OnPrem: on, Config: cfg}
	at := snap.TakenAt
	plans := []*conversion.Plan{
		conversion.PlanSOA(in, &conversion.Options{CreatedAt: at, Users: demoWave1, Predict: matching.Evaluate}),
		conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: at, Users: demoWave2, Predict: matching.Evaluate}),
	}
	fmt.Fprint(w, `
Act 2: convert users with a reviewable plan, a journal, and undo

Two plans on the same data, as these commands make them (wave1.txt and wave2.txt list the users):
  hybridctl plan --to cloud-only --cloud tenant.json --users wave1.txt -o wave1.json
  hybridctl plan --to synced --onprem corp.ldif --cloud tenant.json --scope `+demoScope+` \
    --users wave2.txt -o wave2.json

`)
	for i, p := range plans {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := writePlanTable(w, p); err != nil {
			return err
		}
	}

	dir := conversiontest.NewDirectory(on...)
	ten := conversiontest.NewTenant(tenant, cloud...)
	tmp, err := os.MkdirTemp("", "hybridctl-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	now := func() time.Time { return at }
	var journals []*conversion.FileJournal
	defer func() {
		for _, j := range journals {
			j.Close()
		}
	}()
	before := demoValues(ten, plans)
	fmt.Fprint(w, "\nApplying both plans against in-process fakes of AD and the tenant, seeded with the same data\n(hybridctl apply wave1.json --journal wave1.journal, and the same for wave 2):\n\n")
	for i, p := range plans {
		if i > 0 {
			fmt.Fprintln(w)
		}
		j, err := conversion.OpenJournal(filepath.Join(tmp, fmt.Sprintf("wave%d.journal", i+1)))
		if err != nil {
			return err
		}
		journals = append(journals, j)
		a := &conversion.Applier{Directory: dir, Tenant: ten, Journal: j, Concurrency: 1, Now: now}
		res, err := a.Apply(ctx, p)
		if err != nil {
			return err
		}
		writeResult(w, res)
		if !res.OK() {
			return res.Err()
		}
	}
	applied := demoValues(ten, plans)

	fmt.Fprint(w, "\nWhat sync would do with these users now:\n")
	before2 := matching.Evaluate(cfg, tenant, on, cloud)
	after := matching.Evaluate(cfg, tenant, dir.All(), demoCloudNow(ten, cloud))
	demoOutcomes(w, plans, before2, after)

	fmt.Fprint(w, "\nUndo, newest plan first (hybridctl undo --journal wave2.journal, then wave1.journal):\n\n")
	for i := len(plans) - 1; i >= 0; i-- {
		if i < len(plans)-1 {
			fmt.Fprintln(w)
		}
		a := &conversion.Applier{Directory: dir, Tenant: ten, Journal: journals[i], Concurrency: 1, Now: now}
		res, err := a.Undo(ctx)
		if err != nil {
			return err
		}
		writeResult(w, res)
		if !res.OK() {
			return res.Err()
		}
	}
	undone := demoValues(ten, plans)

	fmt.Fprint(w, "\nThe values the plans changed, before, after apply, and after undo:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tATTRIBUTE\tBEFORE\tAPPLIED\tUNDONE")
	same := true
	for i := range before {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", before[i].who, before[i].attr, before[i].v, applied[i].v, undone[i].v)
		same = same && before[i].v.Equal(undone[i].v)
	}
	tw.Flush()
	if same {
		fmt.Fprintln(w, "Every value is back as it was.")
	} else {
		fmt.Fprintln(w, "Some values are not back as they were.")
	}
	return nil
}

type demoValue struct {
	who, attr string
	v         conversion.Value
}

// demoValues reads, from the fake tenant, the attribute each change of the plans writes.
func demoValues(ten *conversiontest.Tenant, plans []*conversion.Plan) []demoValue {
	var out []demoValue
	for _, p := range plans {
		for _, c := range p.Changes {
			u, _ := ten.Get(c.Target.ID)
			v := conversion.Null()
			switch c.Action {
			case conversion.SetCloudManaged:
				v = conversion.Bool(u.CloudManaged)
			case conversion.SetImmutableID, conversion.ClearImmutableID:
				v = conversion.TextOrNull(u.ImmutableID.String())
			}
			out = append(out, demoValue{who: c.Target.UPN, attr: c.Action.Attribute(), v: v})
		}
	}
	return out
}

// demoCloudNow returns the cloud records as the fake tenant holds them now.
func demoCloudNow(ten *conversiontest.Tenant, cloud []matching.Cloud) []matching.Cloud {
	out := make([]matching.Cloud, len(cloud))
	for i, c := range cloud {
		out[i] = c
		if c.Deleted {
			continue
		}
		if u, ok := ten.Get(c.ID); ok {
			out[i] = u
		}
	}
	return out
}

// demoOutcomes prints, for each user a plan changes, the engine's outcome for it before and
// after the changes.
func demoOutcomes(w io.Writer, plans []*conversion.Plan, before, after *matching.Report) {
	find := func(rep *matching.Report, id string) string {
		for _, r := range rep.Objects {
			if r.Side == matching.SideOnPrem && r.Target == id {
				return r.Outcome.String() + " from " + r.DN
			}
		}
		for _, r := range rep.Objects {
			if r.Side == matching.SideCloud && r.ID == id {
				return r.Outcome.String()
			}
		}
		return "-"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tBEFORE\tAFTER")
	seen := map[string]bool{}
	for _, p := range plans {
		for _, c := range p.Changes {
			if seen[c.Target.ID] {
				continue
			}
			seen[c.Target.ID] = true
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Target.UPN, find(before, c.Target.ID), find(after, c.Target.ID))
		}
	}
	tw.Flush()
}
