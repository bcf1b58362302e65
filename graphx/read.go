package graphx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hybridid/hybridid/snapshot"
)

// The $select lists: every on-premises property needs $select (docs/entra-rules.md §6.1).
const (
	userSelect = "id,userPrincipalName,displayName,givenName,surname,mail,mailNickname,proxyAddresses," +
		"onPremisesImmutableId,onPremisesSyncEnabled,onPremisesDistinguishedName,onPremisesSamAccountName," +
		"onPremisesUserPrincipalName,onPremisesSecurityIdentifier,onPremisesLastSyncDateTime,accountEnabled,userType"
	deletedUserSelect = userSelect + ",deletedDateTime"
	groupSelect       = "id,displayName,mail,mailNickname,mailEnabled,securityEnabled,proxyAddresses," +
		"onPremisesSyncEnabled,onPremisesLastSyncDateTime"
	contactSelect = "id,displayName,mail,mailNickname,proxyAddresses,onPremisesSyncEnabled,onPremisesLastSyncDateTime"
	orgSelect     = "id,displayName,onPremisesSyncEnabled,onPremisesLastSyncDateTime,verifiedDomains"
	roleSelect    = "id,principalId,roleDefinitionId,directoryScopeId"
)

type page[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink"`
}

// Wire forms of the hot list types: the same structs without the snapshot package's JSON
// methods, so that decoding a page skips the unknown-member bookkeeping (graphx $selects known
// properties only; Graph adds nothing but @odata annotations, which a snapshot must not keep).
type (
	wireUser    snapshot.User
	wireGroup   snapshot.Group
	wireContact snapshot.Contact
)

// list streams a collection, following @odata.nextLink.
func list[T any](c *Client, ctx context.Context, op, first string, headers map[string]string) iter.Seq2[T, error] {
	return listAs(c, ctx, op, first, headers, func(v T) T { return v })
}

// listAs streams a collection decoded as W and converted to T.
func listAs[W, T any](c *Client, ctx context.Context, op, first string, headers map[string]string, conv func(W) T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		next := first
		for next != "" {
			body, err := c.do(ctx, request{op: op, method: http.MethodGet, url: next, headers: headers})
			if err != nil {
				yield(zero, err)
				return
			}
			var p page[W]
			if err := decode(body, &p); err != nil {
				yield(zero, &OpError{Op: op, Target: next, Status: http.StatusOK, Err: ErrUnavailable,
					Message: c.scrub("decoding response: " + err.Error())})
				return
			}
			for _, w := range p.Value {
				v := conv(w)
				stripOData(&v)
				if !yield(v, nil) {
					return
				}
			}
			if p.NextLink != "" && !sameOrigin(p.NextLink, c.base) {
				yield(zero, &OpError{Op: op, Target: c.scrub(p.NextLink), Err: ErrUnavailable,
					Message: "@odata.nextLink points to another host; refusing to send the token there"})
				return
			}
			next = p.NextLink
		}
	}
}

func sameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Scheme == ub.Scheme && strings.EqualFold(ua.Host, ub.Host)
}

// query builds base+path?params with $-names kept literal and values escaped.
func (c *Client) query(base, path string, kv ...string) string {
	var b strings.Builder
	b.WriteString(base)
	b.WriteString(path)
	for i := 0; i+1 < len(kv); i += 2 {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(kv[i])
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[i+1]))
	}
	return b.String()
}

func (c *Client) top() string { return strconv.Itoa(c.pageSize) }

// Users streams every user with the on-premises properties.
// Request: GET /users?$select=…&$top=999, following @odata.nextLink. Permission: User.Read.All.
// onPremisesSyncBehavior is a navigation property and is not read here (see SyncBehavior).
func (c *Client) Users(ctx context.Context) iter.Seq2[snapshot.User, error] {
	return listAs(c, ctx, "Users", c.query(c.base, "/users", "$select", userSelect, "$top", c.top()), nil, userOf)
}

// Groups streams every group. Request: GET /groups?$select=…. Permission: GroupMember.Read.All
// (or Group.Read.All / Directory.Read.All).
func (c *Client) Groups(ctx context.Context) iter.Seq2[snapshot.Group, error] {
	return listAs(c, ctx, "Groups", c.query(c.base, "/groups", "$select", groupSelect, "$top", c.top()), nil,
		func(w wireGroup) snapshot.Group { return snapshot.Group(w) })
}

