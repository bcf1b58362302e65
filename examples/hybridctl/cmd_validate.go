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
	"strconv"
	"sync"
	"text/tabwriter"

	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/validation"
)

func init() {
	register(&command{
		name:    "validate",
		summary: "find the values Entra would refuse, quarantine or rename before they are synced (IdFix's rules, headless)",
		usage: "validate --onprem FILE|ldap://HOST|ldaps://HOST [--cloud FILE|graph] [--scope DN]... " +
			"[--source-anchor objectGUID|mS-DS-ConsistencyGuid] [--client connect-sync|cloud-sync] [--base DN] [--graph-endpoint URL] " +
			"[--format table|csv|json] [--json] [--fix-ldif FILE] [--accept-partial-export]",
		run: runValidate,
	})
}

// openLDAPObjects reads validation records live from an ldap:// or ldaps:// URL under base (""
// means the domain root). cmd_validate_ldap.go sets it, linking the LDAP adapter in.
var openLDAPObjects func(ctx context.Context, e *env, url, base string) (iter.Seq2[validation.Object, error], error)

func runValidate(ctx context.Context, e *env, args []string) int {
	const name = "validate"
	fs := newFlagSet(name)
	var src sourceFlags
	fixFile := fs.String("fix-ldif", "", "")
	format, cfg, code, ok := parseReportArgs(e, name, fs, &src, args, false)
	if !ok {
		return code
	}
	tuneGC(e, src.cloud != "" && src.filesOnly())

	prog := startProgress(e, "reading and checking the directory")
	defer prog.Stop()
	objects, expected, err := openObjects(ctx, e, &src)
	if err != nil {
		return failure(e, name, err)
	}
	var (
		findings []validation.Finding
		n        int
	)
	if src.cloud == "" {
		findings, n, err = validateStream(objects, expected, prog)
	} else {
		findings, n, err = validateWithTenant(ctx, e, &src, cfg, objects, expected, prog)
	}
	if err != nil {
		return failure(e, name, err)
	}
	prog.Phase("writing the report")
	if *fixFile != "" {
		if err := os.WriteFile(*fixFile, validation.AppendFixLDIF(nil, findings), 0o644); err != nil {
			return failure(e, name, err)
		}
	}
	if err := writeFindings(e.stdout, format, findings, n); err != nil {
		return failure(e, name, err)
	}
	prog.Stop()
	if *fixFile != "" {
		fmt.Fprintf(e.stderr, "hybridctl validate: corrections written to %s for review; nothing was changed (apply with ldapmodify -f %s after review)\n", *fixFile, *fixFile)
	}
	for i := range findings {
		if findings[i].Consequence == validation.Block {
			return 1
		}
	}
	return 0
}

// openObjects streams validation records from an LDIF file or a live directory, and estimates
// how many there are (0: unknown).
func openObjects(ctx context.Context, e *env, flags *sourceFlags) (iter.Seq2[validation.Object, error], int, error) {
	src, base := flags.onprem, flags.base
	if isLDAPURL(src) {
		if openLDAPObjects == nil {
			return nil, 0, errors.New("--onprem " + src + ": this build of hybridctl cannot read a live directory (the LDAP adapter is not linked in); export it with ldifde -f or ldapsearch -LLL and pass the file")
		}
		seq, err := openLDAPObjects(ctx, e, src, base)
		return seq, 0, err
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, 0, err
	}
	expected := 0
	if fi, err := f.Stat(); err == nil {
		// An ldifde export holds at least about 600 bytes per user; guessing low only means
		// the indexes grow once or twice.
		expected = int(min(fi.Size()/640, 1<<26))
	}
	return func(yield func(validation.Object, error) bool) {
		defer f.Close()
		warn := func(w ldif.Warning) { fmt.Fprintf(e.stderr, "hybridctl: warning: %s\n", w) }
		for o, err := range ldif.ReadObjects(f, src, flags.ldifOptions(warn)...) {
			if !yield(o, partialHint(err)) {
				return
			}
		}
	}, expected, nil
}

// validateStream checks each object as it is read: only the values of the unique attributes
// stay in memory. Reading and checking run on two goroutines, handing over batches.
func validateStream(objects iter.Seq2[validation.Object, error], expected int, prog *progress) ([]validation.Finding, int, error) {
	type batch struct {
		objs []validation.Object
		err  error
	}
	const batchLen = 512
	ch := make(chan batch, 8)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(ch)
		b := make([]validation.Object, 0, batchLen)
		for o, err := range objects {
			if err != nil {
				select {
				case ch <- batch{b, err}:
				case <-stop:
				}
				return
			}
			if b = append(b, o); len(b) == batchLen {
				select {
				case ch <- batch{objs: b}:
				case <-stop:
					return
				}
				b = make([]validation.Object, 0, batchLen)
			}
		}
		select {
		case ch <- batch{objs: b}:
		case <-stop:
		}
	}()
	v := validation.New(validation.Config{Expected: expected})
	var out []validation.Finding
	n := 0
	for b := range ch {
		for i := range b.objs {
			out = v.Check(out, &b.objs[i])
		}
		n += len(b.objs)
		prog.Add(len(b.objs))
		if b.err != nil {
			return nil, n, b.err
		}
	}
	return out, n, nil
}

