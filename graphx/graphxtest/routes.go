package graphxtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/snapshot"
)

const (
	msgReadOnlySynced  = "Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration."
	codeReadOnlySynced = "AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService"
)

// route identifies the operation of a call: its op name, target id and handler.
func (f *Fake) route(c call) (op, target string, h func(call) result) {
	seg := strings.Split(strings.Trim(c.path, "/"), "/")
	m := c.method
	// Graph matches path segments (entity sets, navigation properties, type casts)
	// case-insensitively: /Users and /directory/deleteditems are the same as /users and
	// /directory/deletedItems. Ids are passed on as given.
	is := func(i int, name string) bool {
		if i >= len(seg) {
			return false
		}
		if cast, ok := strings.CutPrefix(name, "microsoft."); ok && strings.EqualFold(seg[i], cast) {
			return true // msgraph-sdk-go writes type casts in the short form graph.user
		}
		return strings.EqualFold(seg[i], name)
	}
	kind := strings.ToLower(seg[0])
	switch {
	case len(seg) == 2 && is(0, "users") && onPremCall(c): // on-premises attributes (beta), in onprem.go
		if m == http.MethodGet {
			return OpGetOnPremAttributes, seg[1], func(c call) result { return f.getOnPremAttributes(c, seg[1]) }
		}
		return OpUpdateOnPremAttributes, seg[1], func(c call) result { return f.updateOnPremAttributes(c, seg[1]) }
	case len(seg) == 3 && is(0, "directory") && is(1, "onPremisesSynchronization") && m == http.MethodPatch && bypassCall(c): // in onprem.go
		return OpUpdateSync, seg[2], func(c call) result { return f.updateSyncBypass(c, seg[2]) }
	case len(seg) == 1 && is(0, "users") && m == http.MethodGet:
		return OpListUsers, "", f.listUsers
	case len(seg) == 2 && is(0, "users") && m == http.MethodGet:
		return OpGetUser, seg[1], func(c call) result { return f.getUser(c, seg[1]) }
	case len(seg) == 2 && is(0, "users") && m == http.MethodPatch:
		return OpUpdateUser, seg[1], func(c call) result { return f.updateUser(c, seg[1]) }
	case len(seg) == 1 && is(0, "groups") && m == http.MethodGet:
		return OpListGroups, "", f.listGroups
	case len(seg) == 1 && is(0, "contacts") && m == http.MethodGet:
		return OpListContacts, "", f.listContacts
	case len(seg) == 3 && is(2, "onPremisesSyncBehavior") && (is(0, "users") || is(0, "groups") || is(0, "contacts")):
		if m == http.MethodGet {
			return OpGetSyncBehavior, seg[1], func(c call) result { return f.getBehavior(kind, seg[1]) }
		}
		if m == http.MethodPatch {
			return OpUpdateSyncBehavior, seg[1], func(c call) result { return f.updateBehavior(c, kind, seg[1]) }
		}
	case len(seg) == 1 && is(0, "organization") && m == http.MethodGet:
		return OpGetOrganization, "", f.getOrganization
	case len(seg) == 2 && is(0, "organization") && m == http.MethodGet:
		return OpGetOrganization, seg[1], func(c call) result { return f.getOrganizationByID(c, seg[1]) }
	case len(seg) == 2 && is(0, "organization") && m == http.MethodPatch:
		return OpUpdateOrganization, seg[1], func(c call) result { return f.updateOrganization(c, seg[1]) }
	case len(seg) == 2 && is(0, "directory") && is(1, "onPremisesSynchronization") && m == http.MethodGet:
		return OpGetSync, "", f.getSync
	case len(seg) == 3 && is(0, "directory") && is(1, "onPremisesSynchronization") && m == http.MethodGet:
		return OpGetSync, seg[2], func(c call) result { return f.getSyncByID(c, seg[2]) }
	case len(seg) == 3 && is(0, "directory") && is(1, "onPremisesSynchronization") && m == http.MethodPatch:
		return OpUpdateSync, seg[2], func(c call) result { return f.updateSync(c, seg[2]) }
	case len(seg) == 2 && is(0, "directory") && is(1, "deletedItems") && m == http.MethodGet:
		return OpListDeletedUsers, "", func(call) result {
			return errResult(http.StatusBadRequest, "Request_BadRequest", "The request URI must include a type cast, e.g. /directory/deletedItems/microsoft.graph.user.")
		}
	case len(seg) == 3 && is(0, "directory") && is(1, "deletedItems") && is(2, "microsoft.graph.user") && m == http.MethodGet:
		return OpListDeletedUsers, "", f.listDeleted
	case len(seg) == 3 && is(0, "directory") && is(1, "deletedItems") && otherDeletedCast(seg[2]) && m == http.MethodGet:
		// Deleted groups, applications, service principals…: not modelled, always none.
		return OpListDeletedUsers, "", func(c call) result {
			return f.page(c, 0, nil, []string{"id"})
		}
	case len(seg) == 3 && is(0, "directory") && is(1, "deletedItems") && m == http.MethodGet:
		return OpGetDeletedItem, seg[2], func(c call) result { return f.getDeleted(c, seg[2]) }
	case len(seg) == 4 && is(0, "directory") && is(1, "deletedItems") && is(3, "microsoft.graph.user") && m == http.MethodGet:
		return OpGetDeletedItem, seg[2], func(c call) result { return f.getDeleted(c, seg[2]) }
	case len(seg) == 4 && is(0, "directory") && is(1, "deletedItems") && is(3, "restore") && m == http.MethodPost:
		return OpRestore, seg[2], func(c call) result { return f.restore(c, seg[2]) }
	case len(seg) == 3 && is(0, "roleManagement") && is(1, "directory") && is(2, "roleAssignments") && m == http.MethodGet:
		return OpListRoleAssignments, "", f.listRoles
	case len(seg) == 3 && is(0, "roleManagement") && is(1, "directory") && is(2, "roleEligibilityScheduleInstances") && m == http.MethodGet:
		return OpListRoleEligibilities, "", f.listEligibilities
	case len(seg) == 3 && is(0, "roleManagement") && is(1, "directory") && is(2, "roleDefinitions") && m == http.MethodGet:
		return OpListRoleDefinitions, "", f.listRoleDefinitions
	case len(seg) == 3 && is(0, "groups") && is(2, "members") && m == http.MethodGet:
		return OpListGroupMembers, seg[1], func(c call) result { return f.listMembers(c, seg[1]) }
	case len(seg) == 4 && is(0, "users") && is(2, "memberOf") && is(3, "microsoft.graph.group") && m == http.MethodGet:
		return OpListMemberOf, seg[1], func(c call) result { return f.listMemberOf(c, seg[1]) }
	case len(seg) == 4 && is(0, "roleManagement") && is(1, "directory") && is(2, "roleDefinitions") && m == http.MethodGet:
		return OpGetRoleDefinition, seg[3], func(c call) result { return f.getRoleDefinition(c, seg[3]) }
	}
	return "", "", nil
}

