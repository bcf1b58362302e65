package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
)

// sourceFlags are the flags that say where the directory and the tenant are read from and how
// sync is configured, shared by match and plan (docs/cli.md).
type sourceFlags struct {
	onprem, cloud, base, endpoint, sourceAnchor, client string
	scopes                                              stringList
	// acceptPartial reads an LDIF export that is not whole (cut short, or stopped by the
	// server) with a warning instead of failing.
	acceptPartial bool
}

func (s *sourceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.onprem, "onprem", "", "an LDIF file or an ldap:// or ldaps:// URL")
	fs.StringVar(&s.cloud, "cloud", "", "a snapshot file or graph")
	fs.Var(&s.scopes, "scope", "an OU in sync scope (repeatable)")
	fs.StringVar(&s.sourceAnchor, "source-anchor", "mS-DS-ConsistencyGuid", "objectGUID or mS-DS-ConsistencyGuid")
	fs.StringVar(&s.client, "client", "connect-sync", "the sync client: connect-sync or cloud-sync")
	fs.StringVar(&s.base, "base", "", "search base of a live directory")
	fs.StringVar(&s.endpoint, "graph-endpoint", "", "Microsoft Graph base URL")
	fs.BoolVar(&s.acceptPartial, "accept-partial-export", false, "read an LDIF export that is cut short or incomplete, with a warning")
}

// filesOnly reports whether both sources are files (no live directory or tenant).
func (s *sourceFlags) filesOnly() bool { return !isLDAPURL(s.onprem) && s.cloud != "graph" }

// check returns a usage message for inconsistent flags, or "".
func (s *sourceFlags) check() string {
	if s.base != "" && !isLDAPURL(s.onprem) {
		return "--base applies only to an ldap:// or ldaps:// --onprem source"
	}
	if s.acceptPartial && (s.onprem == "" || isLDAPURL(s.onprem)) {
		return "--accept-partial-export applies only to an LDIF file given as --onprem"
	}
	return ""
}

// config returns the matching configuration, or a usage message.
func (s *sourceFlags) config() (matching.Config, string) {
	attr, err := matching.ParseAnchorAttribute(s.sourceAnchor)
	if err != nil || attr == matching.AnchorCustom {
		return matching.Config{}, "--source-anchor " + strconv.Quote(s.sourceAnchor) + ": want objectGUID or mS-DS-ConsistencyGuid"
	}
	client, err := matching.ParseClient(s.client)
	if err != nil {
		return matching.Config{}, "--client " + strconv.Quote(s.client) + ": want connect-sync or cloud-sync"
	}
	return matching.Config{Scope: s.scopes, SourceAnchor: attr, Client: client}, ""
}

// read reads both sides at the same time (the directory only when --onprem is given),
// counting on-premises records on prog, and returns them as the engine reads them.
func (s *sourceFlags) read(ctx context.Context, e *env, prog *progress) ([]matching.OnPrem, matching.TenantState, []matching.Cloud, error) {
	var (
		on      []matching.OnPrem
		onErr   error
		tenant  matching.TenantState
		cloud   []matching.Cloud
		snapErr error
		wg      sync.WaitGroup
	)
	var warnings []ldif.Warning
	if s.onprem != "" {
		wg.Go(func() {
			if isLDAPURL(s.onprem) {
				on, onErr = readOnPrem(ctx, e, s.onprem, s.base, prog)
				return
			}
			on, onErr = s.readLDIF(prog, func(w ldif.Warning) { warnings = append(warnings, w) })
		})
	}
	wg.Go(func() { tenant, cloud, snapErr = readCloudRecords(ctx, e, s.cloud, s.endpoint) })
	wg.Wait()
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "hybridctl: warning: %s\n", w)
	}
	if onErr != nil {
		return nil, tenant, nil, onErr
	}
	if snapErr != nil {
		return nil, tenant, nil, snapErr
	}
	return on, tenant, cloud, nil
}

// readLDIF reads the --onprem LDIF file with the reader's warnings reported to warn. An
// incomplete export fails, naming the flag that reads it anyway.
func (s *sourceFlags) readLDIF(prog *progress, warn func(ldif.Warning)) ([]matching.OnPrem, error) {
	f, err := os.Open(s.onprem)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := ldif.NewReader(f, s.onprem, s.ldifOptions(warn)...)
	on, err := collectProgress(r.OnPrem(ldif.Mapping{}), prog)
	return on, partialHint(err)
}

// ldifOptions are the LDIF reader options the flags ask for, with warnings reported to warn.
func (s *sourceFlags) ldifOptions(warn func(ldif.Warning)) []ldif.Option {
	opts := []ldif.Option{ldif.WithWarnings(warn)}
	if s.acceptPartial {
		opts = append(opts, ldif.AcceptPartialExport())
	}
	return opts
}

// partialHint adds to an incomplete-export error the flag that reads the export anyway.
func partialHint(err error) error {
	if errors.Is(err, ldif.ErrIncomplete) {
		return fmt.Errorf("%w; export again, or pass --accept-partial-export to read it as a partial export (objects missing from it are then predicted as deleted)", err)
	}
	return err
}

// parseReportArgs registers the source flags, --format and --json on fs (which may hold the
// command's own flags already), parses args and checks them, for a command that reads the
// sources and prints a report as a table, JSON or CSV (match, validate). needCloud makes --cloud
// required. After a usage error ok is false and code is the exit status.
func parseReportArgs(e *env, name string, fs *flag.FlagSet, src *sourceFlags, args []string, needCloud bool) (format string, cfg matching.Config, code int, ok bool) {
	src.register(fs)
	f := fs.String("format", "table", "")
	asJSON := fs.Bool("json", false, "")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return "", cfg, usageError(e, name, err.Error()), false
	}
	if len(rest) > 0 {
		return "", cfg, usageError(e, name, "unexpected argument "+strconv.Quote(rest[0])), false
	}
	if *asJSON {
		*f = "json"
	}
	switch {
	case src.onprem == "":
		return "", cfg, usageError(e, name, "--onprem is required (an LDIF file or an ldap:// or ldaps:// URL)"), false
	case needCloud && src.cloud == "":
		return "", cfg, usageError(e, name, "--cloud is required (a snapshot file or graph)"), false
	case !slices.Contains([]string{"table", "json", "csv"}, *f):
		return "", cfg, usageError(e, name, "--format "+strconv.Quote(*f)+": want table, json or csv"), false
	}
	if msg := src.check(); msg != "" {
		return "", cfg, usageError(e, name, msg), false
	}
	cfg, msg := src.config()
	if msg != "" {
		return "", cfg, usageError(e, name, msg), false
	}
	return *f, cfg, 0, true
}