// validateWithTenant reads the directory and the tenant at the same time, then checks every
// object against the tenant's domains and adds the collisions the engine predicts.
func validateWithTenant(ctx context.Context, e *env, src *sourceFlags, cfg matching.Config, objects iter.Seq2[validation.Object, error], expected int, prog *progress) ([]validation.Finding, int, error) {
	var (
		on      []matching.OnPrem
		extra   []validation.Extra // the rest of each object
		onErr   error
		tenant  matching.TenantState
		cloud   []matching.Cloud
		snapErr error
		wg      sync.WaitGroup
	)
	wg.Go(func() { on, extra, onErr = collectObjects(objects, prog) })
	wg.Go(func() { tenant, cloud, snapErr = readCloudRecords(ctx, e, src.cloud, src.endpoint) })
	wg.Wait()
	if onErr != nil {
		return nil, 0, onErr
	}
	if snapErr != nil {
		return nil, 0, snapErr
	}
	// The rules and the engine only read the records: run them side by side.
	prog.Phase("checking and evaluating against the tenant")
	var (
		out []validation.Finding
		rep *matching.Report
	)
	wg.Go(func() {
		// The Validator refers to the records instead of copying them: nothing changes on
		// while both run.
		v := validation.New(validation.Config{Tenant: &tenant, Records: on})
		for i := range on {
			out = v.CheckRecord(out, i, &extra[i])
		}
	})
	// Only the on-premises outcomes are read (InScope, Collisions).
	wg.Go(func() { rep = matching.EvaluateOnPrem(cfg, tenant, on, cloud) })
	wg.Wait()
	out = append(validation.InScope(out, rep), validation.Collisions(on, rep)...)
	return out, len(on), nil
}

// collectObjects gathers the records in fixed-size chunks (see collectProgress), splitting each
// into its matching record and the rest.
func collectObjects(seq iter.Seq2[validation.Object, error], prog *progress) ([]matching.OnPrem, []validation.Extra, error) {
	const chunkLen = 1 << 14
	var (
		chunksOn [][]matching.OnPrem
		chunksX  [][]validation.Extra
	)
	curOn := make([]matching.OnPrem, 0, chunkLen)
	curX := make([]validation.Extra, 0, chunkLen)
	n := 0
	for o, err := range seq {
		if err != nil {
			return nil, nil, err
		}
		if len(curOn) == chunkLen {
			chunksOn, chunksX = append(chunksOn, curOn), append(chunksX, curX)
			curOn, curX = make([]matching.OnPrem, 0, chunkLen), make([]validation.Extra, 0, chunkLen)
		}
		curOn = append(curOn, o.OnPrem)
		curX = append(curX, o.Extra)
		n++
		if n&0x3ff == 0 {
			prog.Add(0x400)
		}
	}
	on := make([]matching.OnPrem, 0, n)
	x := make([]validation.Extra, 0, n)
	for i := range chunksOn {
		on, x = append(on, chunksOn[i]...), append(x, chunksX[i]...)
	}
	return append(on, curOn...), append(x, curX...), nil
}

// validateSummary counts the findings of a run.
type validateSummary struct {
	Objects    int `json:"objects"`
	Errors     int `json:"errors"`
	Warnings   int `json:"warnings"`
	Info       int `json:"info"`
	Block      int `json:"block"`
	Quarantine int `json:"quarantine"`
	Rename     int `json:"rename"`
	Fixable    int `json:"fixable"`
}

func summarize(fs []validation.Finding, n int) validateSummary {
	s := validateSummary{Objects: n}
	for i := range fs {
		switch fs[i].Severity {
		case validation.Error:
			s.Errors++
		case validation.Warning:
			s.Warnings++
		default:
			s.Info++
		}
		switch fs[i].Consequence {
		case validation.Block:
			s.Block++
		case validation.Quarantine:
			s.Quarantine++
		case validation.Rename:
			s.Rename++
		}
		if fs[i].Fix != validation.NoFix {
			s.Fixable++
		}
	}
	return s
}

// writeFindings prints the findings as a table, JSON ({"findings": […], "summary": {…}}) or CSV.
func writeFindings(w io.Writer, format string, fs []validation.Finding, n int) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	sum := summarize(fs, n)
	switch format {
	case "json":
		bw.WriteString("{\n  \"findings\": [")
		for i := range fs {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			b, err := json.Marshal(&fs[i])
			if err != nil {
				return err
			}
			bw.Write(b)
		}
		if len(fs) > 0 {
			bw.WriteString("\n  ")
		}
		b, err := json.Marshal(sum)
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "],\n  \"summary\": %s\n}\n", b)
	case "csv":
		cw := csv.NewWriter(bw)
		cw.Write([]string{"dn", "class", "attribute", "value", "rule", "severity", "consequence", "fix", "suggested", "message", "source"})
		for i := range fs {
			f := &fs[i]
			cw.Write([]string{f.DN, f.Class.String(), f.Attribute, f.Value, string(f.Rule), f.Severity.String(), f.Consequence.String(),
				f.Fix.String(), f.Suggested, f.Message, f.Source})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	default:
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SEVERITY\tCONSEQUENCE\tRULE\tOBJECT\tATTRIBUTE\tVALUE\tSUGGESTED\tMESSAGE")
		for i := range fs {
			f := &fs[i]
			sugg := f.Suggested
			switch {
			case f.Fix == validation.Delete:
				sugg = "(delete)"
			case sugg == "":
				sugg = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Severity, f.Consequence, f.Rule, f.DN, dash(f.Attribute),
				dash(strconv.Quote(f.Value)), sugg, f.Message)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(bw, "\nSummary: %d objects checked; %d errors, %d warnings, %d info; %d would block, %d quarantine, %d rename; %d with a suggested fix\n",
			sum.Objects, sum.Errors, sum.Warnings, sum.Info, sum.Block, sum.Quarantine, sum.Rename, sum.Fixable)
	}
	return bw.Flush()
}

func dash(s string) string {
	if s == "" || s == `""` {
		return "-"
	}
	return s
}