// Contacts streams every organizational contact. Request: GET /contacts?$select=….
// Permission: OrgContact.Read.All.
func (c *Client) Contacts(ctx context.Context) iter.Seq2[snapshot.Contact, error] {
	return listAs(c, ctx, "Contacts", c.query(c.base, "/contacts", "$select", contactSelect, "$top", c.top()), nil,
		func(w wireContact) snapshot.Contact { return snapshot.Contact(w) })
}

// DeletedUsers streams the soft-deleted users (restorable for 30 days, docs/entra-rules.md §6.2).
// Request: GET /directory/deletedItems/microsoft.graph.user?$select=…. Permission: User.Read.All.
func (c *Client) DeletedUsers(ctx context.Context) iter.Seq2[snapshot.User, error] {
	return listAs(c, ctx, "DeletedUsers",
		c.query(c.base, "/directory/deletedItems/microsoft.graph.user", "$select", deletedUserSelect, "$top", c.top()), nil, userOf)
}

// RoleAssignments streams the active directory role assignments (docs/entra-rules.md §6.7).
// Request: GET /roleManagement/directory/roleAssignments. Permission: RoleManagement.Read.Directory.
func (c *Client) RoleAssignments(ctx context.Context) iter.Seq2[snapshot.RoleAssignment, error] {
	return list[snapshot.RoleAssignment](c, ctx, "RoleAssignments",
		c.query(c.base, "/roleManagement/directory/roleAssignments", "$select", roleSelect), nil)
}

// Organization reads the tenant's organization object (verified domains, sync state).
// Request: GET /organization?$select=…. Permission: Organization.Read.All (User.Read also works).
func (c *Client) Organization(ctx context.Context) (snapshot.Organization, error) {
	for o, err := range list[snapshot.Organization](c, ctx, "Organization", c.query(c.base, "/organization", "$select", orgSelect), nil) {
		return o, err
	}
	return snapshot.Organization{}, &OpError{Op: "Organization", Err: ErrNotFound, Message: "no organization object"}
}

// OnPremisesSynchronization reads the directory synchronization settings and feature flags
// (docs/entra-rules.md §6.3). Request: GET /directory/onPremisesSynchronization.
// Permission: OnPremDirectorySynchronization.Read.All.
func (c *Client) OnPremisesSynchronization(ctx context.Context) (snapshot.OnPremisesSynchronization, error) {
	for s, err := range list[snapshot.OnPremisesSynchronization](c, ctx, "OnPremisesSynchronization", c.base+"/directory/onPremisesSynchronization", nil) {
		return s, err
	}
	return snapshot.OnPremisesSynchronization{}, &OpError{Op: "OnPremisesSynchronization", Err: ErrNotFound, Message: "no onPremisesDirectorySynchronization object"}
}

// User reads one user by id or userPrincipalName. Request: GET /users/{id}?$select=….
// Permission: User.Read.All.
func (c *Client) User(ctx context.Context, id string) (snapshot.User, error) {
	var u snapshot.User
	body, err := c.do(ctx, request{op: "User", target: id, method: http.MethodGet,
		url: c.query(c.base, "/users/"+url.PathEscape(id), "$select", userSelect)})
	if err != nil {
		return u, err
	}
	if err := decode(body, &u); err != nil {
		return u, &OpError{Op: "User", Target: id, Status: http.StatusOK, Err: ErrUnavailable, Message: c.scrub("decoding response: " + err.Error())}
	}
	stripOData(&u)
	return u, nil
}

func userOf(w wireUser) snapshot.User { return snapshot.User(w) }

// decode unmarshals a response body; an empty body is an error.
func decode(body []byte, v any) error {
	if len(body) == 0 {
		return errors.New("empty response body")
	}
	return json.Unmarshal(body, v)
}

// stripOData removes @odata.* annotations from the Extra members of a decoded object, so that a
// snapshot keeps only properties.
func stripOData(v any) {
	var extra map[string]json.RawMessage
	switch o := v.(type) {
	case *snapshot.User:
		extra = o.Extra
	case *snapshot.Group:
		extra = o.Extra
	case *snapshot.Contact:
		extra = o.Extra
	case *snapshot.RoleAssignment:
		extra = o.Extra
	case *snapshot.RoleEligibility:
		extra = o.Extra
	case *snapshot.RoleDefinition:
		extra = o.Extra
	case *snapshot.Organization:
		extra = o.Extra
	case *snapshot.OnPremisesSynchronization:
		extra = o.Extra
	}
	for k := range extra {
		if strings.HasPrefix(k, "@odata.") {
			delete(extra, k)
		}
	}
}