func isWrite(method string) bool {
	return method == http.MethodPatch || method == http.MethodPost || method == http.MethodPut || method == http.MethodDelete
}

// serve runs one operation: routing, faults, the write limiter, the handler.
func (f *Fake) serve(r *http.Request, reqID string, c call) result {
	if u, err := url.PathUnescape(c.path); err == nil {
		c.path = u
	}
	op, target, h := f.route(c)
	if h == nil {
		return errResult(http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+c.path+"'.")
	}
	f.mu.Lock()
	hook := f.funcs.hook(op)
	f.mu.Unlock()
	if hook == nil {
		return f.serveOwn(r, c, op, target, h)
	}
	req := &Request{Op: op, Target: target, Method: c.method, Version: c.version, Path: c.path, Query: c.query,
		Header: c.header, Body: c.body, InBatch: c.inBatch}
	resp, err := hook(r.Context(), req, func(_ context.Context, req *Request) (*Response, error) {
		c := c
		c.query, c.header, c.body = req.Query, req.Header, req.Body // the route stays the one routed
		return toResponse(f.serveOwn(r, c, op, target, h))
	})
	return fromHook(r.Context(), resp, err)
}

// serveOwn is the fake's own behaviour of one routed operation: injected faults, the write
// limiter, the handler and the write log.
func (f *Fake) serveOwn(r *http.Request, c call, op, target string, h func(call) result) result {
	if ft := f.fault(op, target); ft != nil {
		if ft.Delay > 0 {
			t := time.NewTimer(ft.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return result{drop: true}
			}
		}
		if ft.Drop {
			return result{drop: true}
		}
		if ft.Status != 0 {
			code := ft.Code
			if code == "" {
				code = defaultCode(ft.Status)
			}
			msg := ft.Message
			if msg == "" {
				msg = "Injected fault."
			}
			return result{err: &apiError{status: ft.Status, code: code, msg: msg, retryAfter: ft.RetryAfter}}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tickLocked()
	if isWrite(c.method) {
		if wait := f.takeWriteLocked(); wait > 0 {
			f.throttled.Add(1)
			return result{err: &apiError{status: http.StatusTooManyRequests, code: "TooManyRequests",
				msg: "Too many requests. Write limit of the application in this tenant reached.", retryAfter: wait},
				headers: map[string]string{"x-ms-throttle-scope": "Tenant_Application/Write"}}
		}
	}
	res := h(c)
	if isWrite(c.method) && res.err == nil {
		f.writes = append(f.writes, AppliedWrite{Op: op, Target: target, Body: string(c.body), At: f.now()})
	}
	return res
}

// ---- query options ----

type query struct {
	selectFields []string
	filter       string
	top          int
	skip         int
	count        bool
	raw          url.Values
}

func parseQuery(c call) (query, *apiError) {
	vals, err := url.ParseQuery(c.query)
	if err != nil {
		return query{}, &apiError{status: http.StatusBadRequest, code: "BadRequest", msg: "Malformed query: " + err.Error()}
	}
	q := query{raw: vals, top: DefaultPageSize}
	get := func(k string) string { return vals.Get(k) }
	if s := get("$select"); s != "" {
		for _, p := range strings.Split(s, ",") {
			q.selectFields = append(q.selectFields, strings.TrimSpace(p))
		}
	}
	q.filter = get("$filter")
	if s := get("$top"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPageSize {
			return q, &apiError{status: http.StatusBadRequest, code: "Request_UnsupportedQuery", msg: "Invalid page size specified: '" + s + "'. Must be between 1 and 999 inclusive."}
		}
		q.top = n
	}
	if s := get("$skiptoken"); s != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(s, "X"))
		if err != nil || n < 0 {
			return q, &apiError{status: http.StatusBadRequest, code: "Directory_InvalidSkipToken", msg: "Invalid skip token."}
		}
		q.skip = n
	}
	if s := get("$count"); s != "" {
		if s != "true" && s != "false" {
			return q, &apiError{status: http.StatusBadRequest, code: "BadRequest", msg: "Invalid $count value."}
		}
		q.count = s == "true"
		if q.count && !strings.EqualFold(c.header.Get("ConsistencyLevel"), "eventual") {
			return q, &apiError{status: http.StatusBadRequest, code: "Request_BadRequest", msg: "$count is only supported with the ConsistencyLevel:eventual header."}
		}
	}
	return q, nil
}

