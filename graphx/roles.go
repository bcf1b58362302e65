package graphx

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"

	"github.com/hybridid/hybridid/snapshot"
)

// The July 2026 hard-match protections (docs/entra-rules.md §2.4) need four more things from a
// tenant: who is eligible (PIM) for which role, which roles are privileged, who holds a role
// through a role-assignable group, and each user's onPremisesObjectIdentifier. The reads below
// fetch them; Snapshot puts them in the snapshot's new fields.

const (
	eligibilitySelect    = "id,principalId,roleDefinitionId,directoryScopeId,startDateTime,endDateTime"
	roleDefinitionSelect = "id,displayName,isBuiltIn,isPrivileged"
	objectIDSelect       = "id,onPremisesObjectIdentifier"
)

// RoleEligibilities streams the PIM eligibilities for directory roles (docs/entra-rules.md §6.7).
// Request (v1.0): GET /roleManagement/directory/roleEligibilityScheduleInstances?$select=….
// Permission: RoleEligibilitySchedule.Read.Directory. A tenant without PIM (no Entra ID P2)
// refuses the request; Snapshot then records the eligibilities as unknown.
func (c *Client) RoleEligibilities(ctx context.Context) iter.Seq2[snapshot.RoleEligibility, error] {
	return listAs(c, ctx, "RoleEligibilities",
		c.query(c.base, "/roleManagement/directory/roleEligibilityScheduleInstances", "$select", eligibilitySelect), nil,
		func(w wireEligibility) snapshot.RoleEligibility { return snapshot.RoleEligibility(w) })
}

// RoleEligibilitiesOf returns the PIM eligibilities of one principal (a user or a role-assignable
// group), for a re-check just before a hard match.
// Request (v1.0): GET /roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId eq '…'.
// Permission: RoleEligibilitySchedule.Read.Directory.
func (c *Client) RoleEligibilitiesOf(ctx context.Context, principalID string) ([]snapshot.RoleEligibility, error) {
	return collect(listAs(c, ctx, "RoleEligibilitiesOf",
		c.query(c.base, "/roleManagement/directory/roleEligibilityScheduleInstances",
			"$filter", "principalId eq "+odataString(principalID), "$select", eligibilitySelect), nil,
		func(w wireEligibility) snapshot.RoleEligibility { return snapshot.RoleEligibility(w) }))
}

// RoleAssignmentsOf returns the active role assignments of one principal.
// Request (v1.0): GET /roleManagement/directory/roleAssignments?$filter=principalId eq '…'.
// Permission: RoleManagement.Read.Directory.
func (c *Client) RoleAssignmentsOf(ctx context.Context, principalID string) ([]snapshot.RoleAssignment, error) {
	return collect(list[snapshot.RoleAssignment](c, ctx, "RoleAssignmentsOf",
		c.query(c.base, "/roleManagement/directory/roleAssignments",
			"$filter", "principalId eq "+odataString(principalID), "$select", roleSelect), nil))
}

// RoleDefinitions streams the directory role definitions with isPrivileged, the mark the July
// 2026 protections go by. Graph v1.0 has no isPrivileged on unifiedRoleDefinition, so this
// reads the beta endpoint.
// Request (beta): GET /beta/roleManagement/directory/roleDefinitions?$select=id,displayName,isBuiltIn,isPrivileged.
// Permission: RoleManagement.Read.Directory.
func (c *Client) RoleDefinitions(ctx context.Context) iter.Seq2[snapshot.RoleDefinition, error] {
	return listAs(c, ctx, "RoleDefinitions",
		c.query(c.beta, "/roleManagement/directory/roleDefinitions", "$select", roleDefinitionSelect), nil,
		func(w wireRoleDefinition) snapshot.RoleDefinition { return snapshot.RoleDefinition(w) })
}

// GroupMembers streams the direct members of a group (role-assignable groups cannot hold other
// groups, so direct members are all of them), as GroupMember pairs.
// Request (v1.0): GET /groups/{id}/members?$select=id&$top=999. Permission: GroupMember.Read.All.
func (c *Client) GroupMembers(ctx context.Context, groupID string) iter.Seq2[snapshot.GroupMember, error] {
	return listAs(c, ctx, "GroupMembers",
		c.query(c.base, "/groups/"+url.PathEscape(groupID)+"/members", "$select", "id", "$top", c.top()), nil,
		func(w wireMember) snapshot.GroupMember { return snapshot.GroupMember{GroupID: groupID, MemberID: w.ID} })
}

// ObjectIdentifier is a user's onPremisesObjectIdentifier as Graph returned it.
type ObjectIdentifier struct {
	UserID string
	// Value is nil when Graph did not return the property, a pointer to "" when it returned null,
	// else the value (the snapshot convention).
	Value *string
}

// ObjectIdentifiers streams every user's onPremisesObjectIdentifier. Whether v1.0 returns the
// property is undocumented; its documented home is beta, so this reads beta.
// Request (beta): GET /beta/users?$select=id,onPremisesObjectIdentifier&$top=999.
// Permission: User.Read.All.
func (c *Client) ObjectIdentifiers(ctx context.Context) iter.Seq2[ObjectIdentifier, error] {
	return listAs(c, ctx, "ObjectIdentifiers",
		c.query(c.beta, "/users", "$select", objectIDSelect, "$top", c.top()), nil, objectIdentifierOf)
}

