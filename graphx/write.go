package graphx

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/snapshot"
)

// A Write is one change, built by the *Write functions, sent alone by Apply or in bulk by Batch.
type Write struct {
	Op     string // the operation, e.g. "SetImmutableID"
	Target string // the object id
	method string
	path   string // relative to the v1.0 base, or absolute for beta
	beta   bool
	body   []byte
}

// ImmutableIDWrite sets onPremisesImmutableId of a user. Request: PATCH /users/{id}
// {"onPremisesImmutableId": value}. Permission: User.ReadUpdate.All (docs/entra-rules.md §6.6). Graph
// refuses it on a user that is currently synced (ErrReadOnly, docs/entra-rules.md §1.7).
func ImmutableIDWrite(userID, value string) Write {
	b, _ := json.Marshal(map[string]string{"onPremisesImmutableId": value})
	return Write{Op: "SetImmutableID", Target: userID, method: http.MethodPatch, path: "/users/" + url.PathEscape(userID), body: b}
}

// ClearImmutableIDWrite clears onPremisesImmutableId with JSON null (docs/entra-rules.md §1.7: an empty
// string does not clear). Request: PATCH /users/{id} {"onPremisesImmutableId": null}.
// Permission: User.ReadUpdate.All. Verify by re-reading: Graph has been seen refusing it.
func ClearImmutableIDWrite(userID string) Write {
	return Write{Op: "ClearImmutableID", Target: userID, method: http.MethodPatch, path: "/users/" + url.PathEscape(userID),
		body: []byte(`{"onPremisesImmutableId":null}`)}
}

// CloudManagedWrite sets onPremisesSyncBehavior.isCloudManaged (source of authority, docs/entra-rules.md
// §4c). Request: PATCH /{users|groups|contacts}/{id}/onPremisesSyncBehavior {"isCloudManaged": b}.
// Permission: User-/Group-/Contacts-OnPremisesSyncBehavior.ReadWrite.All (Hybrid Administrator).
func CloudManagedWrite(kind Kind, id string, cloudManaged bool) Write {
	b, _ := json.Marshal(map[string]bool{"isCloudManaged": cloudManaged})
	return Write{Op: "SetCloudManaged", Target: id, method: http.MethodPatch,
		path: "/" + string(kind) + "/" + url.PathEscape(id) + "/onPremisesSyncBehavior", body: b}
}

// RestoreWrite restores a soft-deleted user (30-day window, docs/entra-rules.md §6.2).
// Request: POST /directory/deletedItems/{id}/restore. Permission: User.DeleteRestore.All.
func RestoreWrite(id string) Write {
	return Write{Op: "RestoreDeletedUser", Target: id, method: http.MethodPost,
		path: "/directory/deletedItems/" + url.PathEscape(id) + "/restore", body: []byte(`{}`)}
}

// ClearObjectIdentifierWrite clears onPremisesObjectIdentifier (beta only; the 2026 remap
// recovery, docs/entra-rules.md §2 and §6.1). Request: PATCH https://graph.microsoft.com/beta/users/{id}
// {"onPremisesObjectIdentifier": null}. Permission: User-OnPremisesSyncBehavior.ReadWrite.All
// with Global Administrator or Hybrid Identity Administrator.
func ClearObjectIdentifierWrite(userID string) Write {
	return Write{Op: "ClearObjectIdentifier", Target: userID, method: http.MethodPatch, beta: true,
		path: "/users/" + url.PathEscape(userID), body: []byte(`{"onPremisesObjectIdentifier":null}`)}
}

// Apply sends one Write (budgeted, retried on 429/503/504).
func (c *Client) Apply(ctx context.Context, w Write) error {
	_, err := c.apply(ctx, w)
	return err
}

func (c *Client) apply(ctx context.Context, w Write) ([]byte, error) {
	base := c.base
	if w.beta {
		base = c.beta
	}
	return c.do(ctx, request{op: w.Op, target: w.Target, method: w.method, url: base + w.path, body: w.body, writes: 1})
}

