package conversion

import (
	"context"
	"sync"

	"github.com/hybridid/hybridid/anchor"
)

// recorder is the writer Apply writes through. It records every successful write; in a dry run
// it writes nothing and remembers the values it would have written, so that later reads of the
// same attribute in the run see them (the run then takes exactly the path apply would take).
type recorder struct {
	dir       DirectoryWriter
	ten       TenantWriter
	dry       bool
	tenantKey string

	mu      sync.Mutex
	writes  []Write
	overlay map[string]Value
}

var (
	_ DirectoryWriter = (*recorder)(nil)
	_ TenantWriter    = (*recorder)(nil)
)

func (w *recorder) overlaid(key, attr string) (Value, bool) {
	if !w.dry {
		return Value{}, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	v, ok := w.overlay[key+"\x00"+attr]
	return v, ok
}

// do runs f unless dry, and records the write when it succeeded (or would have).
func (w *recorder) do(op, key, attr string, old, nw Value, f func() error) error {
	if !w.dry {
		if err := f(); err != nil {
			return err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, Write{Op: op, Target: key, Old: old, New: nw})
	if w.dry {
		w.overlay[key+"\x00"+attr] = nw
	}
	return nil
}

func guidValue(g anchor.ObjectGUID) Value {
	if g.IsZero() {
		return Null()
	}
	return Text(g.String())
}

func onpremKey(g anchor.ObjectGUID) string { return Target{Side: SideOnPrem, GUID: g}.Key() }
func cloudKey(id string) string            { return Target{Side: SideCloud, ID: id}.Key() }

func (w *recorder) SetConsistencyGUID(ctx context.Context, g, old, nw anchor.ObjectGUID) error {
	return w.do("SetConsistencyGUID", onpremKey(g), SetConsistencyGUID.Attribute(), guidValue(old), guidValue(nw),
		func() error { return w.dir.SetConsistencyGUID(ctx, g, old, nw) })
}

func (w *recorder) ReplaceProxyAddresses(ctx context.Context, g anchor.ObjectGUID, old, nw []string) error {
	return w.do("ReplaceProxyAddresses", onpremKey(g), SetProxyAddresses.Attribute(), List(old), List(nw),
		func() error { return w.dir.ReplaceProxyAddresses(ctx, g, old, nw) })
}

func (w *recorder) SetMail(ctx context.Context, g anchor.ObjectGUID, old, nw string) error {
	return w.do("SetMail", onpremKey(g), SetMail.Attribute(), TextOrNull(old), TextOrNull(nw),
		func() error { return w.dir.SetMail(ctx, g, old, nw) })
}

func (w *recorder) SetUPN(ctx context.Context, g anchor.ObjectGUID, old, nw string) error {
	return w.do("SetUPN", onpremKey(g), SetUPN.Attribute(), TextOrNull(old), TextOrNull(nw),
		func() error { return w.dir.SetUPN(ctx, g, old, nw) })
}

func (w *recorder) Move(ctx context.Context, g anchor.ObjectGUID, oldParent, newParent string) error {
	return w.do("Move", onpremKey(g), MoveUser.Attribute(), Text(oldParent), Text(newParent),
		func() error { return w.dir.Move(ctx, g, oldParent, newParent) })
}

func (w *recorder) CreateUser(ctx context.Context, u NewUser) (anchor.ObjectGUID, error) {
	var g anchor.ObjectGUID
	dn := u.DN()
	err := w.do("CreateUser", Target{Side: SideOnPrem, DN: dn}.Key(), CreateUser.Attribute(), Null(), Text(dn),
		func() error {
			var err error
			g, err = w.dir.CreateUser(ctx, u)
			return err
		})
	return g, err
}

func (w *recorder) SetImmutableID(ctx context.Context, id string, old, nw anchor.SourceAnchor) error {
	return w.do("SetImmutableID", cloudKey(id), SetImmutableID.Attribute(), TextOrNull(old.String()), TextOrNull(nw.String()),
		func() error { return w.ten.SetImmutableID(ctx, id, old, nw) })
}

func (w *recorder) SetCloudManaged(ctx context.Context, id string, old, nw bool) error {
	return w.do("SetCloudManaged", cloudKey(id), SetCloudManaged.Attribute(), Bool(old), Bool(nw),
		func() error { return w.ten.SetCloudManaged(ctx, id, old, nw) })
}

func (w *recorder) RestoreDeleted(ctx context.Context, id string) error {
	return w.do("RestoreDeleted", cloudKey(id), RestoreUser.Attribute(), Text(StateDeleted), Text(StateActive),
		func() error { return w.ten.RestoreDeleted(ctx, id) })
}

func (w *recorder) SetOrgSyncEnabled(ctx context.Context, old, nw bool) error {
	return w.do("SetOrgSyncEnabled", w.tenantKey, DisableOrgSync.Attribute(), Bool(old), Bool(nw),
		func() error { return w.ten.SetOrgSyncEnabled(ctx, old, nw) })
}

func (w *recorder) SetOnPremAttributes(ctx context.Context, id string, old, nw OnPremAttributes) error {
	return w.do("SetOnPremAttributes", cloudKey(id), SetOnPremAttributes.Attribute(), old.Value(), nw.Value(),
		func() error { return w.ten.SetOnPremAttributes(ctx, id, old, nw) })
}

func (w *recorder) SetHardeningBypass(ctx context.Context, old, nw bool) error {
	return w.do("SetHardeningBypass", w.tenantKey, SetHardeningBypass.Attribute(), Bool(old), Bool(nw),
		func() error { return w.ten.SetHardeningBypass(ctx, old, nw) })
}

func (w *recorder) SetObjectCloudManaged(ctx context.Context, kind ObjectKind, id string, old, nw bool) error {
	return w.do("SetObjectCloudManaged", cloudKey(id), SetCloudManaged.Attribute(), Bool(old), Bool(nw),
		func() error { return w.ten.SetObjectCloudManaged(ctx, kind, id, old, nw) })
}
