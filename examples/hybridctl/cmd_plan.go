package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/matching"
)

// hybridctl plan / apply / undo (docs/cli.md): thin commands over conversion's
// planners and Applier.

func init() {
	register(&command{
		name:    "plan",
		summary: "plan converting users between synced and cloud-only (a reviewable plan file)",
		usage: "plan --to cloud-only|synced --onprem FILE|ldap://HOST --cloud FILE|graph [--method M] (--users FILE|--all) [-o plan.json]\n" +
			"       [--scope DN]... [--source-anchor objectGUID|mS-DS-ConsistencyGuid] [--base DN] [--graph-endpoint URL]\n" +
			"       [--allow-privileged] [--clear-immutable-id] [--create-ou DN] [--target-ou DN] [--confirm-tenant ID] [--json]\n\n" +
			"--method: for --to cloud-only soa (default), ou-move (needs --target-ou), tenant-wide (needs --confirm-tenant);\n" +
			"          for --to synced hard-match (default; --create-ou creates missing AD users), re-anchor, soft-match.\n" +
			"--users FILE: one user per line, by UPN or object id ('-' reads stdin); blank lines and # comments are ignored.\n" +
			"Exit status 0 when no user is refused, 1 otherwise.",
		run: runPlan,
	})
	register(&command{
		name:    "apply",
		summary: "carry out a plan step by step, journaled and resumable",
		usage: "apply PLAN.json --journal FILE [--onprem ldap://HOST] [--graph-endpoint URL] [--dry-run] [--resolve]\n" +
			"       [--allow-privileged] [--wait DURATION] [--json]\n\n" +
			"--dry-run prints exactly the writes apply would make, and writes nothing (not even the journal).\n" +
			"--resolve settles a dirty journal (a write started with no recorded outcome) by re-reading its targets.\n" +
			"--wait bounds how long one run waits for a sync cycle (default 2h); a later run continues the wait.\n" +
			"Exit status 0 when every change is applied, 1 otherwise.",
		run: runApply,
	})
	register(&command{
		name:    "undo",
		summary: "reverse, newest first, what a journal records as applied",
		usage: "undo --journal FILE [--onprem ldap://HOST] [--graph-endpoint URL] [--dry-run] [--resolve] [--allow-privileged] [--json]\n\n" +
			"--allow-privileged: undo changes of users who hold an Entra directory role now (refused otherwise, as in apply).\n" +
			"Exit status 0 when every change was reversed, 1 otherwise (restore-user and create-user cannot be undone).",
		run: runUndo,
	})
}

// planMethods lists the --method words of each --to direction; the first is the default.
var planMethods = map[string][]string{
	"cloud-only": {conversion.MethodSOA, conversion.MethodOUMove, conversion.MethodTenant},
	"synced":     {conversion.MethodHardMatch, conversion.MethodReAnchor, conversion.MethodSoftMatch},
}

var planners = map[string]func(*conversion.Input, *conversion.Options) *conversion.Plan{
	conversion.MethodSOA:       conversion.PlanSOA,
	conversion.MethodOUMove:    conversion.PlanOUMove,
	conversion.MethodTenant:    conversion.PlanTenantWide,
	conversion.MethodHardMatch: conversion.PlanHardMatch,
	conversion.MethodReAnchor:  conversion.PlanReAnchor,
	conversion.MethodSoftMatch: conversion.PlanSoftMatch,
}

// predict is the matching engine, as planners take it.
var planPredict conversion.Predictor = matching.Evaluate