// UsersWithSyncBehavior streams every user like Users, and for each user that may have been
// converted by a source-of-authority transfer (onPremisesSyncEnabled null and
// onPremisesImmutableId set, docs/entra-rules.md §4c) also reads onPremisesSyncBehavior (one more GET per
// such user). When the caller may not read it (ErrForbidden) a warning is logged once and the
// remaining users are streamed without it.
func (c *Client) UsersWithSyncBehavior(ctx context.Context) iter.Seq2[snapshot.User, error] {
	return withSyncBehavior(ctx, c, KindUser, c.Users(ctx), func(u *snapshot.User) (string, bool) {
		return u.ID, u.OnPremisesSyncEnabled == nil && u.OnPremisesImmutableID != ""
	}, func(u *snapshot.User, sb *snapshot.SyncBehavior) { u.OnPremisesSyncBehavior = sb })
}

// GroupsWithSyncBehavior streams every group like Groups, and for each group that may have been
// converted (onPremisesSyncEnabled null, and an onPremisesImmutableId or a last sync time) also
// reads onPremisesSyncBehavior, as UsersWithSyncBehavior does for users.
func (c *Client) GroupsWithSyncBehavior(ctx context.Context) iter.Seq2[snapshot.Group, error] {
	return withSyncBehavior(ctx, c, KindGroup, c.Groups(ctx), func(g *snapshot.Group) (string, bool) {
		return g.ID, g.OnPremisesSyncEnabled == nil && (g.OnPremisesImmutableID != "" || g.OnPremisesLastSyncDateTime != nil)
	}, func(g *snapshot.Group, sb *snapshot.SyncBehavior) { g.OnPremisesSyncBehavior = sb })
}

// ContactsWithSyncBehavior streams every contact like Contacts, and for each contact that was
// synced once (onPremisesSyncEnabled null and a last sync time) also reads
// onPremisesSyncBehavior.
func (c *Client) ContactsWithSyncBehavior(ctx context.Context) iter.Seq2[snapshot.Contact, error] {
	return withSyncBehavior(ctx, c, KindContact, c.Contacts(ctx), func(o *snapshot.Contact) (string, bool) {
		return o.ID, o.OnPremisesSyncEnabled == nil && o.OnPremisesLastSyncDateTime != nil
	}, func(o *snapshot.Contact, sb *snapshot.SyncBehavior) { o.OnPremisesSyncBehavior = sb })
}

