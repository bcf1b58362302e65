package matching

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/dn"
)

// restoreWindow is how long a soft-deleted object stays in deleted items (docs/entra-rules.md §4a).
const restoreWindow = 30 * 24 * time.Hour

// Why an on-premises object is out of scope.
const (
	inScope uint8 = iota
	outUnknownClass
	outOU
	outNoSAM
	outFilteredSAM
	outNoAnchor
	inError // the object's data could not be read (OnPrem.ReadErrors)
)

// Flags an on-premises evaluation raises for the warnings pass.
const (
	flagGuest uint8 = 1 << iota
	flagRemap
	flagCloudSyncUPN
	sharedAnchor // another on-premises object may carry the same anchor
	sharedUPN    // ... the same userPrincipalName
	sharedSMTP   // ... the same primary SMTP address
)

// Cloud flags.
const (
	cSharedUPN  uint8 = 1 << iota // another cloud object may hold the same userPrincipalName
	cSharedSMTP                   // another cloud object may hold one of this object's SMTP addresses
)

type onInfo struct {
	anchor       anchor.SourceAnchor
	smtp         string // primary SMTP address the object exports ("" when none)
	scope        uint8
	smtpFromMail bool
}

type engine struct {
	cfg   Config
	t     *TenantState
	on    []OnPrem
	cl    []Cloud
	scope scopeSet
	doms  domains
	ri    *roleIndex

	brief     bool   // EvaluateOnPrem: reasons of blocked and unreadable objects only, no cloud side
	hardened  bool   // the July 2026 hard-match protections are in force at AsOf
	missing   string // the protections' inputs the tenant did not provide, for reasons
	asOfKnown bool

	info                    []onInfo
	onAnchor, onUPN, onSMTP *postings // on-premises: anchors of all objects; UPN and SMTP of in-scope ones
	clAnchor, clUPN, clSMTP *postings // cloud: anchors of all objects; UPN and SMTP values of live ones

	errDN  map[string]int // lower-cased DN -> on-premises object with read errors (nil when none)
	target []int32        // per on-premises object: the cloud object joined, matched or refused, or -1
	flags  []uint8        // per on-premises object
	cflags []uint8        // per cloud object
}

// Evaluate predicts what one sync cycle does with every object: for each on-premises object
// whether it joins, hard-matches, soft-matches, is created, is blocked or is out of scope, and for
// each cloud object whether it is matched, deleted or left alone. It is pure and deterministic:
// the same input always gives the same report, whatever the order of unrelated objects. It does
// not modify its arguments. tenant.AsOf is the moment the prediction is for.
func Evaluate(cfg Config, tenant TenantState, onprem []OnPrem, cloud []Cloud) *Report {
	return evaluate(cfg, tenant, onprem, cloud, false)
}

// EvaluateOnPrem is Evaluate for a caller that reads only what happens to the on-premises
// objects, such as a pre-sync check that reports the objects sync refuses or quarantines, and
// costs much less time and memory at a million objects. Its report differs from Evaluate's in
// these ways only:
//   - Objects holds the on-premises results only (Cloud returns none);
//   - Reason and Fix are filled for Blocked, Error and OutOfScope results, exactly as Evaluate
//     fills them; for other outcomes they may be empty;
//   - Takeover and LostProxyAddresses are left out;
//   - Summary counts the on-premises outcomes only, and the export deletion threshold, which
//     depends on the cloud outcomes, is not checked (ExportStopped is false and there is no
//     deletion-threshold warning).
//
// Every other field of every on-premises result (outcome, code, target, predicted UPN,
// quarantined values) and the other warnings are those of Evaluate.
func EvaluateOnPrem(cfg Config, tenant TenantState, onprem []OnPrem, cloud []Cloud) *Report {
	return evaluate(cfg, tenant, onprem, cloud, true)
}

