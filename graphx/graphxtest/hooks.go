package graphxtest

import (
	"net/http"

	"github.com/hybridid/hybridid/snapshot"
)

// getDeleted serves GET /directory/deletedItems/{id} for a soft-deleted user (Graph's "Get
// deleted item"; docs/entra-rules.md §6.2).
func (f *Fake) getDeleted(c call, id string) result {
	q, e := parseQuery(c)
	if e != nil {
		return result{err: e}
	}
	for _, u := range f.deleted {
		if u.ID == id {
			return result{status: http.StatusOK, body: withContext(project(f.userObject(c, u), q.selectFields,
				append(slicesClone(userDefault), "deletedDateTime")), c.base+"/$metadata#directoryObjects/$entity")}
		}
	}
	return notFound(id)
}

// UpdateUser changes an active user in place, as a sync cycle does (no write is logged and the
// write limiter is not consulted). fn must not keep u. It reports whether the user exists.
// isCloudManaged is not part of u: use SetCloudManagedState.
func (f *Fake) UpdateUser(id string, fn func(u *snapshot.User)) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, ok := f.userIdx[id]
	if !ok {
		return false
	}
	fn(f.users[i])
	f.users[i].OnPremisesSyncBehavior = nil
	f.takeObjectID(f.users[i])
	return true
}

// SetCloudManagedState sets an object's onPremisesSyncBehavior.isCloudManaged directly, as
// another administrator would (no write is logged).
func (f *Fake) SetCloudManagedState(id string, cloudManaged bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if cloudManaged {
		f.cloudManaged[id] = true
	} else {
		delete(f.cloudManaged, id)
	}
}

// Users returns copies of the active users, in creation order, with onPremisesSyncBehavior set
// for cloud-managed ones.
func (f *Fake) Users() []snapshot.User {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tickLocked()
	out := make([]snapshot.User, 0, len(f.users))
	for _, u := range f.users {
		c := *cloneUser(*u)
		c.OnPremisesSyncBehavior = f.behaviorLocked(u.ID)
		c.OnPremisesObjectIdentifier = f.objectIDLocked(u.ID)
		out = append(out, c)
	}
	return out
}

// SetFeatures replaces the tenant's sync feature flags (as an administrator would; not logged).
func (f *Fake) SetFeatures(ft snapshot.Features) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sync.Features = ft
}

// AddInterceptor adds a fault injector to a running fake.
func (f *Fake) AddInterceptor(fn InterceptFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.intercept = append(f.intercept[:len(f.intercept):len(f.intercept)], fn) // copy: readers hold the old slice
}

// Undelete moves a soft-deleted user back to the active users, as a sync cycle does when it
// hard-matches a deleted user (docs/entra-rules.md §2.4); no write is logged. It reports whether the user
// was in deleted items.
func (f *Fake) Undelete(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, u := range f.deleted {
		if u.ID == id {
			f.deleted = append(f.deleted[:i:i], f.deleted[i+1:]...)
			u.DeletedDateTime = nil
			f.userIdx[u.ID] = len(f.users)
			f.users = append(f.users, u)
			return true
		}
	}
	return false
}
