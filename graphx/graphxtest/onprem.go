package graphxtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hybridid/hybridid/anchor"
)

// The operations of the on-premises attribute calls (Graph beta), for fault injection and write logs.
const (
	OpGetOnPremAttributes    = "getOnPremAttributes"
	OpUpdateOnPremAttributes = "updateOnPremAttributes"
)

// onPremAttrs are the on-premises attributes beta lets a cloud-only user's PATCH change.
var onPremAttrs = []string{"onPremisesDistinguishedName", "onPremisesDomainName", "onPremisesImmutableId",
	"onPremisesObjectIdentifier", "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesUserPrincipalName"}

// onPremCall reports whether c is a beta call on a user's on-premises attributes: a GET whose
// $select names onPremisesObjectIdentifier or onPremisesDomainName, or a PATCH whose body holds
// only on-premises attributes and at least one besides onPremisesImmutableId and
// onPremisesObjectIdentifier (those two alone keep their own handling).
func onPremCall(c call) bool {
	if c.version != "beta" {
		return false
	}
	switch c.method {
	case http.MethodGet:
		vals, err := url.ParseQuery(c.query)
		if err != nil {
			return false
		}
		for _, s := range strings.Split(vals.Get("$select"), ",") {
			if s == "onPremisesObjectIdentifier" || s == "onPremisesDomainName" {
				return true
			}
		}
	case http.MethodPatch:
		var m map[string]json.RawMessage
		if json.Unmarshal(c.body, &m) != nil || len(m) == 0 {
			return false
		}
		other := false
		for k := range m {
			if !slices.Contains(onPremAttrs, k) {
				return false
			}
			other = other || (k != "onPremisesImmutableId" && k != "onPremisesObjectIdentifier")
		}
		return other
	}
	return false
}

// getOnPremAttributes answers a beta GET of a user with its onPremisesObjectIdentifier.
func (f *Fake) getOnPremAttributes(c call, id string) result {
	u := f.findUserLocked(id)
	if u == nil {
		return notFound(id)
	}
	q, e := parseQuery(c)
	if e != nil {
		return result{err: e}
	}
	m := toObject(u)
	if v, ok := f.objectIDs[u.ID]; ok && v != "" {
		m["onPremisesObjectIdentifier"], _ = json.Marshal(v)
	}
	return result{status: http.StatusOK, body: withContext(project(m, q.selectFields, userDefault), c.base+"/$metadata#users/$entity")}
}

// updateOnPremAttributes is beta's update of a cloud-only user's on-premises attributes: refused
// on a synced user, onPremisesObjectIdentifier accepts only null, a security identifier must
// start with S-1-5-, an ImmutableID must be valid and unique.
func (f *Fake) updateOnPremAttributes(c call, id string) result {
	u := f.findUserLocked(id)
	if u == nil {
		return notFound(id)
	}
	m, e := decodeObject(c.body)
	if e != nil {
		return result{err: e}
	}
	if isTrue(u.OnPremisesSyncEnabled) && !f.cloudManaged[u.ID] {
		return errResult(http.StatusBadRequest, codeReadOnlySynced, msgReadOnlySynced)
	}
	text := map[string]string{}
	for k, raw := range m {
		if string(raw) == "null" {
			text[k] = ""
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil || s == "" {
			return errResult(http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property '"+k+"' of resource 'User'.")
		}
		text[k] = s
	}
	if v, ok := text["onPremisesObjectIdentifier"]; ok && v != "" {
		return errResult(http.StatusBadRequest, "Request_BadRequest", "Only null is accepted for property 'onPremisesObjectIdentifier'.")
	}
	if v := text["onPremisesSecurityIdentifier"]; v != "" && !strings.HasPrefix(v, "S-1-5-") {
		return errResult(http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'onPremisesSecurityIdentifier' of resource 'User'.")
	}
	if v := text["onPremisesImmutableId"]; v != "" {
		if _, err := anchor.ParseSourceAnchor(v); err != nil {
			return errResult(http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'onPremisesImmutableId' of resource 'User'.")
		}
		for _, o := range f.users {
			if o != u && o.OnPremisesImmutableID == v {
				return errResult(http.StatusBadRequest, "Request_BadRequest", "Another object with the same value for property onPremisesImmutableId already exists.")
			}
		}
	}
	for k, v := range text {
		switch k {
		case "onPremisesDistinguishedName":
			u.OnPremisesDistinguishedName = v
		case "onPremisesImmutableId":
			u.OnPremisesImmutableID = v
		case "onPremisesObjectIdentifier":
			delete(f.objectIDs, u.ID)
		case "onPremisesSamAccountName":
			u.OnPremisesSamAccountName = v
		case "onPremisesSecurityIdentifier":
			u.OnPremisesSecurityIdentifier = v
		case "onPremisesUserPrincipalName":
			u.OnPremisesUserPrincipalName = v
		case "onPremisesDomainName":
			if v == "" {
				delete(u.Extra, k)
			} else {
				if u.Extra == nil {
					u.Extra = map[string]json.RawMessage{}
				}
				u.Extra[k], _ = json.Marshal(v)
			}
		}
	}
	return result{status: http.StatusNoContent}
}

const bypassFeature = "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled"

// bypassCall reports whether c changes the July 2026 bypass feature.
func bypassCall(c call) bool {
	var m struct {
		Features map[string]json.RawMessage `json:"features"`
	}
	if json.Unmarshal(c.body, &m) != nil {
		return false
	}
	_, ok := m.Features[bypassFeature]
	return ok
}

// updateSyncBypass sets the bypass feature on its typed field (so that reads return it), then
// lets updateSync handle the rest of the body.
func (f *Fake) updateSyncBypass(c call, id string) result {
	if id != f.sync.ID {
		return notFound(id)
	}
	var m struct {
		Features map[string]json.RawMessage `json:"features"`
	}
	_ = json.Unmarshal(c.body, &m)
	var b bool
	if json.Unmarshal(m.Features[bypassFeature], &b) != nil {
		return errResult(http.StatusBadRequest, "BadRequest", "Feature '"+bypassFeature+"' must be a boolean.")
	}
	res := f.updateSync(c, id)
	if res.err == nil {
		f.sync.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled = &b
		delete(f.sync.Features.Extra, bypassFeature)
	}
	return res
}