func evaluate(cfg Config, tenant TenantState, onprem []OnPrem, cloud []Cloud, brief bool) *Report {
	e := &engine{cfg: cfg, t: &tenant, on: onprem, cl: cloud, scope: newScope(cfg.Scope), doms: newDomains(tenant.Domains), brief: brief}
	e.ri = newRoleIndex(e.t)
	e.asOfKnown = !tenant.AsOf.IsZero()
	// Without AsOf the dated protections are taken to be in force: the safe side.
	e.hardened = !e.asOfKnown || !tenant.AsOf.Before(hardenFrom)
	e.missing = e.missingInputs()

	e.info = make([]onInfo, len(onprem))
	e.target = make([]int32, len(onprem))
	e.flags = make([]uint8, len(onprem))
	e.cflags = make([]uint8, len(cloud))
	parallel(len(onprem), func(lo, hi int) {
		var s scratch
		for i := lo; i < hi; i++ {
			e.prepare(i, &s)
		}
	})
	e.buildIndexes()
	for i := range onprem {
		if e.info[i].scope == inError {
			if e.errDN == nil {
				e.errDN = map[string]int{}
			}
			e.errDN[dn.Key(onprem[i].DN)] = i
		}
	}

	nResults := len(onprem) + len(cloud)
	if brief {
		nResults = len(onprem)
	}
	rep := &Report{Objects: make([]ObjectResult, nResults), nOnPrem: len(onprem)}
	parallel(len(onprem), func(lo, hi int) {
		var s scratch
		for b := lo; b < hi; b += warmBlock {
			end := min(b+warmBlock, hi)
			s.sink += e.warm(b, end)
			for i := b; i < end; i++ {
				e.target[i] = e.evalOnPrem(i, &rep.Objects[i], &s)
			}
		}
	})
	if !brief {
		e.evalCloudSide(rep)
	}

	rep.Summary = make(map[Outcome]int)
	deletes := 0
	for i := range rep.Objects {
		rep.Summary[rep.Objects[i].Outcome]++
		if rep.Objects[i].Outcome == Deleted {
			deletes++
		}
	}
	w := newWarner()
	if !e.asOfKnown {
		w.add(WarnNoAsOf, "tenant AsOf (the snapshot's takenAt) is not set: the 30-day restore window cannot be checked and the July 2026 hard-match protections are taken to be in force")
	}
	if e.doms.initial == "" && len(onprem) > 0 {
		w.add(WarnNoInitialDomain, "the tenant lists no initial (*.onmicrosoft.com) domain: predicted UPNs that fall back to it show <initial domain>")
	}
	if cfg.Client == CloudSync && cfg.SourceAnchor != AnchorConsistencyGUID {
		w.add(WarnAnchorSettingIgnored, "Cloud Sync always uses mS-DS-ConsistencyGuid falling back to objectGUID: the source anchor setting "+cfg.SourceAnchor.String()+" is ignored")
	}
	if th := cfg.threshold(); th >= 0 && deletes > th {
		rep.ExportStopped = true
		w.add(WarnDeletionThreshold, strconv.Itoa(deletes)+" synced cloud objects would be deleted, more than the export deletion threshold of "+
			strconv.Itoa(th)+": the sync client stops the whole export and nothing is changed until an administrator allows the deletes or fixes the scope")
	}
	if n := rep.Summary[Error]; n > 0 {
		w.add(WarnReadErrors, strconv.Itoa(n)+" on-premises objects could not be read (outcome error): what sync does with them is not predicted, and the synced cloud objects they own are not counted as deleted")
	}
	if e.hardened && rep.Summary[HardMatch] > 0 {
		if miss := e.unchecked(); miss != "" {
			w.add(WarnNotChecked, strings.TrimSpace(miss))
		}
	}
	e.duplicateWarnings(w)
	for i, f := range e.flags {
		if f&flagCloudSyncUPN != 0 {
			w.add(WarnCloudSync, onprem[i].DN+" would soft-match "+cloud[e.target[i]].ID+" on userPrincipalName alone, which is uncertain under Cloud Sync")
		}
		if f&flagGuest != 0 {
			w.add(WarnGuestTarget, onprem[i].DN+" would soft-match the guest user "+cloud[e.target[i]].ID+
				": whether Entra soft-matches guests is undocumented; the prediction assumes it does")
		}
		if f&flagRemap != 0 {
			w.add(WarnRemap, onprem[i].DN+" carries the anchor of synced user "+cloud[e.target[i]].ID+
				" whose onPremisesObjectIdentifier ("+cloud[e.target[i]].OnPremisesObjectIdentifier+") names another AD object (objectGUID "+
				onprem[i].ObjectGUID.String()+"): the cloud user is re-mapped, which Entra refuses since July 2026 unless the bypass flag is on")
		}
	}
	rep.Warnings = w.done()
	return rep
}

