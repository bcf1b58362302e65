package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/matching"
)

// hybridctl plan / apply / undo (docs/cli.md): thin commands over conversion's planners and
// Applier. Everything they check and decide is in the library; here are flags, wiring and printing.

func init() {
	register(&command{
		name:    "plan",
		summary: "plan converting users between synced and cloud-only (a reviewable plan file)",
		usage: "plan --to cloud-only|synced --onprem FILE|ldap://HOST --cloud FILE|graph [--method M] (--users FILE|--all) [-o plan.json]\n" +
			"       [--scope DN]... [--source-anchor objectGUID|mS-DS-ConsistencyGuid] [--client connect-sync|cloud-sync] [--base DN] [--graph-endpoint URL]\n" +
			"       [--allow-privileged] [--clear-immutable-id] [--clear-onprem-attributes] [--create-ou DN] [--target-ou DN]\n" +
			"       [--confirm-tenant ID] [--allow-hardening-bypass] [--objects users,groups,contacts] [--json]\n\n" +
			"--objects (soa): the object types to transfer (default users); groups go first, one at a time, before any\n" +
			"          user; with --users, a line may name a group or contact by object id, mail or display name.\n" +
			"--method: for --to cloud-only soa (default), ou-move (needs --target-ou), tenant-wide (needs --confirm-tenant),\n" +
			"          clear-onprem (clears the on-premises attributes of users that are cloud-only already);\n" +
			"          for --to synced hard-match (default; --create-ou creates missing AD users), re-anchor, soft-match.\n" +
			"--users FILE: one user per line, by UPN or object id ('-' reads stdin); blank lines and # comments are ignored.\n" +
			"--clear-onprem-attributes: end each synced->cloud-only conversion by clearing the seven on-premises attributes\n" +
			"          the user keeps (DN, domain, ImmutableID, object identifier, sAMAccountName, SID, on-premises UPN);\n" +
			"          the old values go to the journal and undo writes them back (the object identifier excepted: sync\n" +
			"          stamps it again).\n" +
			"--allow-hardening-bypass (with --confirm-tenant ID; hard-match, re-anchor): let users that still carry\n" +
			"          onPremisesObjectIdentifier be matched by turning allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled on\n" +
			"          as the plan's first change and off as its last (also when apply fails, by --resolve and by undo).\n" +
			"          Users assigned or eligible for a privileged role stay refused: remove the role first.\n" +
			"--allow-privileged: plan users who hold Entra roles; it never lifts what Entra itself blocks (a hard match onto a\n" +
			"          user assigned or eligible for a privileged role, or carrying onPremisesObjectIdentifier).\n" +
			"-o FILE|DIR: a new file, an existing plan (replaced whole), or a directory (DIR/plan.json); nothing else is overwritten.\n" +
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
			"--journal FILE: created new, or a journal of this same plan; any other file is refused and left untouched.\n" +
			"--allow-privileged: change users who hold Entra roles now (roles and eligibilities are re-read before each\n" +
			"          user's first write); it never lifts what Entra itself blocks.\n" +
			"Ctrl-C lets the writes in flight finish, records them, and prints the result and how to resume.\n" +
			"Exit status 0 when every change is applied, 1 otherwise.",
		run: runApply,
	})
	register(&command{
		name:    "undo",
		summary: "reverse, newest first, what a journal records as applied",
		usage: "undo --journal FILE [--onprem ldap://HOST] [--graph-endpoint URL] [--dry-run] [--resolve] [--allow-privileged] [--json]\n\n" +
			"--allow-privileged: undo changes of users who hold an Entra role now (refused otherwise, as in apply); handing a\n" +
			"          user back to AD is a hard match, which Entra refuses for privileged or eligible users whatever the flag.\n" +
			"Exit status 0 when every change was reversed, 1 otherwise (restore-user and create-user cannot be undone).",
		run: runUndo,
	})
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
	clearOnPrem := fs.Bool("clear-onprem-attributes", false, "")
	createOU := fs.String("create-ou", "", "")
	targetOU := fs.String("target-ou", "", "")
	confirm := fs.String("confirm-tenant", "", "")
	allowBypass := fs.Bool("allow-hardening-bypass", false, "")
	objects := fs.String("objects", "", "")
	asJSON := fs.Bool("json", false, "")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(e, name, err.Error())
	}
	if len(rest) > 0 {
		return usageError(e, name, "unexpected argument "+strconv.Quote(rest[0]))
	}
	methods := conversion.Methods(*to)
	if methods == nil {
		return usageError(e, name, "--to "+strconv.Quote(*to)+": want "+conversion.ToCloudOnly+" or "+conversion.ToSynced)
	}
	if *method == "" {
		*method = methods[0]
	}
	planner, err := conversion.Planner(*to, *method)
	if err != nil {
		return usageError(e, name, fmt.Sprintf("--method %q with --to %s: want one of %s", *method, *to, strings.Join(methods, ", ")))
	}
	needsAD := conversion.NeedsDirectory(*method)
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
	case *clearOnPrem && (*to != conversion.ToCloudOnly || *method == conversion.MethodClearOnPrem):
		return usageError(e, name, "--clear-onprem-attributes applies only to the --to cloud-only methods soa, ou-move and tenant-wide (clear-onprem always clears)")
	case *objects != "" && *method != conversion.MethodSOA:
		return usageError(e, name, "--objects applies only to --method soa")
	case *objects != "" && badObjects(*objects) != "":
		return usageError(e, name, "--objects: unknown object type "+strconv.Quote(badObjects(*objects))+": want users, groups, contacts (comma-separated)")
	case *allowBypass && *method != conversion.MethodHardMatch && *method != conversion.MethodReAnchor:
		return usageError(e, name, "--allow-hardening-bypass applies only to --to synced --method hard-match or re-anchor")
	case *allowBypass && *confirm == "":
		return usageError(e, name, "--allow-hardening-bypass needs --confirm-tenant ID: it lifts a protection for the whole tenant while the plan runs")
	case *confirm != "" && *method != conversion.MethodTenant && !*allowBypass:
		return usageError(e, name, "--confirm-tenant applies only to --method tenant-wide and to --allow-hardening-bypass")
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
	on, tenant, cloudRecs, err := src.read(ctx, e, prog)
	prog.Stop()
	if err != nil {
		return failure(e, name, err)
	}
	in := &conversion.Input{Tenant: tenant, Cloud: cloudRecs, OnPrem: on, Config: cfg}
	opts := &conversion.Options{
		CreatedAt: time.Now().UTC().Truncate(time.Second), Users: users, AllowRoles: *allowPriv,
		ClearImmutableID: *clearID, ClearOnPremAttributes: *clearOnPrem, AllowHardeningBypass: *allowBypass, Objects: splitObjects(*objects), CreateOU: *createOU, TargetOU: *targetOU, Confirm: *confirm, Predict: planPredict,
	}
	p := planner(in, opts)

	if *out != "" {
		if *out, err = conversion.WritePlanFile(*out, p); err != nil {
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

// fixText is the refusal's fix, with the flag that does what the library's fix says where
// there is one (the library names no flag).
func fixText(r conversion.Refusal) string {
	fix := r.Fix
	switch r.Code {
	case conversion.RefuseConfirm:
		fix = "pass --confirm-tenant with the tenant id, after reading the reason"
	case conversion.RefuseRoleHolder:
		fix = "review the roles, then plan again with --allow-privileged if the conversion is intended"
	case conversion.RefuseNotFound:
		fix = "check the --users list against the tenant"
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
	p = &convPorts{}
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

// runFlags are the flags apply and undo share.
type runFlags struct {
	journal, onprem, endpoint string
	dryRun, resolve, asJSON   bool
	plan                      string // apply's plan file ("" for undo)
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
	// The plan is read and validated, and the journal recognised as this plan's, before any
	// network call and before a byte is written.
	f.plan = rest[0]
	p, err := readPlanFile(f.plan)
	if err != nil {
		return failure(e, name, err)
	}
	var j conversion.Journal
	if f.dryRun {
		j, err = conversion.DryRunJournal(f.journal)
	} else {
		var fj *conversion.FileJournal
		fj, err = conversion.OpenPlanJournal(f.journal, p)
		if fj != nil {
			defer fj.Close()
			j = fj
		}
	}
	if err != nil {
		explainRunError(e, name, &f, nil, err)
		return 1
	}
	warnBypass(e, j)
	pt, code := f.connect(ctx, e, name, p.TouchesDirectory())
	if pt == nil {
		return code
	}
	defer pt.Close()
	a := &conversion.Applier{Directory: pt.dir, Tenant: pt.ten, Journal: j, DryRun: f.dryRun, AllowRoles: *allowPriv,
		WaitTimeout: *wait, Progress: applyProgress(e, name, f.asJSON)}
	res, err := a.Apply(ctx, p)
	defer warnBypass(e, j)
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

// finishRun prints the result of an apply or undo and returns the exit status. The result is
// printed (as JSON with --json) even when the run stopped early: an interrupted run still
// reports what it applied, and how to resume.
func finishRun(e *env, cmd string, f *runFlags, res *conversion.Result, err error) int {
	if res != nil {
		if f.asJSON {
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			if jerr := enc.Encode(res); jerr != nil {
				return failure(e, cmd, jerr)
			}
		} else {
			writeResult(e.stdout, res)
		}
	}
	if err != nil {
		explainRunError(e, cmd, f, res, err)
		return 1
	}
	if res.OK() {
		return 0
	}
	var bad []conversion.ChangeResult
	for _, c := range res.Changes {
		if !c.Status.OK() {
			bad = append(bad, c)
		}
	}
	fmt.Fprintf(e.stderr, "hybridctl %s: %d of %d change(s) did not succeed (%s):\n", cmd, len(bad), len(res.Changes), res.Summary())
	for _, c := range bad {
		fmt.Fprintf(e.stderr, "  %s %s %s: %s\n", c.ID, c.Action, c.Target, statusHelp(cmd, f, c))
	}
	return 1
}

// rerun is the command line that runs cmd again on the same journal.
func (f *runFlags) rerun(cmd string) string {
	if cmd == "apply" {
		return "hybridctl apply " + f.plan + " --journal " + f.journal
	}
	return "hybridctl " + cmd + " --journal " + f.journal
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
	case conversion.StatusNotApplied:
		return why + "; to make it, run: " + f.rerun(cmd)
	}
	switch {
	case errors.Is(c.Err, conversion.ErrHardMatchBlocked):
		return "refused: " + why + " (Entra itself blocks this; no flag lifts it)"
	case errors.Is(c.Err, conversion.ErrRoleHolder):
		return "refused: " + why + "; if this is intended, run again with --allow-privileged"
	}
	return string(c.Status) + ": " + why
}

// explainRunError prints why a run could not start or had to stop, and what to do.
func explainRunError(e *env, cmd string, f *runFlags, res *conversion.Result, err error) {
	var dirty *conversion.DirtyError
	switch {
	case errors.Is(err, context.Canceled) && res != nil:
		fmt.Fprintf(e.stderr, "hybridctl %s: interrupted: %d change(s) applied before the interruption (%s).\n", cmd,
			res.Count(conversion.StatusApplied)+res.Count(conversion.StatusAlready), res.Summary())
		if res.Count(conversion.StatusUnknown) > 0 {
			fmt.Fprintf(e.stderr, "A write in flight could not be verified: run hybridctl %s --resolve --journal %s, then run the same command again.\n", cmd, f.journal)
		} else if !f.dryRun {
			fmt.Fprintf(e.stderr, "The journal %s records every outcome. To resume, run:\n  %s\n", f.journal, f.rerun(cmd))
		}
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
	warnBypass(e, j)
	defer warnBypass(e, j)
	pt, code := f.connect(ctx, e, cmd, conversion.TouchesDirectory(conversion.JournalChanges(entries)))
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
	var j conversion.Journal
	if f.dryRun {
		j, err = conversion.DryRunJournal(f.journal)
	} else {
		var fj *conversion.FileJournal
		fj, err = conversion.OpenJournal(f.journal)
		if fj != nil {
			defer fj.Close()
			j = fj
		}
	}
	if err != nil {
		return failure(e, name, err)
	}
	entries, err := j.Entries()
	if err != nil {
		return failure(e, name, err)
	}
	warnBypass(e, j)
	defer warnBypass(e, j)
	pt, code := f.connect(ctx, e, name, conversion.TouchesDirectory(conversion.JournalChanges(entries)))
	if pt == nil {
		return code
	}
	defer pt.Close()
	// Undo hands users back to AD (set-cloud-managed false, an ImmutableID stamped again): the
	// library re-checks the roles held now, as apply does.
	a := &conversion.Applier{Directory: pt.dir, Tenant: pt.ten, Journal: j, DryRun: f.dryRun, AllowRoles: *allowPriv,
		Progress: applyProgress(e, name, f.asJSON)}
	res, err := a.Undo(ctx)
	return finishRun(e, name, &f, res, err)
}

// warnBypass prints, loudly on stderr, that the journal left the tenant's hardening bypass on.
func warnBypass(e *env, j conversion.Journal) {
	if j == nil {
		return
	}
	entries, err := j.Entries()
	if err != nil {
		return
	}
	if w := conversion.BypassLeftOn(entries).Warning(); w != "" {
		fmt.Fprintln(e.stderr, "\n"+strings.Repeat("!", 78)+"\n"+w+"\n"+strings.Repeat("!", 78))
	}
}

func splitObjects(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// badObjects returns the first word of s that is not an object type, or "".
func badObjects(s string) string {
	for _, p := range splitObjects(s) {
		switch p {
		case conversion.ObjectUsers, conversion.ObjectGroups, conversion.ObjectContacts:
		default:
			return p
		}
	}
	return ""
}
