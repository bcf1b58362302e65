package validation

import "github.com/hybridid/hybridid/matching"

// Collisions returns the findings the matching engine's prediction adds: every on-premises
// value that duplicate attribute resiliency quarantines because a cloud object that will not be
// matched already holds it (cloud-quarantine), and every object the engine predicts sync
// refuses (engine-blocked, with its block code, reason and fix). rep is
// matching.Evaluate's report for on (rep.OnPrem()[i] is for on[i]). Invalid userPrincipalNames,
// duplicate anchors and quarantines between two on-premises objects, which the rules already
// report, are left out.
func Collisions(on []matching.OnPrem, rep *matching.Report) []Finding {
	res := rep.OnPrem()
	n := 0
	for i := range res {
		for _, q := range res[i].Quarantined {
			if q.Holder == matching.SideCloud {
				n++
			}
		}
		if engineBlocked(&res[i]) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Finding, 0, n)
	for i := range res {
		r := &res[i]
		src := ""
		if i < len(on) {
			src = on[i].Source
		}
		for _, q := range r.Quarantined {
			if q.Holder != matching.SideCloud {
				continue
			}
			out = append(out, Finding{DN: r.DN, Class: r.Class, Attribute: q.Attribute, Value: q.Value, Rule: RuleCloudCollision,
				Severity: Error, Consequence: Quarantine, Source: src,
				Message: "The cloud object " + q.HeldBy + ", which sync will not match to this object, already has " + q.Attribute + " " + q.Value + "; sync quarantines the value."})
		}
		if !engineBlocked(r) {
			continue
		}
		msg := r.Code.String() + ": " + r.Reason
		if r.Fix != "" {
			msg += " Fix: " + r.Fix
		}
		out = append(out, Finding{DN: r.DN, Class: r.Class, Attribute: "", Value: r.Target, Rule: RuleEngineBlocked,
			Severity: Error, Consequence: Block, Source: src, Message: msg})
	}
	return out
}

// engineBlocked reports whether Collisions reports r as engine-blocked.
func engineBlocked(r *matching.ObjectResult) bool {
	return r.Outcome == matching.Blocked && r.Code != matching.IdentityDataValidationFailed && r.Code != matching.AmbiguousMatch
}

// InScope returns findings without those about objects the engine's report puts out of sync
// scope (outside the synced OUs, or dropped by Connect's default filters): sync never exports
// them, so their values cannot fail. findings is filtered in place.
func InScope(findings []Finding, rep *matching.Report) []Finding {
	res := rep.OnPrem()
	n := 0
	for i := range res {
		if res[i].Outcome == matching.OutOfScope {
			n++
		}
	}
	out := make(map[string]bool, n)
	for i := range res {
		if res[i].Outcome == matching.OutOfScope {
			out[res[i].DN] = true
		}
	}
	if len(out) == 0 {
		return findings
	}
	kept := findings[:0]
	for _, f := range findings {
		if !out[f.DN] {
			kept = append(kept, f)
		}
	}
	return kept
}