// evalCloudSide fills the cloud results of rep, once the on-premises ones are done.
func (e *engine) evalCloudSide(rep *Report) {
	link := make([]int32, len(e.cl))
	refused := make([]int32, len(e.cl))
	for c := range link {
		link[c], refused[c] = -1, -1
	}
	for i, t := range e.target {
		if t < 0 {
			continue
		}
		// When several on-premises objects point at one cloud object, the one with the smallest
		// DN is named, so that the report does not depend on input order.
		pick := func(cur int32) int32 {
			if cur < 0 || e.on[i].DN < e.on[cur].DN {
				return int32(i)
			}
			return cur
		}
		switch rep.Objects[i].Outcome {
		case Joined, HardMatch, SoftMatchSMTP, SoftMatchUPN:
			link[t] = pick(link[t])
		default:
			refused[t] = pick(refused[t])
		}
	}
	cres := rep.Objects[len(e.on):]
	parallel(len(e.cl), func(lo, hi int) {
		var s scratch
		for b := lo; b < hi; b += warmBlock {
			end := min(b+warmBlock, hi)
			s.sink += warmCloud(rep.Objects, link[b:end], refused[b:end])
			for c := b; c < end; c++ {
				e.evalCloud(c, link[c], refused[c], rep.Objects, &cres[c], &s)
			}
		}
	})
}

// warmCloud reads, for a block of cloud objects, the on-premises results evalCloud names them
// by (the DN of the object that links to them or was refused), results first and DNs second, so
// that the reads of each step wait for memory together (see warm).
func warmCloud(all []ObjectResult, link, refused []int32) int32 {
	var sink int32
	var dns [warmBlock]string
	for k := range link {
		j := link[k]
		if j < 0 {
			j = refused[k]
		}
		if j >= 0 {
			dns[k] = all[j].DN
		}
	}
	for k := range link {
		if d := dns[k]; d != "" {
			sink += int32(d[0])
		}
	}
	return sink
}