// object is one directory object as a JSON map plus its default property set.
type object = map[string]json.RawMessage

func toObject(v any) object {
	b, _ := json.Marshal(v)
	var m object
	json.Unmarshal(b, &m)
	return m
}

var (
	// Graph's default user properties (returned without $select).
	userDefault = []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
		"officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"}
	groupDefault   = []string{"id", "displayName", "mail", "mailEnabled", "mailNickname", "securityEnabled", "proxyAddresses", "onPremisesSyncEnabled", "onPremisesLastSyncDateTime"}
	contactDefault = []string{"id", "displayName", "mail", "mailNickname", "proxyAddresses", "onPremisesSyncEnabled", "onPremisesLastSyncDateTime"}
)

// collections are the properties the fake serves that are collections.
var collections = map[string]bool{"businessPhones": true, "proxyAddresses": true, "verifiedDomains": true, "groupTypes": true}

// project keeps the selected (or default) properties; a selected property that is not set is
// null, as in Graph.
func project(m object, sel, def []string) json.RawMessage {
	fields := sel
	if len(fields) == 0 {
		fields = def
	}
	var b strings.Builder
	b.WriteByte('{')
	if t, ok := m["@odata.type"]; ok {
		// Graph always says which type a member of a mixed collection has.
		b.WriteString(`"@odata.type":`)
		b.Write(t)
	}
	n := 0
	if _, ok := m["@odata.type"]; ok {
		n = 1
	}
	for _, k := range fields {
		v, ok := m[k]
		if ok && len(v) == 0 {
			continue // unknown to the fake: left out (see userObject)
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		switch {
		case ok:
			b.Write(v)
		case collections[k]:
			b.WriteString("[]") // Graph's collections are never null
		default:
			b.WriteString("null")
		}
	}
	b.WriteByte('}')
	return json.RawMessage(b.String())
}

// page answers a list request: filter, page, select, nextLink.
func (f *Fake) page(c call, n int, get func(int) object, def []string) result {
	q, e := parseQuery(c)
	if e != nil {
		return result{err: e}
	}
	var objs []object
	if q.filter == "" {
		// Convert only the page asked for: lists of 100,000 objects stay cheap.
		start := min(q.skip, n)
		end := min(start+q.top, n)
		objs = make([]object, n)
		for i := start; i < end; i++ {
			objs[i] = get(i)
		}
	} else {
		objs = make([]object, n)
		for i := range n {
			objs[i] = get(i)
		}
	}
	if q.filter != "" {
		pred, err := parseFilter(q.filter)
		if err != nil {
			return errResult(http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified: "+err.Error())
		}
		if pred.advanced && !(q.count && strings.EqualFold(c.header.Get("ConsistencyLevel"), "eventual")) {
			return errResult(http.StatusBadRequest, "Request_UnsupportedQuery",
				"Unsupported or invalid query filter clause specified for property 'proxyAddresses' of resource 'User'. This is an advanced query: send ConsistencyLevel: eventual and $count=true.")
		}
		kept := objs[:0:0]
		for _, o := range objs {
			if pred.match(o) {
				kept = append(kept, o)
			}
		}
		objs = kept
	}
	total := len(objs)
	start := min(q.skip, total)
	end := min(start+q.top, total)
	out := struct {
		Context  string            `json:"@odata.context"`
		Count    *int              `json:"@odata.count,omitempty"`
		NextLink string            `json:"@odata.nextLink,omitempty"`
		Value    []json.RawMessage `json:"value"`
	}{Context: c.base + "/$metadata#" + strings.Trim(c.path, "/"), Value: make([]json.RawMessage, 0, end-start)}
	if q.count {
		out.Count = &total
	}
	for _, o := range objs[start:end] {
		out.Value = append(out.Value, project(o, q.selectFields, def))
	}
	if end < total {
		v := url.Values{}
		for k, vs := range q.raw {
			if k != "$skiptoken" {
				v[k] = vs
			}
		}
		v.Set("$skiptoken", "X"+strconv.Itoa(end))
		out.NextLink = c.base + c.path + "?" + strings.ReplaceAll(v.Encode(), "%24", "$")
	}
	return jsonResult(http.StatusOK, out)
}

// ---- handlers (f.mu held) ----

func (f *Fake) listUsers(c call) result {
	if e := betaOnly(c, "user", "onPremisesObjectIdentifier"); e != nil {
		return result{err: e}
	}
	return f.page(c, len(f.users), func(i int) object { return f.userObject(c, f.users[i]) }, userDefault)
}

// userObject is a user as the call's version shows it: beta adds onPremisesObjectIdentifier
// when the fake knows it; an unknown one (a seed user without it) is left out even when
// selected, so that a snapshot round trip keeps "unknown" apart from null.
func (f *Fake) userObject(c call, u *snapshot.User) object {
	m := toObject(u)
	if c.version == "beta" {
		m["onPremisesObjectIdentifier"] = json.RawMessage{} // unknown: left out
		if v, ok := f.objectIDs[u.ID]; ok {
			if v == "" {
				m["onPremisesObjectIdentifier"] = json.RawMessage("null")
			} else {
				m["onPremisesObjectIdentifier"], _ = json.Marshal(v)
			}
		}
	}
	return m
}

// betaOnly refuses a v1.0 $select of properties the fake serves on beta only, as Graph refuses
// a property its version does not have.
func betaOnly(c call, typ string, props ...string) *apiError {
	if c.version == "beta" {
		return nil
	}
	vals, err := url.ParseQuery(c.query)
	if err != nil {
		return nil // parseQuery reports it
	}
	for _, sel := range strings.Split(vals.Get("$select"), ",") {
		for _, p := range props {
			if strings.EqualFold(strings.TrimSpace(sel), p) {
				return &apiError{status: http.StatusBadRequest, code: "BadRequest",
					msg: "Could not find a property named '" + p + "' on type 'microsoft.graph." + typ + "'."}
			}
		}
	}
	return nil
}

func (f *Fake) getUser(c call, id string) result {
	u := f.findUserLocked(id)
	if u == nil {
		return notFound(id)
	}
	q, e := parseQuery(c)
	if e == nil {
		e = betaOnly(c, "user", "onPremisesObjectIdentifier")
	}
	if e != nil {
		return result{err: e}
	}
	return result{status: http.StatusOK, body: withContext(project(f.userObject(c, u), q.selectFields, userDefault), c.base+"/$metadata#users/$entity")}
}

func (f *Fake) findUserLocked(id string) *snapshot.User {
	if i, ok := f.userIdx[id]; ok {
		return f.users[i]
	}
	for _, u := range f.users {
		if strings.EqualFold(u.UserPrincipalName, id) {
			return u
		}
	}
	return nil
}

func notFound(id string) result {
	return errResult(http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
}

func isTrue(b *bool) bool { return b != nil && *b }

// decodeObject reads a JSON object body into raw fields.
func decodeObject(body []byte) (map[string]json.RawMessage, *apiError) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return nil, &apiError{status: http.StatusBadRequest, code: "BadRequest", msg: "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."}
	}
	for k := range m {
		if strings.HasPrefix(k, "@odata.") {
			delete(m, k) // annotations such as the @odata.type msgraph-sdk-go sends are not properties
		}
	}
	return m, nil
}

var userWritable = map[string]bool{"onPremisesImmutableId": true, "displayName": true, "givenName": true, "surname": true, "accountEnabled": true}

func (f *Fake) updateUser(c call, id string) result {
	u := f.findUserLocked(id)
	if u == nil {
		return notFound(id)
	}
	m, e := decodeObject(c.body)
	if e != nil {
		return result{err: e}
	}
	if c.version == "beta" {
		if v, ok := m["onPremisesObjectIdentifier"]; ok {
			if string(v) != "null" {
				return errResult(http.StatusBadRequest, "Request_BadRequest", "Only null is accepted for property 'onPremisesObjectIdentifier'.")
			}
			delete(m, "onPremisesObjectIdentifier")
			f.objectIDs[u.ID] = ""
		}
	}
	synced := isTrue(u.OnPremisesSyncEnabled) && !f.cloudManaged[u.ID]
	for k := range m {
		if !userWritable[k] {
			return errResult(http.StatusBadRequest, "Request_BadRequest", "Property '"+k+"' is read-only and cannot be set.")
		}
		if synced {
			return errResult(http.StatusBadRequest, codeReadOnlySynced, msgReadOnlySynced)
		}
	}
	if v, ok := m["onPremisesImmutableId"]; ok {
		if string(v) == "null" {
			u.OnPremisesImmutableID = ""
		} else {
			var s string
			if json.Unmarshal(v, &s) != nil {
				return errResult(http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'onPremisesImmutableId' of resource 'User'.")
			}
			if _, err := anchor.ParseSourceAnchor(s); err != nil {
				return errResult(http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'onPremisesImmutableId' of resource 'User'.")
			}
			for _, o := range f.users {
				if o != u && o.OnPremisesImmutableID == s {
					return errResult(http.StatusBadRequest, "Request_BadRequest", "Another object with the same value for property onPremisesImmutableId already exists.")
				}
			}
			u.OnPremisesImmutableID = s
		}
	}
	for k, v := range m {
		switch k {
		case "displayName":
			json.Unmarshal(v, &u.DisplayName)
		case "givenName":
			json.Unmarshal(v, &u.GivenName)
		case "surname":
			json.Unmarshal(v, &u.Surname)
		case "accountEnabled":
			json.Unmarshal(v, &u.AccountEnabled)
		}
	}
	return result{status: http.StatusNoContent}
}

func (f *Fake) listGroups(c call) result {
	return f.page(c, len(f.groups), func(i int) object { return toObject(f.groups[i]) }, groupDefault)
}

func (f *Fake) listContacts(c call) result {
	return f.page(c, len(f.contacts), func(i int) object { return toObject(f.contacts[i]) }, contactDefault)
}

func (f *Fake) listDeleted(c call) result {
	if e := betaOnly(c, "user", "onPremisesObjectIdentifier"); e != nil {
		return result{err: e}
	}
	return f.page(c, len(f.deleted), func(i int) object { return f.userObject(c, f.deleted[i]) }, append(slicesClone(userDefault), "deletedDateTime"))
}

// withContext adds "@odata.context" as the first member of a projected object.
func withContext(obj json.RawMessage, ctx string) json.RawMessage {
	cb, _ := json.Marshal(ctx)
	out := append([]byte(`{"@odata.context":`), cb...)
	if len(obj) > 2 {
		out = append(out, ',')
	}
	return append(out, obj[1:]...)
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

func (f *Fake) listRoles(c call) result {
	return f.page(c, len(f.roles), func(i int) object { return toObject(f.roles[i]) }, []string{"id", "principalId", "roleDefinitionId", "directoryScopeId"})
}

// syncedFlag returns the object's onPremisesSyncEnabled pointer (nil if the object is unknown).
func (f *Fake) objectExists(kind, id string) (**bool, bool) {
	switch kind {
	case "users":
		if u := f.findUserLocked(id); u != nil {
			return &u.OnPremisesSyncEnabled, true
		}
	case "groups":
		for _, g := range f.groups {
			if g.ID == id {
				return &g.OnPremisesSyncEnabled, true
			}
		}
	case "contacts":
		for _, ct := range f.contacts {
			if ct.ID == id {
				return &ct.OnPremisesSyncEnabled, true
			}
		}
	}
	return nil, false
}

func (f *Fake) getBehavior(kind, id string) result {
	if _, ok := f.objectExists(kind, id); !ok {
		return notFound(id)
	}
	return jsonResult(http.StatusOK, map[string]any{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#" + kind + "('" + id + "')/onPremisesSyncBehavior/$entity",
		"id": id, "isCloudManaged": f.cloudManaged[id]})
}

func (f *Fake) updateBehavior(c call, kind, id string) result {
	flag, ok := f.objectExists(kind, id)
	if !ok {
		return notFound(id)
	}
	m, e := decodeObject(c.body)
	if e != nil {
		return result{err: e}
	}
	var v bool
	raw, present := m["isCloudManaged"]
	if !present || json.Unmarshal(raw, &v) != nil {
		return errResult(http.StatusBadRequest, "Request_BadRequest", "Property 'isCloudManaged' must be a boolean.")
	}
	if v {
		f.cloudManaged[id] = true
		*flag = nil // docs/entra-rules.md §4c: after SOA transfer isCloudManaged=true, onPremisesSyncEnabled null
	} else {
		delete(f.cloudManaged, id)
	}
	return result{status: http.StatusNoContent}
}

var orgDefault = []string{"id", "displayName", "onPremisesSyncEnabled", "onPremisesLastSyncDateTime", "verifiedDomains"}

// orgObject is the organization as served (a pending disable reads as false).
func (f *Fake) orgObject() object {
	o := cloneOrg(f.org)
	if !f.disableUntil.IsZero() {
		fls := false
		o.OnPremisesSyncEnabled = &fls
	}
	return toObject(o)
}

func (f *Fake) getOrganization(c call) result {
	return f.page(c, 1, func(int) object { return f.orgObject() }, orgDefault)
}

func (f *Fake) updateOrganization(c call, id string) result {
	if id != f.org.ID {
		return notFound(id)
	}
	m, e := decodeObject(c.body)
	if e != nil {
		return result{err: e}
	}
	for k := range m {
		if k != "onPremisesSyncEnabled" {
			return errResult(http.StatusBadRequest, "Request_BadRequest", "Property '"+k+"' cannot be set by this fake.")
		}
	}
	var v bool
	if json.Unmarshal(m["onPremisesSyncEnabled"], &v) != nil {
		return errResult(http.StatusBadRequest, "Request_BadRequest", "Property 'onPremisesSyncEnabled' must be a boolean.")
	}
	if !f.disableUntil.IsZero() {
		return errResult(http.StatusBadRequest, "DirSyncStatusChangeNotAllowed",
			"Directory Sync is currently in a pending disable state for this directory; wait until it completes (up to 72 hours).")
	}
	switch {
	case v:
		t := true
		f.org.OnPremisesSyncEnabled = &t
	case isTrue(f.org.OnPremisesSyncEnabled):
		fls := false
		f.org.OnPremisesSyncEnabled = &fls
		f.disableUntil = f.now().Add(f.disablePeriod)
		if f.disablePeriod <= 0 {
			f.tickLocked()
		}
	default:
		fls := false
		f.org.OnPremisesSyncEnabled = &fls
	}
	return result{status: http.StatusNoContent}
}

// DisablePending reports whether a tenant-wide disable is pending, and until when.
func (f *Fake) DisablePending() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tickLocked()
	return f.disableUntil, !f.disableUntil.IsZero()
}

func (f *Fake) getSync(c call) result {
	return f.page(c, 1, func(int) object { return toObject(f.sync) }, []string{"id", "configuration", "features"})
}

func (f *Fake) updateSync(c call, id string) result {
	if id != f.sync.ID {
		return notFound(id)
	}
	m, e := decodeObject(c.body)
	if e != nil {
		return result{err: e}
	}
	raw, ok := m["features"]
	if !ok {
		return result{status: http.StatusNoContent}
	}
	var feats map[string]json.RawMessage
	if json.Unmarshal(raw, &feats) != nil {
		return errResult(http.StatusBadRequest, "BadRequest", "Property 'features' must be an object.")
	}
	for k, v := range feats {
		var b bool
		if json.Unmarshal(v, &b) != nil {
			return errResult(http.StatusBadRequest, "BadRequest", "Feature '"+k+"' must be a boolean.")
		}
		switch k {
		case "blockSoftMatchEnabled":
			f.sync.Features.BlockSoftMatchEnabled = b
		case "blockCloudObjectTakeoverThroughHardMatchEnabled":
			f.sync.Features.BlockCloudObjectTakeoverThroughHardMatchEnabled = b
		case "softMatchOnUpnEnabled":
			f.sync.Features.SoftMatchOnUpnEnabled = b
		default:
			if f.sync.Features.Extra == nil {
				f.sync.Features.Extra = map[string]json.RawMessage{}
			}
			f.sync.Features.Extra[k] = v
		}
	}
	return result{status: http.StatusNoContent}
}

func (f *Fake) restore(c call, id string) result {
	now := f.now()
	for i, u := range f.deleted {
		if u.ID != id {
			continue
		}
		if u.DeletedDateTime != nil && now.Sub(*u.DeletedDateTime) > RestoreWindow {
			break
		}
		if o := f.findUserLocked(u.UserPrincipalName); o != nil && u.UserPrincipalName != "" {
			return errResult(http.StatusBadRequest, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.")
		}
		f.deleted = append(f.deleted[:i], f.deleted[i+1:]...)
		u.DeletedDateTime = nil
		f.userIdx[u.ID] = len(f.users)
		f.users = append(f.users, u)
		return result{status: http.StatusOK, body: project(toObject(u), nil, append(slicesClone(userDefault), "onPremisesImmutableId", "onPremisesSyncEnabled"))}
	}
	return notFound(id)
}

var (
	eligibilityDefault = []string{"id", "principalId", "roleDefinitionId", "directoryScopeId", "startDateTime", "endDateTime", "memberType"}
	roleDefDefault     = []string{"id", "description", "displayName", "isBuiltIn", "isEnabled", "templateId"}
)

// forbidden is the answer for a part of the tenant the fake was not seeded with: as a tenant
// where the caller lacks the permission (or, for PIM, the licence).
func forbidden(what string) result {
	return errResult(http.StatusForbidden, "Authorization_RequestDenied",
		"Insufficient privileges to complete the operation ("+what+" not seeded in this fake tenant).")
}

func (f *Fake) listEligibilities(c call) result {
	if f.eligible == nil {
		return forbidden("role eligibilities")
	}
	return f.page(c, len(f.eligible), func(i int) object { return toObject(f.eligible[i]) }, eligibilityDefault)
}

// listRoleDefinitions serves role definitions; isPrivileged exists on beta only (Graph v1.0's
// unifiedRoleDefinition does not have it).
func (f *Fake) listRoleDefinitions(c call) result {
	if f.roleDefs == nil {
		return forbidden("role definitions")
	}
	if e := betaOnly(c, "unifiedRoleDefinition", "isPrivileged"); e != nil {
		return result{err: e}
	}
	def := roleDefDefault
	if c.version == "beta" {
		def = append(slicesClone(def), "isPrivileged")
	}
	return f.page(c, len(f.roleDefs), func(i int) object {
		m := toObject(f.roleDefs[i])
		if c.version != "beta" {
			delete(m, "isPrivileged")
		}
		return m
	}, def)
}

// listMemberOf serves GET /users/{id}/memberOf/microsoft.graph.group: the groups the user is a
// direct member of, as far as the seed says (its groupMembers list the members of
// role-assignable groups, so every group answered is role-assignable).
func (f *Fake) listMemberOf(c call, userID string) result {
	if f.members == nil {
		return forbidden("group members")
	}
	if f.findUserLocked(userID) == nil {
		return notFound(userID)
	}
	var ids []string
	for _, m := range f.members {
		if m.MemberID == userID && !slices.Contains(ids, m.GroupID) {
			ids = append(ids, m.GroupID)
		}
	}
	return f.page(c, len(ids), func(i int) object {
		o := object{"@odata.type": json.RawMessage(`"#microsoft.graph.group"`), "isAssignableToRole": json.RawMessage("true")}
		o["id"], _ = json.Marshal(ids[i])
		for _, g := range f.groups {
			if g.ID == ids[i] {
				o["displayName"], _ = json.Marshal(g.DisplayName)
			}
		}
		return o
	}, []string{"id", "displayName", "isAssignableToRole"})
}

// getRoleDefinition serves GET /roleManagement/directory/roleDefinitions/{id} (isPrivileged on
// beta only, as the list does).
func (f *Fake) getRoleDefinition(c call, id string) result {
	if f.roleDefs == nil {
		return forbidden("role definitions")
	}
	if e := betaOnly(c, "unifiedRoleDefinition", "isPrivileged"); e != nil {
		return result{err: e}
	}
	q, e := parseQuery(c)
	if e != nil {
		return result{err: e}
	}
	for _, d := range f.roleDefs {
		if d.ID == id {
			m := toObject(d)
			def := roleDefDefault
			if c.version == "beta" {
				def = append(slicesClone(def), "isPrivileged")
			} else {
				delete(m, "isPrivileged")
			}
			return result{status: http.StatusOK, body: withContext(project(m, q.selectFields, def), c.base+"/$metadata#roleManagement/directory/roleDefinitions/$entity")}
		}
	}
	return notFound(id)
}

// listMembers serves the direct members of a group, each with its @odata.type.
func (f *Fake) listMembers(c call, groupID string) result {
	if f.members == nil {
		return forbidden("group members")
	}
	known := false
	for _, g := range f.groups {
		known = known || g.ID == groupID
	}
	var ids []string
	for _, m := range f.members {
		if m.GroupID == groupID {
			ids = append(ids, m.MemberID)
		}
	}
	if !known && len(ids) == 0 {
		return notFound(groupID)
	}
	return f.page(c, len(ids), func(i int) object {
		typ := "#microsoft.graph.directoryObject"
		switch {
		case f.isUserLocked(ids[i]):
			typ = "#microsoft.graph.user"
		default:
			for _, g := range f.groups {
				if g.ID == ids[i] {
					typ = "#microsoft.graph.group"
				}
			}
		}
		tb, _ := json.Marshal(typ)
		ib, _ := json.Marshal(ids[i])
		return object{"@odata.type": tb, "id": ib}
	}, []string{"id"})
}

func (f *Fake) isUserLocked(id string) bool {
	_, ok := f.userIdx[id]
	return ok
}

// otherDeletedCast reports the type casts of deleted items other than user (which Graph
// supports and the fake answers with an empty collection).
func otherDeletedCast(seg string) bool {
	for _, t := range []string{"microsoft.graph.group", "microsoft.graph.application", "microsoft.graph.servicePrincipal",
		"microsoft.graph.administrativeUnit", "microsoft.graph.device", "microsoft.graph.certificateBasedAuthPki",
		"microsoft.graph.certificateAuthorityDetail"} {
		if strings.EqualFold(seg, t) || strings.EqualFold(seg, strings.TrimPrefix(t, "microsoft.")) {
			return true
		}
	}
	return false
}

// getOrganizationByID serves GET /organization/{id}.
func (f *Fake) getOrganizationByID(c call, id string) result {
	if !strings.EqualFold(id, f.org.ID) {
		return notFound(id)
	}
	q, e := parseQuery(c)
	if e != nil {
		return result{err: e}
	}
	return result{status: http.StatusOK, body: withContext(project(f.orgObject(), q.selectFields, orgDefault), c.base+"/$metadata#organization/$entity")}
}

// getSyncByID serves GET /directory/onPremisesSynchronization/{id}.
func (f *Fake) getSyncByID(c call, id string) result {
	if !strings.EqualFold(id, f.sync.ID) {
		return notFound(id)
	}
	b, _ := json.Marshal(f.sync)
	return result{status: http.StatusOK, body: withContext(b, c.base+"/$metadata#directory/onPremisesSynchronization/$entity")}
}