// DeletedObjectIdentifiers is ObjectIdentifiers for the soft-deleted users.
// Request (beta): GET /beta/directory/deletedItems/microsoft.graph.user?$select=id,onPremisesObjectIdentifier&$top=999.
// Permission: User.Read.All.
func (c *Client) DeletedObjectIdentifiers(ctx context.Context) iter.Seq2[ObjectIdentifier, error] {
	return listAs(c, ctx, "DeletedObjectIdentifiers",
		c.query(c.beta, "/directory/deletedItems/microsoft.graph.user", "$select", objectIDSelect, "$top", c.top()), nil, objectIdentifierOf)
}

// UserObjectIdentifier reads one user's onPremisesObjectIdentifier (nil: not returned; "": null).
// Request (beta): GET /beta/users/{id}?$select=id,onPremisesObjectIdentifier. Permission: User.Read.All.
func (c *Client) UserObjectIdentifier(ctx context.Context, userID string) (*string, error) {
	body, err := c.do(ctx, request{op: "UserObjectIdentifier", target: userID, method: http.MethodGet,
		url: c.query(c.beta, "/users/"+url.PathEscape(userID), "$select", objectIDSelect)})
	if err != nil {
		return nil, err
	}
	var w wireObjectID
	if err := decode(body, &w); err != nil {
		return nil, &OpError{Op: "UserObjectIdentifier", Target: userID, Status: http.StatusOK, Err: ErrUnavailable,
			Message: c.scrub("decoding response: " + err.Error())}
	}
	return objectIdentifierOf(w).Value, nil
}

type (
	wireEligibility    snapshot.RoleEligibility
	wireRoleDefinition snapshot.RoleDefinition
	wireMember         struct {
		ID string `json:"id"`
	}
	wireObjectID struct {
		ID    string    `json:"id"`
		Value optString `json:"onPremisesObjectIdentifier"`
	}
)

// optString tells a JSON null (set, empty) from an absent member (not set).
type optString struct {
	set bool
	v   string
}

func (o *optString) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.v = ""
		return nil
	}
	return json.Unmarshal(b, &o.v)
}

func objectIdentifierOf(w wireObjectID) ObjectIdentifier {
	oi := ObjectIdentifier{UserID: w.ID}
	if w.Value.set {
		v := w.Value.v
		oi.Value = &v
	}
	return oi
}

// unknowable reports an error that means "this tenant or caller cannot tell" (no permission, no
// licence, an endpoint or property the service does not have), as opposed to a failure of the
// read: Snapshot records the part as unknown instead of failing.
func unknowable(err error) bool {
	return errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrBadRequest)
}

// objectIDMap reads seq into a map from user id to value.
func objectIDMap(seq iter.Seq2[ObjectIdentifier, error]) (map[string]*string, error) {
	m := map[string]*string{}
	for oi, err := range seq {
		if err != nil {
			return nil, err
		}
		m[oi.UserID] = oi.Value
	}
	return m, nil
}

// hardeningInputs fills the snapshot fields the July 2026 protections need: the users' and
// deleted users' onPremisesObjectIdentifier, role eligibilities, role definitions and the members
// of the groups that hold a role. A part the caller may not read (unknowable) is left nil
// (unknown) with a warning; any other error fails.
func (c *Client) hardeningInputs(ctx context.Context, s *snapshot.Snapshot) error {
	warn := func(what string, err error) {
		c.log.WarnContext(ctx, what+" not readable; the snapshot records it as unknown", "op", "Snapshot", "err", err)
	}
	for _, part := range []struct {
		what  string
		seq   iter.Seq2[ObjectIdentifier, error]
		users []snapshot.User
	}{
		{"onPremisesObjectIdentifier of users", c.ObjectIdentifiers(ctx), s.Users},
		{"onPremisesObjectIdentifier of deleted users", c.DeletedObjectIdentifiers(ctx), s.DeletedUsers},
	} {
		if len(part.users) == 0 {
			continue
		}
		m, err := objectIDMap(part.seq)
		switch {
		case err == nil:
			for i := range part.users {
				part.users[i].OnPremisesObjectIdentifier = m[part.users[i].ID]
			}
		case unknowable(err):
			warn(part.what, err)
		default:
			return err
		}
	}
	var err error
	if s.RoleEligibilities, err = collect(c.RoleEligibilities(ctx)); err != nil {
		if !unknowable(err) {
			return err
		}
		s.RoleEligibilities = nil
		warn("role eligibilities", err)
	}
	if s.RoleDefinitions, err = collect(c.RoleDefinitions(ctx)); err != nil {
		if !unknowable(err) {
			return err
		}
		s.RoleDefinitions = nil
		warn("role definitions", err)
	}
	// A role held through a group: the group is the principal (only role-assignable groups can
	// be). Read the members of each group that appears as a principal.
	groups := map[string]bool{}
	for _, g := range s.Groups {
		groups[g.ID] = false
	}
	var principals []string
	add := func(id string) {
		if seen, ok := groups[id]; ok && !seen {
			groups[id] = true
			principals = append(principals, id)
		}
	}
	for _, r := range s.RoleAssignments {
		add(r.PrincipalID)
	}
	for _, r := range s.RoleEligibilities {
		add(r.PrincipalID)
	}
	s.GroupMembers = []snapshot.GroupMember{}
	for _, g := range principals {
		members, err := collect(c.GroupMembers(ctx, g))
		if err != nil {
			if !unknowable(err) {
				return err
			}
			s.GroupMembers = nil
			warn("members of role-holding groups", err)
			break
		}
		s.GroupMembers = append(s.GroupMembers, members...)
	}
	return nil
}