// parallel runs fn over [0,n) in contiguous chunks, one per CPU. Each index is handled by exactly
// one call, so results written by index do not depend on scheduling.
func parallel(n int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 4096 || workers < 2 {
		fn(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

// anchorOf computes the sourceAnchor the sync client sends for o (docs/entra-rules.md §1.2, §1.4, §1.6).
func (e *engine) anchorOf(o *OnPrem, a *arena) anchor.SourceAnchor {
	attr := e.cfg.SourceAnchor
	if e.cfg.Client == CloudSync {
		attr = AnchorConsistencyGUID
	}
	g := o.ObjectGUID
	switch attr {
	case AnchorCustom:
		if !o.CustomAnchor.IsZero() {
			return o.CustomAnchor
		}
		if o.Class == ClassUser {
			return anchor.SourceAnchor{}
		}
	case AnchorConsistencyGUID:
		// Users and (since Connect 1.5.18.0, [GRPMIG]) groups use mS-DS-ConsistencyGuid when it is
		// set; Connect uses objectGUID for contacts ([DESIGN]); Cloud Sync uses it for every class.
		if !o.ConsistencyGUID.IsZero() && (o.Class != ClassContact || e.cfg.Client == CloudSync) {
			g = o.ConsistencyGUID
		}
	}
	if g.IsZero() {
		return anchor.SourceAnchor{}
	}
	a.begin(anchor.ImmutableIDLen)
	a.buf = g.AppendImmutableID(a.buf)
	sa, err := anchor.ParseSourceAnchor(a.done())
	if err != nil { // cannot happen: an ImmutableID has neither '$' nor '_'
		return anchor.AnchorOf(g)
	}
	return sa
}

// filteredSAM reports whether Connect's default cloudFiltered rule drops a user by its
// sAMAccountName (docs/entra-rules.md §5): AAD_*, MSOL_*, CAS_*…}…, SUPPORT_388945a0. Compared
// case-insensitively, as AD compares sAMAccountName.
func filteredSAM(sam string) bool {
	hasPrefix := func(p string) bool { return len(sam) >= len(p) && strings.EqualFold(sam[:len(p)], p) }
	return hasPrefix("AAD_") || hasPrefix("MSOL_") || (hasPrefix("CAS_") && strings.IndexByte(sam, '}') >= 0) ||
		strings.EqualFold(sam, "SUPPORT_388945a0")
}

func (e *engine) prepare(i int, s *scratch) {
	o := &e.on[i]
	in := &e.info[i]
	e.target[i] = -1
	in.anchor = e.anchorOf(o, &s.arena)
	in.smtp, in.smtpFromMail = onPremSMTP(o)
	if len(o.ReadErrors) > 0 {
		in.scope = inError
		for k := range o.ReadErrors {
			if o.ReadErrors[k].spoilsAnchor(e.cfg.SourceAnchor == AnchorCustom && e.cfg.Client != CloudSync) {
				in.anchor = anchor.SourceAnchor{}
			}
		}
		return
	}
	switch {
	case o.Class == ClassUnknown || o.Class > ClassContact:
		in.scope = outUnknownClass
	case !e.scope.contains(o.DN):
		in.scope = outOU
	case o.Class == ClassUser && e.cfg.Client == ConnectSync && o.SAMAccountName == "":
		in.scope = outNoSAM
	case o.Class == ClassUser && e.cfg.Client == ConnectSync && filteredSAM(o.SAMAccountName):
		in.scope = outFilteredSAM
	case in.anchor.IsZero():
		in.scope = outNoAnchor
	}
}

// buildIndexes builds the six indexes, each in its own goroutine, then marks the objects whose
// keys are shared with another object (each goroutine fills its own flag array; they are merged
// once all are done).
func (e *engine) buildIndexes() {
	on, cl := len(e.on), len(e.cl)
	proxies := 0
	for c := range e.cl {
		proxies += len(e.cl[c].ProxyAddresses)
	}
	e.onAnchor, e.onUPN, e.onSMTP = newPostings(on), newPostings(on), newPostings(on)
	e.clAnchor, e.clUPN, e.clSMTP = newPostings(cl), newPostings(cl), newPostings(proxies)
	var onShared [3][]uint8
	var clShared [2][]uint8
	var wg sync.WaitGroup
	wg.Go(func() {
		b := batch{p: e.onAnchor}
		for i := on - 1; i >= 0; i-- {
			if in := &e.info[i]; in.anchor.String() != "" {
				b.add(exactHash(in.anchor.String()), i)
			}
		}
		b.flush()
		onShared[0] = sharedFlags(e.onAnchor, on)
	})
	wg.Go(func() {
		b := batch{p: e.onUPN}
		for i := on - 1; i >= 0; i-- {
			if o := &e.on[i]; e.info[i].scope == inScope && o.Class == ClassUser && o.UserPrincipalName != "" {
				b.add(foldHash(o.UserPrincipalName), i)
			}
		}
		b.flush()
		onShared[1] = sharedFlags(e.onUPN, on)
	})
	wg.Go(func() {
		b := batch{p: e.onSMTP}
		for i := on - 1; i >= 0; i-- {
			if in := &e.info[i]; in.scope == inScope && in.smtp != "" {
				b.add(foldHash(in.smtp), i)
			}
		}
		b.flush()
		onShared[2] = sharedFlags(e.onSMTP, on)
	})
	wg.Go(func() {
		b := batch{p: e.clAnchor}
		for c := cl - 1; c >= 0; c-- {
			if a := e.cl[c].ImmutableID.String(); a != "" {
				b.add(exactHash(a), c)
			}
		}
		b.flush()
	})
	wg.Go(func() {
		b := batch{p: e.clUPN}
		for c := cl - 1; c >= 0; c-- {
			if x := &e.cl[c]; !x.Deleted && x.UserPrincipalName != "" {
				b.add(foldHash(x.UserPrincipalName), c)
			}
		}
		b.flush()
		clShared[0] = sharedFlags(e.clUPN, cl)
	})
	wg.Go(func() {
		b := batch{p: e.clSMTP}
		for c := cl - 1; c >= 0; c-- {
			if x := &e.cl[c]; !x.Deleted {
				for _, p := range x.ProxyAddresses {
					if a := smtpAddress(p); a != "" {
						b.add(foldHash(a), c)
					}
				}
			}
		}
		b.flush()
		clShared[1] = sharedFlags(e.clSMTP, cl)
	})
	wg.Wait()
	mergeFlags(e.flags, onShared[0], sharedAnchor)
	mergeFlags(e.flags, onShared[1], sharedUPN)
	mergeFlags(e.flags, onShared[2], sharedSMTP)
	mergeFlags(e.cflags, clShared[0], cSharedUPN)
	mergeFlags(e.cflags, clShared[1], cSharedSMTP)
}

// sharedFlags returns, for n objects, which ones are in a chain of more than one posting.
// It returns nil when none is.
func sharedFlags(p *postings, n int) []uint8 {
	var f []uint8
	for k := range p.slots {
		if !p.shared(k) {
			continue
		}
		if f == nil {
			f = make([]uint8, n)
		}
		for q := p.slots[k].head - 1; q >= 0; q = p.next[q] {
			f[p.obj[q]] = 1
		}
	}
	return f
}

func mergeFlags(dst, src []uint8, flag uint8) {
	for i, v := range src {
		if v != 0 {
			dst[i] |= flag
		}
	}
}

// restorable reports whether a deleted cloud object is still in deleted items at AsOf.
func (e *engine) restorable(c *Cloud) bool {
	if !c.Deleted {
		return true
	}
	if !e.asOfKnown || c.DeletedAt.IsZero() {
		return true
	}
	return e.t.AsOf.Before(c.DeletedAt.Add(restoreWindow))
}

// wasSynced reports whether a cloud object is, or (soft-deleted) was, synced.
func wasSynced(c *Cloud) bool {
	if c.Synced() {
		return true
	}
	return c.Deleted && !c.CloudManaged && (c.SyncEnabled != nil || !c.OnPremisesLastSync.IsZero())
}

// scratch is per-worker reusable memory.
type scratch struct {
	cands []int32
	alive []int32
	arena arena
	sink  int32 // keeps the loads of warm from being optimized away
}

const warmBlock = 16

// warm reads, for the on-premises objects lo to hi (at most warmBlock), what evalOnPrem reads
// first and most often misses in the processor's caches: the slot of the anchor in the cloud
// anchor index, the posting it heads, and the cloud object it names with the first bytes of its
// anchor, userPrincipalName and first proxy address; for an object no cloud anchor names, the
// slots the soft match looks up instead. Each step reads for every object before
// the next step starts, so that the reads of one step wait for memory together. It changes
// nothing; evalOnPrem then finds what it needs in the caches.
func (e *engine) warm(lo, hi int) int32 {
	var sink int32
	var c [warmBlock]int32
	var ah [warmBlock]uint64
	n := hi - lo
	for k := range n {
		ah[k] = exactHash(e.info[lo+k].anchor.String())
		sink += e.clAnchor.touch(ah[k])
	}
	for k := range n {
		c[k] = -1
		if in := &e.info[lo+k]; in.scope == inScope {
			if q := e.clAnchor.first(ah[k]); q >= 0 {
				c[k] = e.clAnchor.obj[q]
			} else {
				if in.smtp != "" {
					sink += e.clSMTP.touch(foldHash(in.smtp))
				}
				if upn := e.on[lo+k].UserPrincipalName; upn != "" && e.t.Features.SoftMatchOnUPN {
					sink += e.clUPN.touch(foldHash(upn))
				}
			}
		}
	}
	var first [3][warmBlock]string
	for k := range n {
		if c[k] >= 0 {
			x := &e.cl[c[k]]
			first[0][k], first[1][k] = x.ImmutableID.String(), x.UserPrincipalName
			if len(x.ProxyAddresses) > 0 {
				first[2][k] = x.ProxyAddresses[0]
			}
		}
	}
	for k := range n {
		for f := range first {
			if s := first[f][k]; s != "" {
				sink += int32(s[0])
			}
		}
	}
	return sink
}
