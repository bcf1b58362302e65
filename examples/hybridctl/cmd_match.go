package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

func init() {
	register(&command{
		name:    "match",
		summary: "predict what Entra Connect Sync does with every object, and why",
		usage: "match --onprem FILE|ldap://HOST|ldaps://HOST --cloud FILE|graph [--scope DN]... " +
			"[--source-anchor objectGUID|mS-DS-ConsistencyGuid] [--client connect-sync|cloud-sync] [--base DN] [--graph-endpoint URL] [--format table|json|csv] [--json] [--accept-partial-export]",
		run: runMatch,
	})
}

func runMatch(ctx context.Context, e *env, args []string) int {
	const name = "match"
	fs := newFlagSet(name)
	var src sourceFlags
	format, cfg, code, ok := parseReportArgs(e, name, fs, &src, args, true)
	if !ok {
		return code
	}
	tuneGC(e, src.filesOnly())

	prog := startProgress(e, "reading the directory and the tenant")
	defer prog.Stop()
	on, tenant, cloud, err := src.read(ctx, e, prog)
	if err != nil {
		return failure(e, name, err)
	}
	prog.Phase("evaluating")
	rep := matching.Evaluate(cfg, tenant, on, cloud)
	prog.Phase("writing the report")
	if err := writeReport(e.stdout, format, rep); err != nil {
		return failure(e, name, err)
	}
	return readErrorsExit(e, name, rep)
}

// readErrorsExit says on stderr how many on-premises objects could not be read (outcome error)
// and returns 1 when there are any; every other object was still predicted.
func readErrorsExit(e *env, name string, rep *matching.Report) int {
	n := rep.Summary[matching.Error]
	if n == 0 {
		return 0
	}
	what := strconv.Itoa(n) + " objects"
	if n == 1 {
		what = "1 object"
	}
	fmt.Fprintf(e.stderr, "hybridctl %s: %s could not be read (outcome error; the reason names the attribute, the value and the line); every other object was predicted\n", name, what)
	return 1
}

// tuneGC trades memory for speed on large inputs, unless the user set GOGC or GOMEMLIMIT. The
// heap stays under a soft limit of 3.5 GiB. A command that streams (validate without a tenant)
// or reads a live source (whose client leaves garbage behind every page) collects when the heap
// has grown five times (GOGC 400). A command that reads both sides from files and keeps them until
// the end (keepsAll: match, validate with a tenant) leaves its garbage until the limit: nearly
// everything it allocates stays alive, so a collection would mark it for little, and on
// 2-core virtual machines the collector's stack scans and the pages it maps read-only cost
// more than the marking. A million objects each side then run in a fifth less time and
// half the system time, peaking near 3 GB.
func tuneGC(e *env, keepsAll bool) {
	if e.getenv("GOGC") != "" || e.getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(3584 << 20)
	if keepsAll {
		debug.SetGCPercent(-1)
		return
	}
	debug.SetGCPercent(400)
}

func isLDAPURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "ldap://") || strings.HasPrefix(l, "ldaps://")
}

// readOnPrem reads the on-premises objects from an LDIF file or, through the openLDAP hook, a
// live directory.
func readOnPrem(ctx context.Context, e *env, src, base string, prog *progress) ([]matching.OnPrem, error) {
	var seq iter.Seq2[matching.OnPrem, error]
	if isLDAPURL(src) {
		if openLDAP == nil {
			return nil, errors.New("--onprem " + src + ": this build of hybridctl cannot read a live directory (the LDAP adapter is not linked in); export it with ldifde -f or ldapsearch -LLL and pass the file")
		}
		s, err := openLDAP(ctx, e, src, base)
		if err != nil {
			return nil, err
		}
		seq = s
	} else {
		f, err := os.Open(src)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		seq = ldif.ReadOnPrem(f, src, ldif.Mapping{})
	}
	return collectProgress(seq, prog)
}

// collect gathers the records in fixed-size chunks and copies them into one slice at the end,
// so that a million records are not copied again at every doubling of a growing slice.
func collect(seq iter.Seq2[matching.OnPrem, error]) ([]matching.OnPrem, error) {
	return collectProgress(seq, nil)
}

// collectProgress is collect counting the records on prog (which may be nil).
func collectProgress(seq iter.Seq2[matching.OnPrem, error], prog *progress) ([]matching.OnPrem, error) {
	const chunkLen = 1 << 14
	var chunks [][]matching.OnPrem
	cur := make([]matching.OnPrem, 0, chunkLen)
	n := 0
	for rec, err := range seq {
		if err != nil {
			return nil, err
		}
		if len(cur) == chunkLen {
			chunks = append(chunks, cur)
			cur = make([]matching.OnPrem, 0, chunkLen)
		}
		cur = append(cur, rec)
		n++
		if n&0x3ff == 0 {
			prog.Add(0x400)
		}
	}
	if len(chunks) == 0 {
		return cur, nil
	}
	out := make([]matching.OnPrem, 0, n)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, cur...), nil
}