func runPlan(ctx context.Context, e *env, args []string) int {
	const name = "plan"
	fs := newFlagSet(name)
	var src sourceFlags
	src.register(fs)
	to := fs.String("to", "", "")
	method := fs.String("method", "", "")
	usersFile := fs.String("users", "", "")
	all := fs.Bool("all", false, "")
	out := fs.String("o", "", "")
	allowPriv := fs.Bool("allow-privileged", false, "")
	clearID := fs.Bool("clear-immutable-id", false, "")
	createOU := fs.String("create-ou", "", "")
	targetOU := fs.String("target-ou", "", "")
	confirm := fs.String("confirm-tenant", "", "")
	asJSON := fs.Bool("json", false, "")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(e, name, err.Error())
	}
	if len(rest) > 0 {
		return usageError(e, name, "unexpected argument "+strconv.Quote(rest[0]))
	}
	methods, ok := planMethods[*to]
	if !ok {
		return usageError(e, name, "--to "+strconv.Quote(*to)+": want cloud-only or synced")
	}
	if *method == "" {
		*method = methods[0]
	}
	if !slices.Contains(methods, *method) {
		return usageError(e, name, fmt.Sprintf("--method %q with --to %s: want one of %s", *method, *to, strings.Join(methods, ", ")))
	}
	needsAD := *method != conversion.MethodSOA && *method != conversion.MethodTenant
	switch {
	case src.cloud == "":
		return usageError(e, name, "--cloud is required (a snapshot file or graph)")
	case src.onprem == "" && needsAD:
		return usageError(e, name, "--onprem is required for --method "+*method+" (an LDIF file or an ldap:// or ldaps:// URL)")
	case (*usersFile == "") == !*all:
		return usageError(e, name, "choose the users: --users FILE (one per line) or --all, not both")
	case *method == conversion.MethodOUMove && *targetOU == "":
		return usageError(e, name, "--method ou-move needs --target-ou DN (an OU outside the sync scope)")
	case *targetOU != "" && *method != conversion.MethodOUMove:
		return usageError(e, name, "--target-ou applies only to --method ou-move")
	case *createOU != "" && *method != conversion.MethodHardMatch:
		return usageError(e, name, "--create-ou applies only to --method hard-match")
	case *confirm != "" && *method != conversion.MethodTenant:
		return usageError(e, name, "--confirm-tenant applies only to --method tenant-wide")
	case src.check() != "":
		return usageError(e, name, src.check())
	}
	cfg, msg := src.config()
	if msg != "" {
		return usageError(e, name, msg)
	}
	var users []string
	if *usersFile != "" {
		if users, err = readUsersFile(e, *usersFile); err != nil {
			return failure(e, name, err)
		}
		if len(users) == 0 {
			return failure(e, name, fmt.Errorf("%s lists no users (use --all to select every user the method applies to)", displayName(*usersFile)))
		}
	}

	prog := startProgress(e, "reading the directory and the tenant")
	on, snap, err := src.read(ctx, e, prog)
	prog.Stop()
	if err != nil {
		return failure(e, name, err)
	}
	cloudRecs, err := snap.Cloud()
	if err != nil {
		return failure(e, name, err)
	}
	in := &conversion.Input{Tenant: snap.Tenant(), Cloud: cloudRecs, OnPrem: on, Config: cfg}
	opts := &conversion.Options{
		CreatedAt: time.Now().UTC().Truncate(time.Second), Users: users, AllowRoles: *allowPriv,
		ClearImmutableID: *clearID, CreateOU: *createOU, TargetOU: *targetOU, Confirm: *confirm, Predict: planPredict,
	}
	p := planners[*method](in, opts)

	if *out != "" {
		if err := writePlanFile(*out, p); err != nil {
			return failure(e, name, err)
		}
	}
	if *asJSON {
		err = p.WriteJSON(e.stdout)
	} else {
		err = writePlanTable(e.stdout, p)
	}
	if err != nil {
		return failure(e, name, err)
	}
	if *out != "" && len(p.Changes) > 0 {
		fmt.Fprintf(e.stderr, "hybridctl plan: wrote %s; review it, then: hybridctl apply %s --journal %s\n",
			*out, *out, strings.TrimSuffix(*out, filepath.Ext(*out))+".journal")
	}
	if len(p.Refused) > 0 {
		fmt.Fprintf(e.stderr, "hybridctl plan: %d refused:\n", len(p.Refused))
		for _, r := range p.Refused {
			fmt.Fprintf(e.stderr, "  %s: %s: %s%s\n", refusedWho(r), r.Code, r.Reason, fixText(r))
		}
		return 1
	}
	return 0
}