// withSyncBehavior adds onPremisesSyncBehavior to the objects of seq for which need says it may
// matter. When the caller may not read it (ErrForbidden) a warning is logged once and the
// remaining objects are streamed without it; an object without one (ErrNotFound) is left as is.
func withSyncBehavior[T any](ctx context.Context, c *Client, kind Kind, seq iter.Seq2[T, error],
	need func(*T) (string, bool), set func(*T, *snapshot.SyncBehavior)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		readable := true
		for v, err := range seq {
			if id, ok := need(&v); err == nil && readable && ok {
				sb, serr := c.SyncBehavior(ctx, kind, id)
				switch {
				case serr == nil:
					set(&v, &sb)
				case errors.Is(serr, ErrForbidden):
					readable = false
					c.log.WarnContext(ctx, "onPremisesSyncBehavior not readable; cloud-managed objects are not marked",
						"op", "SyncBehavior", "kind", string(kind), "err", serr)
				case errors.Is(serr, ErrNotFound):
				default:
					err = serr
				}
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// Kind names the object collections that carry onPremisesSyncBehavior.
type Kind string

const (
	KindUser    Kind = "users"
	KindGroup   Kind = "groups"
	KindContact Kind = "contacts"
)

func (k Kind) valid() bool { return k == KindUser || k == KindGroup || k == KindContact }

// SyncBehavior reads onPremisesSyncBehavior of one object (docs/entra-rules.md §4c).
// Request: GET /{users|groups|contacts}/{id}/onPremisesSyncBehavior.
// Permission: User-/Group-/Contacts-OnPremisesSyncBehavior.ReadWrite.All.
func (c *Client) SyncBehavior(ctx context.Context, kind Kind, id string) (snapshot.SyncBehavior, error) {
	var sb snapshot.SyncBehavior
	if !kind.valid() {
		return sb, &OpError{Op: "SyncBehavior", Target: id, Err: ErrBadRequest, Message: fmt.Sprintf("unknown kind %q", kind)}
	}
	body, err := c.do(ctx, request{op: "SyncBehavior", target: id, method: http.MethodGet,
		url: c.base + "/" + string(kind) + "/" + url.PathEscape(id) + "/onPremisesSyncBehavior"})
	if err != nil {
		return sb, err
	}
	if err := decode(body, &sb); err != nil {
		return sb, &OpError{Op: "SyncBehavior", Target: id, Status: http.StatusOK, Err: ErrUnavailable, Message: c.scrub("decoding response: " + err.Error())}
	}
	sb.Extra = nil // id and @odata members: not part of the snapshot shape
	return sb, nil
}

// Snapshot reads the whole tenant: organization, sync features (with the July 2026 bypass flag
// allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled when Graph returns it), users (with
// onPremisesSyncBehavior where it matters, see UsersWithSyncBehavior, and
// onPremisesObjectIdentifier from beta, see ObjectIdentifiers), groups, contacts, deleted users,
// role assignments, role eligibilities, role definitions (beta, for isPrivileged) and the members
// of the groups that hold a role. Permissions: the union of those of the reads above.
// A tenant where the caller may not read the sync features (ErrForbidden) still yields a
// snapshot with zero features and a logged warning; a part of the hardening inputs the caller
// may not read (no permission, no PIM licence, no beta property) is left nil, which the snapshot
// format defines as unknown, with a logged warning.
func (c *Client) Snapshot(ctx context.Context) (*snapshot.Snapshot, error) {
	s := &snapshot.Snapshot{TakenAt: time.Now().UTC()}
	var err error
	if s.Organization, err = c.Organization(ctx); err != nil {
		return nil, err
	}
	if s.OnPremisesSynchronization, err = c.OnPremisesSynchronization(ctx); err != nil {
		if !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		c.log.WarnContext(ctx, "sync features not readable; snapshot has none", "op", "Snapshot", "err", err)
	}
	if s.Users, err = collect(c.UsersWithSyncBehavior(ctx)); err != nil {
		return nil, err
	}
	if s.Groups, err = collect(c.GroupsWithSyncBehavior(ctx)); err != nil {
		return nil, err
	}
	if s.Contacts, err = collect(c.ContactsWithSyncBehavior(ctx)); err != nil {
		return nil, err
	}
	if s.DeletedUsers, err = collect(c.DeletedUsers(ctx)); err != nil {
		return nil, err
	}
	if s.RoleAssignments, err = collect(c.RoleAssignments(ctx)); err != nil {
		return nil, err
	}
	if err := c.hardeningInputs(ctx, s); err != nil {
		return nil, err
	}
	return s, nil
}

func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// odataString quotes s as an OData string literal.
func odataString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// FindUsersByImmutableID returns the users whose onPremisesImmutableId equals v.
// Request: GET /users?$filter=onPremisesImmutableId eq '…'. Permission: User.Read.All.
func (c *Client) FindUsersByImmutableID(ctx context.Context, v string) ([]snapshot.User, error) {
	return collect(listAs(c, ctx, "FindUsersByImmutableID",
		c.query(c.base, "/users", "$filter", "onPremisesImmutableId eq "+odataString(v), "$select", userSelect), nil, userOf))
}

// FindUsersByUPN returns the user whose userPrincipalName equals upn (zero or one).
// Request: GET /users?$filter=userPrincipalName eq '…'. Permission: User.Read.All.
func (c *Client) FindUsersByUPN(ctx context.Context, upn string) ([]snapshot.User, error) {
	return collect(listAs(c, ctx, "FindUsersByUPN",
		c.query(c.base, "/users", "$filter", "userPrincipalName eq "+odataString(upn), "$select", userSelect), nil, userOf))
}

// FindUsersByProxyAddress returns the users holding the proxy address addr (e.g.
// "smtp:ann@contoso.example"; Graph compares case-insensitively). This is an advanced query:
// Request: GET /users?$filter=proxyAddresses/any(p:p eq '…')&$count=true with header
// ConsistencyLevel: eventual. Permission: User.Read.All.
func (c *Client) FindUsersByProxyAddress(ctx context.Context, addr string) ([]snapshot.User, error) {
	return collect(listAs(c, ctx, "FindUsersByProxyAddress",
		c.query(c.base, "/users", "$filter", "proxyAddresses/any(p:p eq "+odataString(addr)+")", "$count", "true", "$select", userSelect),
		map[string]string{"ConsistencyLevel": "eventual"}, userOf))
}