// readCloud reads the tenant from a snapshot file or, through the openGraph hook, live.
func readCloud(ctx context.Context, e *env, src, endpoint string) (*snapshot.Snapshot, error) {
	if src == "graph" {
		if openGraph == nil {
			return nil, errors.New("--cloud graph: this build of hybridctl cannot read a live tenant (the Graph adapter is not linked in); pass a snapshot file")
		}
		return openGraph(ctx, e, endpoint)
	}
	return snapshot.ReadFile(src)
}

// readCloudRecords reads the tenant as the engine reads it. A snapshot file is turned into
// records as it is read (snapshot.ReadFileRecords), so that its objects and the records are
// never in memory together.
func readCloudRecords(ctx context.Context, e *env, src, endpoint string) (matching.TenantState, []matching.Cloud, error) {
	if src != "graph" {
		return snapshot.ReadFileRecords(src)
	}
	snap, err := readCloud(ctx, e, src, endpoint)
	if err != nil {
		return matching.TenantState{}, nil, err
	}
	cloud, err := snap.Cloud()
	return snap.Tenant(), cloud, err
}

// writeReport prints rep as a table, JSON (docs/cli.md) or CSV.
func writeReport(w io.Writer, format string, rep *matching.Report) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var err error
	switch format {
	case "json":
		err = writeJSON(bw, rep)
	case "csv":
		err = writeCSV(bw, rep)
	default:
		err = writeTable(bw, rep)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// writeJSON streams the report in the shape of docs/cli.md: objects one per line, then the
// summary and the warnings (their messages).
func writeJSON(w *bufio.Writer, rep *matching.Report) error {
	w.WriteString("{\n  \"objects\": [")
	for i := range rep.Objects {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n    ")
		b, err := json.Marshal(&rep.Objects[i])
		if err != nil {
			return err
		}
		w.Write(b)
	}
	if len(rep.Objects) > 0 {
		w.WriteString("\n  ")
	}
	w.WriteString("],\n  \"summary\": ")
	b, err := json.Marshal(rep.Summary)
	if err != nil {
		return err
	}
	w.Write(b)
	w.WriteString(",\n  \"warnings\": ")
	msgs := make([]string, len(rep.Warnings))
	for i, wa := range rep.Warnings {
		msgs[i] = wa.Message
	}
	if b, err = json.Marshal(msgs); err != nil {
		return err
	}
	w.Write(b)
	fmt.Fprintf(w, ",\n  \"exportStopped\": %t\n}\n", rep.ExportStopped)
	return nil
}

var csvHeader = []string{"side", "class", "dn", "id", "upn", "anchor", "outcome", "code", "target", "predictedUpn", "reason", "fix"}

func writeCSV(w io.Writer, rep *matching.Report) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for i := range rep.Objects {
		r := &rep.Objects[i]
		cw.Write([]string{r.Side.String(), r.Class.String(), r.DN, r.ID, r.UPN, r.Anchor, r.Outcome.String(), r.Code.String(),
			r.Target, r.PredictedUPN, r.Reason, r.Fix})
	}
	cw.Flush()
	return cw.Error()
}

// writeTable prints one aligned row per object (the reason last, unaligned), then the summary
// and the warnings.
func writeTable(w io.Writer, rep *matching.Report) error {
	// A stopped export changes everything below, so it is said first.
	if rep.ExportStopped {
		for _, wa := range rep.Warnings {
			if wa.Code == matching.WarnDeletionThreshold {
				fmt.Fprintf(w, "EXPORT STOPPED: %s.\n\n", wa.Message)
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SIDE\tOBJECT\tOUTCOME\tCODE\tTARGET\tREASON")
	for i := range rep.Objects {
		r := &rep.Objects[i]
		obj := r.DN
		if r.Side == matching.SideCloud {
			obj = r.ID
			if r.UPN != "" {
				obj = r.UPN + " (" + r.ID + ")"
			}
		}
		code, target := r.Code.String(), r.Target
		if code == "" {
			code = "-"
		}
		if target == "" {
			target = "-"
		}
		reason := r.Reason
		if r.Fix != "" {
			reason += " Fix: " + r.Fix
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Side, obj, r.Outcome, code, target, reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nSummary: %s\n", summaryLine(rep))
	if len(rep.Warnings) > 0 {
		fmt.Fprintln(w, "\nWarnings:")
		for _, wa := range rep.Warnings {
			fmt.Fprintf(w, "  - %s\n", wa.Message)
		}
	}
	return nil
}

// summaryLine lists the counts by outcome in the order of the spec.
func summaryLine(rep *matching.Report) string {
	var parts []string
	for o := matching.Outcome(1); o.String() != ""; o++ {
		if n := rep.Summary[o]; n > 0 {
			parts = append(parts, o.String()+" "+strconv.Itoa(n))
		}
	}
	if len(parts) == 0 {
		return "no objects"
	}
	return strings.Join(parts, ", ")
}