// readUsersFile reads a --users list; "-" is stdin.
func readUsersFile(e *env, path string) ([]string, error) {
	if path == "-" {
		return conversion.ReadUsers(e.stdin, "stdin")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return conversion.ReadUsers(f, path)
}

func displayName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

// writePlanFile writes the plan next to its final name and renames it into place, so that an
// interrupted write never leaves half a plan.
func writePlanFile(path string, p *conversion.Plan) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := p.WriteJSON(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func refusedWho(r conversion.Refusal) string {
	switch {
	case r.UPN != "" && r.Subject != "" && r.UPN != r.Subject:
		return r.UPN + " (" + r.Subject + ")"
	case r.UPN != "":
		return r.UPN
	case r.Subject != "":
		return r.Subject
	}
	return "the whole plan"
}

func fixText(r conversion.Refusal) string {
	fix := r.Fix
	if r.Code == conversion.RefuseConfirm {
		fix = "pass --confirm-tenant with the tenant id, after reading the reason"
	}
	if r.Code == conversion.RefuseRoleHolder {
		fix = "review the role assignments, then plan again with --allow-privileged"
	}
	if fix == "" {
		return ""
	}
	return " Fix: " + fix
}

// writePlanTable prints the plan for review: a header, one row per change, the refused users and
// the notes.
func writePlanTable(w io.Writer, p *conversion.Plan) error {
	subjects := map[string]bool{}
	for _, c := range p.Changes {
		subjects[c.Subject] = true
	}
	fmt.Fprintf(w, "Plan %s for tenant %s, made %s: %d change(s)", p.Method, p.TenantID, p.CreatedAt.Format(time.RFC3339), len(p.Changes))
	if n := len(subjects); n > 0 && !subjects[""] {
		fmt.Fprintf(w, " for %d user(s)", n)
	}
	fmt.Fprintf(w, ", %d refused\n\n", len(p.Refused))
	if len(p.Changes) == 0 {
		fmt.Fprintln(w, "No changes.")
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tACTION\tTARGET\tBEFORE\tAFTER\tREASON")
		for _, c := range p.Changes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Action, c.Target, c.Before, c.After, c.Reason)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(p.Refused) > 0 {
		fmt.Fprintln(w, "\nRefused:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "USER\tCODE\tREASON")
		for _, r := range p.Refused {
			fmt.Fprintf(tw, "%s\t%s\t%s%s\n", refusedWho(r), r.Code, r.Reason, fixText(r))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(p.Notes) > 0 {
		fmt.Fprintln(w, "\nNotes:")
		for _, n := range p.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
	return nil
}

// convPorts are the adapters apply and undo write through.
type convPorts struct {
	dir    conversion.Directory
	ten    conversion.Tenant
	closer io.Closer
}

func (p *convPorts) Close() {
	if p.closer != nil {
		p.closer.Close()
	}
}

// connect reaches the ports for cmd with connectPorts and the flags' tenant and directory. On
// failure it prints the error and returns nil and the exit status (2 for a usage problem).
func (f *runFlags) connect(ctx context.Context, e *env, cmd string, touchesDir bool) (*convPorts, int) {
	pt, usage, err := connectPorts(ctx, e, f.endpoint, f.onprem, touchesDir, openTenant, openDirectory)
	switch {
	case usage:
		return nil, usageError(e, cmd, err.Error())
	case err != nil:
		return nil, failure(e, cmd, err)
	}
	return pt, 0
}

// connectPorts reaches the tenant (always) and the directory (when needsDir) the way plan reads
// them: --graph-endpoint or HYBRIDCTL_GRAPH_ENDPOINT through openTenant, and an ldap(s):// URL
// through openDirectory. A nil hook is a build without that adapter. The returned error is a
// usage problem when usage is true.
func connectPorts(ctx context.Context, e *env, endpoint, onprem string, needsDir bool,
	openTen func(context.Context, *env, string) (conversion.Tenant, error),
	openDir func(context.Context, *env, string) (conversion.Directory, io.Closer, error),
) (p *convPorts, usage bool, err error) {
	p = &convPorts{dir: noDirectory{}}
	if needsDir {
		switch {
		case onprem == "":
			return nil, true, errors.New("the changes write to Active Directory: --onprem ldap://HOST or ldaps://HOST is required")
		case !isLDAPURL(onprem):
			return nil, true, errors.New("--onprem " + strconv.Quote(onprem) + ": changes are written to a live directory, give an ldap:// or ldaps:// URL")
		case openDir == nil:
			return nil, false, errors.New("this build of hybridctl cannot write to a live directory (the LDAP adapter is not linked in)")
		}
	}
	if openTen == nil {
		return nil, false, errors.New("this build of hybridctl cannot reach a live tenant (the Graph adapter is not linked in)")
	}
	ten, err := openTen(ctx, e, endpoint)
	if err != nil {
		return nil, false, fmt.Errorf("connecting to the tenant: %w", err)
	}
	p.ten = ten
	if needsDir {
		dir, c, err := openDir(ctx, e, onprem)
		if err != nil {
			return nil, false, fmt.Errorf("connecting to %s: %w", onprem, err)
		}
		p.dir, p.closer = dir, c
	}
	return p, false, nil
}

func touchesDirectory(changes iter.Seq[conversion.Change]) bool {
	for c := range changes {
		if c.Target.Side == conversion.SideOnPrem {
			return true
		}
	}
	return false
}

// errNoDirectory is what noDirectory answers.
var errNoDirectory = errors.New("no directory: the plan was expected not to touch Active Directory (give --onprem)")

// noDirectory stands in for the directory when the plan or journal has no on-premises change.
type noDirectory struct{}

func (noDirectory) User(context.Context, anchor.ObjectGUID) (matching.OnPrem, error) {
	return matching.OnPrem{}, errNoDirectory
}
func (noDirectory) UserByDN(context.Context, string) (matching.OnPrem, error) {
	return matching.OnPrem{}, errNoDirectory
}
func (noDirectory) SetConsistencyGUID(context.Context, anchor.ObjectGUID, anchor.ObjectGUID, anchor.ObjectGUID) error {
	return errNoDirectory
}
func (noDirectory) ReplaceProxyAddresses(context.Context, anchor.ObjectGUID, []string, []string) error {
	return errNoDirectory
}
func (noDirectory) SetMail(context.Context, anchor.ObjectGUID, string, string) error {
	return errNoDirectory
}
func (noDirectory) SetUPN(context.Context, anchor.ObjectGUID, string, string) error {
	return errNoDirectory
}
func (noDirectory) Move(context.Context, anchor.ObjectGUID, string, string) error {
	return errNoDirectory
}
func (noDirectory) CreateUser(context.Context, conversion.NewUser) (anchor.ObjectGUID, error) {
	return anchor.ObjectGUID{}, errNoDirectory
}

// runFlags are the flags apply and undo share.
type runFlags struct {
	journal, onprem, endpoint string
	dryRun, resolve, asJSON   bool
}

func (f *runFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&f.journal, "journal", "", "")
	fs.StringVar(&f.onprem, "onprem", "", "")
	fs.StringVar(&f.endpoint, "graph-endpoint", "", "")
	fs.BoolVar(&f.dryRun, "dry-run", false, "")
	fs.BoolVar(&f.resolve, "resolve", false, "")
	fs.BoolVar(&f.asJSON, "json", false, "")
}

// openRunJournal opens the journal of a run. A dry run must not touch the file: it gets a copy
// in memory of what the file holds (nothing when it does not exist yet).
func openRunJournal(path string, dryRun bool) (conversion.Journal, func(), error) {
	if !dryRun {
		j, err := conversion.OpenJournal(path)
		if err != nil {
			return nil, nil, err
		}
		return j, func() { j.Close() }, nil
	}
	mj := &conversion.MemJournal{}
	if path == "" {
		return mj, func() {}, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return mj, func() {}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	entries, err := conversion.ReadJournal(path, data)
	if err != nil {
		return nil, nil, err
	}
	for _, en := range entries {
		mj.Append(en)
	}
	return mj, func() {}, nil
}

// applyProgress returns the Applier's progress hook: every change's outcome and every wait on stderr
// when it is a terminal and the output is not JSON; actions the operator must take always.
func applyProgress(e *env, cmd string, asJSON bool) func(conversion.Event) {
	show := e.stderrTTY && !asJSON
	return func(ev conversion.Event) {
		switch ev.Status {
		case conversion.EventActionNeeded:
			fmt.Fprintf(e.stderr, "hybridctl %s: ACTION NEEDED (%s %s): %s\n", cmd, ev.ChangeID, ev.Target, ev.Message)
		case conversion.EventStarted:
		case conversion.EventWaiting, conversion.EventRetrying:
			if show {
				fmt.Fprintf(e.stderr, "[%d/%d] %s %s: %s\n", ev.Done, ev.Total, ev.ChangeID, ev.Action, ev.Message)
			}
		default:
			if show {
				line := fmt.Sprintf("[%d/%d] %s %s %s: %s", ev.Done, ev.Total, ev.ChangeID, ev.Action, ev.Target, ev.Status)
				if ev.Err != nil {
					line += " (" + ev.Err.Error() + ")"
				}
				fmt.Fprintln(e.stderr, line)
			}
		}
	}
}

func runApply(ctx context.Context, e *env, args []string) int {
	const name = "apply"
	fs := newFlagSet(name)
	var f runFlags
	f.register(fs)
	allowPriv := fs.Bool("allow-privileged", false, "")
	wait := fs.Duration("wait", 2*time.Hour, "")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(e, name, err.Error())
	}
	switch {
	case len(rest) > 1:
		return usageError(e, name, "unexpected argument "+strconv.Quote(rest[1]))
	case len(rest) == 0 && !f.resolve:
		return usageError(e, name, "the plan file is required (hybridctl apply PLAN.json --journal FILE)")
	case f.journal == "" && !f.dryRun:
		return usageError(e, name, "--journal FILE is required: it records every write so that the run can resume and be undone")
	case f.resolve && f.dryRun:
		return usageError(e, name, "--resolve and --dry-run do not go together")
	case *wait <= 0:
		return usageError(e, name, "--wait must be positive")
	}
	if f.resolve {
		return resolveJournal(ctx, e, name, &f)
	}
	p, err := readPlanFile(rest[0])
	if err != nil {
		return failure(e, name, err)
	}
	pt, code := f.connect(ctx, e, name, touchesDirectory(slices.Values(p.Changes)))
	if pt == nil {
		return code
	}
	defer pt.Close()
	if !*allowPriv {
		if err := checkPrivileged(ctx, pt.ten, p); err != nil {
			return failure(e, name, err)
		}
	}
	j, closeJ, err := openRunJournal(f.journal, f.dryRun)
	if err != nil {
		return failure(e, name, err)
	}
	defer closeJ()
	a := &conversion.Applier{Directory: pt.dir, Tenant: pt.ten, Journal: j, DryRun: f.dryRun,
		WaitTimeout: *wait, Progress: applyProgress(e, name, f.asJSON)}
	res, err := a.Apply(ctx, p)
	return finishRun(e, name, &f, res, err)
}

func readPlanFile(path string) (*conversion.Plan, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	p, err := conversion.ReadPlan(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// checkPrivileged refuses a plan that changes a cloud user holding an Entra role now (roles may
// have been assigned since the plan was made), unless --allow-privileged.
func checkPrivileged(ctx context.Context, ten conversion.Tenant, p *conversion.Plan) error {
	org, err := ten.Organization(ctx)
	if err != nil {
		return fmt.Errorf("reading the tenant: %w", err)
	}
	if !strings.EqualFold(org.ID, p.TenantID) {
		return nil // Apply refuses the plan with the reason
	}
	return roleHolders(org, "plan", slices.Values(p.Changes))
}

// roleHolders refuses changes that concern a cloud user holding an Entra role in org: a change
// of the cloud user itself, or a change whose subject it is (the planners name a conversion by
// the cloud user's id: a re-anchor or soft-match plan changes only the AD side of a user that
// sync will then join to the cloud user).
func roleHolders(org matching.Tenant, what string, changes iter.Seq[conversion.Change]) error {
	holders := map[string]bool{}
	for _, r := range org.Roles {
		holders[r.PrincipalID] = true
	}
	var names []string
	seen := map[string]bool{}
	for c := range changes {
		switch {
		case c.Target.Side == conversion.SideCloud && holders[c.Target.ID] && !seen[c.Target.ID]:
			seen[c.Target.ID] = true
			names = append(names, c.Target.String())
		case c.Subject != "" && holders[c.Subject] && !seen[c.Subject]:
			seen[c.Subject] = true
			names = append(names, "cloud "+c.Subject+" (subject of "+c.ID+" on "+c.Target.String()+")")
		}
	}
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("the %s changes user(s) holding an Entra directory role: %s; review the role assignments, then run again with --allow-privileged", what, strings.Join(names, "; "))
}

// finishRun prints the result of an apply or undo and returns the exit status.
func finishRun(e *env, cmd string, f *runFlags, res *conversion.Result, err error) int {
	if err != nil {
		explainRunError(e, cmd, f, err)
		if res != nil && !f.asJSON {
			writeResult(e.stdout, res)
		}
		return 1
	}
	if f.asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return failure(e, cmd, err)
		}
	} else {
		writeResult(e.stdout, res)
	}
	if res.OK() {
		return 0
	}
	var bad []conversion.ChangeResult
	for _, c := range res.Changes {
		if !okStatus(c.Status) {
			bad = append(bad, c)
		}
	}
	fmt.Fprintf(e.stderr, "hybridctl %s: %d of %d change(s) did not succeed (%s):\n", cmd, len(bad), len(res.Changes), res.Summary())
	for _, c := range bad {
		fmt.Fprintf(e.stderr, "  %s %s %s: %s\n", c.ID, c.Action, c.Target, statusHelp(cmd, f, c))
	}
	return 1
}

func okStatus(s conversion.Status) bool {
	switch s {
	case conversion.StatusApplied, conversion.StatusAlready, conversion.StatusDone, conversion.StatusPlanned, conversion.StatusNotApplied:
		return true
	}
	return false
}

// statusHelp says why a change did not succeed and what to do about it.
func statusHelp(cmd string, f *runFlags, c conversion.ChangeResult) string {
	why := c.Error
	switch c.Status {
	case conversion.StatusStale:
		return why + "; the target changed since the plan was made: make the plan again"
	case conversion.StatusSkipped:
		if why == "" {
			why = "skipped"
		}
		return why + " (not attempted: an earlier change of the same user did not succeed)"
	case conversion.StatusPending:
		return why + "; run " + cmd + " again later with the same journal to continue"
	case conversion.StatusUnknown:
		return why + "; run hybridctl " + cmd + " --resolve --journal " + f.journal
	}
	return string(c.Status) + ": " + why
}

// explainRunError prints why a run could not start or had to stop, and what to do.
func explainRunError(e *env, cmd string, f *runFlags, err error) {
	var dirty *conversion.DirtyError
	switch {
	case errors.As(err, &dirty):
		fmt.Fprintf(e.stderr, "hybridctl %s: the journal %s is dirty: change(s) %s were started and have no recorded outcome,\n"+
			"so the write may or may not have happened (a crash, a lost connection or a lost response).\n"+
			"Nothing more is written until that is settled. To re-read those targets and record what happened, run:\n"+
			"  hybridctl %s --resolve --journal %s\nthen run the same command again.\n",
			cmd, f.journal, strings.Join(dirty.ChangeIDs, ", "), cmd, f.journal)
	case errors.Is(err, conversion.ErrWrongTenant):
		fmt.Fprintf(e.stderr, "hybridctl %s: refused: %v. A plan is made for one tenant; check --graph-endpoint and the credentials, or make the plan against this tenant.\n", cmd, err)
	case errors.Is(err, conversion.ErrJournalMismatch):
		fmt.Fprintf(e.stderr, "hybridctl %s: refused: %v. Each plan needs its own journal: give a new --journal file (the old one still undoes the old plan).\n", cmd, err)
	default:
		fmt.Fprintf(e.stderr, "hybridctl %s: %v\n", cmd, err)
	}
}

// writeResult prints one row per change, the writes made (or, in a dry run, that apply would
// make) and the summary.
func writeResult(w io.Writer, res *conversion.Result) {
	if len(res.Changes) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tACTION\tTARGET\tSTATUS\tDETAIL")
		for _, c := range res.Changes {
			detail := c.Error
			if detail == "" {
				detail = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Action, c.Target, c.Status, detail)
		}
		tw.Flush()
	}
	if len(res.Writes) > 0 {
		if res.DryRun {
			fmt.Fprintln(w, "\nWrites apply would make (dry run: nothing was written):")
		} else {
			fmt.Fprintln(w, "\nWrites made:")
		}
		for _, wr := range res.Writes {
			fmt.Fprintf(w, "  %s %s: %s -> %s\n", wr.Op, wr.Target, wr.Old, wr.New)
		}
	}
	fmt.Fprintf(w, "\nSummary: %s\n", res.Summary())
}

// resolveJournal runs Applier.Resolve on the journal of f.
func resolveJournal(ctx context.Context, e *env, cmd string, f *runFlags) int {
	if _, err := os.Stat(f.journal); err != nil {
		return failure(e, cmd, err)
	}
	j, err := conversion.OpenJournal(f.journal)
	if err != nil {
		return failure(e, cmd, err)
	}
	defer j.Close()
	entries, err := j.Entries()
	if err != nil {
		return failure(e, cmd, err)
	}
	pt, code := f.connect(ctx, e, cmd, touchesDirectory(entryChanges(entries)))
	if pt == nil {
		return code
	}
	defer pt.Close()
	a := &conversion.Applier{Directory: pt.dir, Tenant: pt.ten, Journal: j}
	res, err := a.Resolve(ctx)
	if err != nil {
		return failure(e, cmd, err)
	}
	if f.asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
	} else if len(res.Changes) == 0 {
		fmt.Fprintln(e.stdout, "The journal is clean: nothing to resolve.")
	} else {
		writeResult(e.stdout, res)
	}
	if n := res.Count(conversion.StatusUnknown); n > 0 {
		fmt.Fprintf(e.stderr, "hybridctl %s: %d change(s) hold neither their before nor their after value: look at them, fix them by hand, and resolve again\n", cmd, n)
		return 1
	}
	if len(res.Changes) > 0 {
		fmt.Fprintf(e.stderr, "hybridctl %s: journal %s resolved; run %s again to continue\n", cmd, f.journal, cmd)
	}
	return 0
}

func entryChanges(entries []conversion.Entry) iter.Seq[conversion.Change] {
	return func(yield func(conversion.Change) bool) {
		for _, en := range entries {
			if en.Change != nil && !yield(*en.Change) {
				return
			}
		}
	}
}

func runUndo(ctx context.Context, e *env, args []string) int {
	const name = "undo"
	fs := newFlagSet(name)
	var f runFlags
	f.register(fs)
	allowPriv := fs.Bool("allow-privileged", false, "")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(e, name, err.Error())
	}
	switch {
	case len(rest) > 0:
		return usageError(e, name, "unexpected argument "+strconv.Quote(rest[0])+" (undo reads only the journal)")
	case f.journal == "":
		return usageError(e, name, "--journal FILE is required: undo reverses what it records")
	case f.resolve && f.dryRun:
		return usageError(e, name, "--resolve and --dry-run do not go together")
	}
	if _, err := os.Stat(f.journal); err != nil {
		return failure(e, name, fmt.Errorf("no journal to undo: %w", err))
	}
	if f.resolve {
		return resolveJournal(ctx, e, name, &f)
	}
	j, closeJ, err := openRunJournal(f.journal, f.dryRun)
	if err != nil {
		return failure(e, name, err)
	}
	defer closeJ()
	entries, err := j.Entries()
	if err != nil {
		return failure(e, name, err)
	}
	pt, code := f.connect(ctx, e, name, touchesDirectory(entryChanges(entries)))
	if pt == nil {
		return code
	}
	defer pt.Close()
	if !*allowPriv {
		// Undo hands users back to AD (set-cloud-managed false, an ImmutableID stamped again):
		// the same check as apply, against the roles held now.
		org, err := pt.ten.Organization(ctx)
		if err != nil {
			return failure(e, name, fmt.Errorf("reading the tenant: %w", err))
		}
		if err := roleHolders(org, "undo", entryChanges(entries)); err != nil {
			return failure(e, name, err)
		}
	}
	a := &conversion.Applier{Directory: pt.dir, Tenant: pt.ten, Journal: j, DryRun: f.dryRun, Progress: applyProgress(e, name, f.asJSON)}
	res, err := a.Undo(ctx)
	return finishRun(e, name, &f, res, err)
}
