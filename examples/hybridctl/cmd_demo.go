package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"strconv"

	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

// demoData is the sample directory and tenant the demo runs on: corp.example.test (an ldifde
// export, sync scope OU=Synced) and the Contoso tenant, written so that every outcome and every
// block code of ../shared/spec/outcomes.md shows up with a reason a person can follow.
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
		summary: "run the match on built-in sample data (no network, no set-up)",
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
	if rep, err = evaluate(cfg, snap, on); err != nil {
		return nil, nil, err
	}
	snap.OnPremisesSynchronization.Features.BlockSoftMatchEnabled = true
	if strict, err = evaluate(cfg, snap, on); err != nil {
		return nil, nil, err
	}
	return rep, strict, nil
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
	fmt.Fprintln(w, "  Turn it off for the matching run, then on again (reference §2.4).")
}