// SetImmutableID sets a user's onPremisesImmutableId (see ImmutableIDWrite). A value Graph
// would refuse ('$', '_', empty) is refused here with ErrBadRequest, without a request.
func (c *Client) SetImmutableID(ctx context.Context, userID, value string) error {
	if _, err := anchor.ParseSourceAnchor(value); err != nil {
		return &OpError{Op: "SetImmutableID", Target: userID, Err: ErrBadRequest, Message: err.Error()}
	}
	return c.Apply(ctx, ImmutableIDWrite(userID, value))
}

// ClearImmutableID clears a user's onPremisesImmutableId (see ClearImmutableIDWrite).
func (c *Client) ClearImmutableID(ctx context.Context, userID string) error {
	return c.Apply(ctx, ClearImmutableIDWrite(userID))
}

// SetCloudManaged sets onPremisesSyncBehavior.isCloudManaged of a user, group or contact
// (see CloudManagedWrite).
func (c *Client) SetCloudManaged(ctx context.Context, kind Kind, id string, cloudManaged bool) error {
	if !kind.valid() {
		return &OpError{Op: "SetCloudManaged", Target: id, Err: ErrBadRequest, Message: "unknown kind " + string(kind)}
	}
	return c.Apply(ctx, CloudManagedWrite(kind, id, cloudManaged))
}

// RestoreDeletedUser restores a soft-deleted user and returns it (see RestoreWrite). The
// restored user keeps its id and onPremisesImmutableId.
func (c *Client) RestoreDeletedUser(ctx context.Context, id string) (snapshot.User, error) {
	var u snapshot.User
	body, err := c.apply(ctx, RestoreWrite(id))
	if err != nil {
		return u, err
	}
	if len(body) > 0 {
		if err := decode(body, &u); err != nil {
			return u, &OpError{Op: "RestoreDeletedUser", Target: id, Status: http.StatusOK, Err: ErrUnavailable, Message: c.scrub("decoding response: " + err.Error())}
		}
		stripOData(&u)
	}
	return u, nil
}

// ClearObjectIdentifier clears a user's onPremisesObjectIdentifier on the beta endpoint (see
// ClearObjectIdentifierWrite).
func (c *Client) ClearObjectIdentifier(ctx context.Context, userID string) error {
	return c.Apply(ctx, ClearObjectIdentifierWrite(userID))
}

// SetTenantSyncEnabled turns directory synchronization on or off for the tenant (docs/entra-rules.md §4b:
// turning it off takes up to 72 h, during which turning it on is refused: ErrConflict).
// Request: PATCH /organization/{id} {"onPremisesSyncEnabled": b}. Permission:
// Organization.ReadWrite.All (and the Hybrid Identity Administrator role).
func (c *Client) SetTenantSyncEnabled(ctx context.Context, orgID string, enabled bool) error {
	b, _ := json.Marshal(map[string]bool{"onPremisesSyncEnabled": enabled})
	return c.Apply(ctx, Write{Op: "SetTenantSyncEnabled", Target: orgID, method: http.MethodPatch,
		path: "/organization/" + url.PathEscape(orgID), body: b})
}

// FeatureChange names the sync feature flags to change; nil fields are left as they are.
type FeatureChange struct {
	BlockSoftMatchEnabled                           *bool `json:"blockSoftMatchEnabled,omitempty"`
	BlockCloudObjectTakeoverThroughHardMatchEnabled *bool `json:"blockCloudObjectTakeoverThroughHardMatchEnabled,omitempty"`
	SoftMatchOnUpnEnabled                           *bool `json:"softMatchOnUpnEnabled,omitempty"`
}

// SetSyncFeatures changes the matching feature flags (docs/entra-rules.md §6.3).
// Request: PATCH /directory/onPremisesSynchronization/{id} {"features": {…}} (id = tenant id).
// Permission: OnPremDirectorySynchronization.ReadWrite.All (Global Administrator when delegated).
func (c *Client) SetSyncFeatures(ctx context.Context, id string, ch FeatureChange) error {
	b, _ := json.Marshal(map[string]FeatureChange{"features": ch})
	return c.Apply(ctx, Write{Op: "SetSyncFeatures", Target: id, method: http.MethodPatch,
		path: "/directory/onPremisesSynchronization/" + url.PathEscape(id), body: b})
}
