package main

import (
	"context"
	"flag"
	"strconv"
	"sync"

	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

// sourceFlags are the flags that say where the directory and the tenant are read from and how
// sync is configured, shared by match and plan (docs/cli.md).
type sourceFlags struct {
	onprem, cloud, base, endpoint, sourceAnchor string
	scopes                                      stringList
}

func (s *sourceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.onprem, "onprem", "", "an LDIF file or an ldap:// or ldaps:// URL")
	fs.StringVar(&s.cloud, "cloud", "", "a snapshot file or graph")
	fs.Var(&s.scopes, "scope", "an OU in sync scope (repeatable)")
	fs.StringVar(&s.sourceAnchor, "source-anchor", "mS-DS-ConsistencyGuid", "objectGUID or mS-DS-ConsistencyGuid")
	fs.StringVar(&s.base, "base", "", "search base of a live directory")
	fs.StringVar(&s.endpoint, "graph-endpoint", "", "Microsoft Graph base URL")
}

// check returns a usage message for inconsistent flags, or "".
func (s *sourceFlags) check() string {
	if s.base != "" && !isLDAPURL(s.onprem) {
		return "--base applies only to an ldap:// or ldaps:// --onprem source"
	}
	return ""
}

// config returns the matching configuration, or a usage message.
func (s *sourceFlags) config() (matching.Config, string) {
	attr, err := matching.ParseAnchorAttribute(s.sourceAnchor)
	if err != nil || attr == matching.AnchorCustom {
		return matching.Config{}, "--source-anchor " + strconv.Quote(s.sourceAnchor) + ": want objectGUID or mS-DS-ConsistencyGuid"
	}
	return matching.Config{Scope: s.scopes, SourceAnchor: attr}, ""
}

// read reads both sides at the same time (the directory only when --onprem is given),
// counting on-premises records on prog.
func (s *sourceFlags) read(ctx context.Context, e *env, prog *progress) ([]matching.OnPrem, *snapshot.Snapshot, error) {
	var (
		on      []matching.OnPrem
		onErr   error
		snap    *snapshot.Snapshot
		snapErr error
		wg      sync.WaitGroup
	)
	if s.onprem != "" {
		wg.Go(func() { on, onErr = readOnPrem(ctx, e, s.onprem, s.base, prog) })
	}
	wg.Go(func() { snap, snapErr = readCloud(ctx, e, s.cloud, s.endpoint) })
	wg.Wait()
	if onErr != nil {
		return nil, nil, onErr
	}
	if snapErr != nil {
		return nil, nil, snapErr
	}
	return on, snap, nil
}
