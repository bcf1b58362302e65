package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/hybridid/hybridid/conversion"
)

// hybridctl doctor: the tenant readiness report (conversion.Readiness), as a table or JSON.

func init() {
	register(&command{
		name:    "doctor",
		summary: "report the tenant's sync features, users the hard-match hardening blocks, and client requirements",
		usage: "doctor --cloud FILE|graph [--graph-endpoint URL] [--journal FILE]... [--format table|json]\n\n" +
			"--journal FILE: a conversion journal; one that turned allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled on\n" +
			"          and never off tells since when the bypass is on (repeatable; read only).\n" +
			"Exit status 0 when no user is blocked and the bypass is off, 1 otherwise.",
		run: runDoctor,
	})
}

func runDoctor(ctx context.Context, e *env, args []string) int {
	const name = "doctor"
	fs := newFlagSet(name)
	cloud := fs.String("cloud", "", "")
	endpoint := fs.String("graph-endpoint", "", "")
	format := fs.String("format", "table", "")
	var journals stringList
	fs.Var(&journals, "journal", "")
	rest, err := parseInterleaved(fs, args)
	switch {
	case err != nil:
		return usageError(e, name, err.Error())
	case len(rest) > 0:
		return usageError(e, name, "unexpected argument "+strconv.Quote(rest[0]))
	case *cloud == "":
		return usageError(e, name, "--cloud is required (a snapshot file or graph)")
	case *format != "table" && *format != "json":
		return usageError(e, name, "--format "+strconv.Quote(*format)+": want table or json")
	}
	var entries [][]conversion.Entry
	for _, j := range journals {
		if _, err := os.Stat(j); err != nil {
			return failure(e, name, err)
		}
		mj, err := conversion.DryRunJournal(j)
		if err != nil {
			return failure(e, name, err)
		}
		es, err := mj.Entries()
		if err != nil {
			return failure(e, name, err)
		}
		entries = append(entries, es)
	}
	snap, err := readCloud(ctx, e, *cloud, *endpoint)
	if err != nil {
		return failure(e, name, err)
	}
	recs, err := snap.Cloud()
	if err != nil {
		return failure(e, name, err)
	}
	rep := conversion.Readiness(&conversion.Input{Tenant: snap.Tenant(), Cloud: recs}, entries...)
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = writeReadiness(e.stdout, rep)
	}
	if err != nil {
		return failure(e, name, err)
	}
	for _, f := range rep.Features {
		if f.Name == conversion.FeatureHardeningBypass && f.On != nil && *f.On {
			return 1
		}
	}
	if len(rep.Blocked) > 0 {
		return 1
	}
	return 0
}

func writeReadiness(w io.Writer, r *conversion.ReadinessReport) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Tenant %s", r.TenantID)
	if !r.AsOf.IsZero() {
		fmt.Fprintf(bw, " as of %s", r.AsOf.UTC().Format(time.RFC3339))
	}
	sync := "unknown"
	if r.SyncEnabled != nil {
		sync = strconv.FormatBool(*r.SyncEnabled)
	}
	fmt.Fprintf(bw, "; directory sync enabled: %s\n\nSync features that change matching:\n", sync)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	for _, f := range r.Features {
		state := "unknown"
		if f.On != nil {
			state = map[bool]string{true: "ON", false: "off"}[*f.On]
		}
		if !f.Since.IsZero() {
			state += " since " + f.Since.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.Name, state, f.Effect)
	}
	tw.Flush()
	fmt.Fprintf(bw, "\nUsers the hard-match hardening blocks: %d\n", len(r.Blocked))
	for _, b := range r.Blocked {
		fmt.Fprintf(bw, "  %s (%s) %s\n    why: %s\n    fix: %s\n", b.UPN, b.ID, b.Code, b.Reason, b.Fix)
	}
	fmt.Fprintf(bw, "\nSync client requirements:\n")
	tw = tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	for _, c := range r.Clients {
		when := "required"
		if !c.Since.IsZero() {
			when = map[bool]string{true: "required since ", false: "required from "}[c.InForce] + c.Since.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "  %s\t>= %s\t%s\t%s\n", c.Client, c.MinVersion, c.For, when)
	}
	tw.Flush()
	if len(r.Notes) > 0 {
		fmt.Fprintf(bw, "\nNotes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(bw, "  - %s\n", n)
		}
	}
	return bw.Flush()
}
