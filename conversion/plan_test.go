package conversion_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
)

func TestPlanJSONRoundTrip(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 3, true)
	for _, tc := range []struct {
		name string
		plan *conversion.Plan
	}{
		{"soa", w.plan},
		{"onprem", onpremPlan(w)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			require.NoError(t, tc.plan.WriteJSON(&buf))
			got, err := conversion.ReadPlan(&buf)
			require.NoError(t, err)
			assert.Equal(t, tc.plan.Hash(), got.Hash())
			var again bytes.Buffer
			require.NoError(t, got.WriteJSON(&again))
			var first bytes.Buffer
			require.NoError(t, tc.plan.WriteJSON(&first))
			assert.Equal(t, first.String(), again.String())
		})
	}
}

func TestReadPlanErrors(t *testing.T) {
	t.Parallel()
	valid := `{"version":1,"tenantID":"t","createdAt":"2026-11-24T10:00:00Z","method":"soa","changes":[
	 {"id":"c0001","action":"set-cloud-managed","target":{"side":"cloud","id":"u1"},"before":false,"after":true,"reason":"r"}]}`
	for _, tc := range []struct {
		name, in, want string
	}{
		{"syntax", `{"version":1,`, "unexpected EOF"},
		{"unknown field", strings.Replace(valid, `"method"`, `"methd"`, 1), "unknown field"},
		{"unknown action", strings.Replace(valid, "set-cloud-managed", "delete-user", 1), `unknown action "delete-user"`},
		{"wrong side", strings.Replace(valid, `"side":"cloud"`, `"side":"onprem"`, 1), "needs a cloud target"},
		{"wrong kind", strings.Replace(valid, `"before":false`, `"before":"x"`, 1), "before is text"},
		{"bad value", strings.Replace(valid, `"before":false`, `"before":{}`, 1), "value must be null"},
		{"version", strings.Replace(valid, `"version":1`, `"version":2`, 1), "version 2"},
		{"duplicate id", strings.Replace(valid, `]}`, `,{"id":"c0001","action":"set-cloud-managed","target":{"side":"cloud","id":"u2"},"before":false,"after":true,"reason":"r"}]}`, 1), "changes[1] (c0001): duplicate id"},
		{"bad guid", `{"version":1,"tenantID":"t","createdAt":"2026-11-24T10:00:00Z","method":"x","changes":[
		 {"id":"c0001","action":"set-consistency-guid","target":{"side":"onprem","objectGUID":"8be74422-b0d9-47ec-b861-e7de1a9cfb20"},"before":null,"after":"nope","reason":"r"}]}`, "changes[0] (c0001)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := conversion.ReadPlan(strings.NewReader(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, conversion.ErrInvalidPlan)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := conversion.ReadPlan(strings.NewReader(valid))
	assert.NoError(t, err)
}

func TestValueJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    conversion.Value
		json string
	}{
		{"null", conversion.Null(), `null`},
		{"text", conversion.Text("IkTni9mw7Ee4YefeGpz7IA=="), `"IkTni9mw7Ee4YefeGpz7IA=="`},
		{"bool", conversion.Bool(true), `true`},
		{"list sorted", conversion.List([]string{"smtp:b@x", "SMTP:a@x"}), `["SMTP:a@x","smtp:b@x"]`},
		{"empty list", conversion.List(nil), `[]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tc.v)
			require.NoError(t, err)
			assert.JSONEq(t, tc.json, string(b))
			var back conversion.Value
			require.NoError(t, json.Unmarshal(b, &back))
			assert.True(t, tc.v.Equal(back))
		})
	}
	assert.False(t, conversion.Text("").Equal(conversion.Null()))
	assert.True(t, conversion.TextOrNull("").Equal(conversion.Null()))
}

func TestInverse(t *testing.T) {
	t.Parallel()
	tgt := conversion.Target{Side: conversion.SideCloud, ID: "u"}
	for _, tc := range []struct {
		name   string
		c      conversion.Change
		action conversion.Action
		err    error
	}{
		{"clear -> set", conversion.Change{ID: "c1", Action: conversion.ClearImmutableID, Target: tgt, Before: conversion.Text("a"), After: conversion.Null()}, conversion.SetImmutableID, nil},
		{"set from null -> clear", conversion.Change{ID: "c1", Action: conversion.SetImmutableID, Target: tgt, Before: conversion.Null(), After: conversion.Text("a")}, conversion.ClearImmutableID, nil},
		{"cloud managed", conversion.Change{ID: "c1", Action: conversion.SetCloudManaged, Target: tgt, Before: conversion.Bool(false), After: conversion.Bool(true)}, conversion.SetCloudManaged, nil},
		{"disable org", conversion.Change{ID: "c1", Action: conversion.DisableOrgSync, Before: conversion.Bool(true), After: conversion.Bool(false)}, conversion.EnableOrgSync, nil},
		{"restore", conversion.Change{ID: "c1", Action: conversion.RestoreUser}, "", conversion.ErrIrreversible},
		{"create", conversion.Change{ID: "c1", Action: conversion.CreateUser}, "", conversion.ErrIrreversible},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv, err := tc.c.Inverse()
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.action, inv.Action)
			assert.Equal(t, "undo-c1", inv.ID)
			assert.True(t, inv.Before.Equal(tc.c.After))
			assert.True(t, inv.After.Equal(tc.c.Before))
		})
	}
}

func TestPlanSort(t *testing.T) {
	t.Parallel()
	p := &conversion.Plan{Changes: []conversion.Change{{ID: "c10"}, {ID: "c2"}, {ID: "c0001"}, {ID: "b5"}}}
	p.Sort()
	var ids []string
	for _, c := range p.Changes {
		ids = append(ids, c.ID)
	}
	assert.Equal(t, []string{"b5", "c0001", "c2", "c10"}, ids)
}

// FuzzReadPlan: ReadPlan never panics, and a plan it accepts writes and reads back to the same
// plan. The seeds are small (one change each) so that the fuzzer mutates structure, not bulk.
func FuzzReadPlan(f *testing.F) {
	for _, seed := range []string{
		`{"version":1,"tenantID":"t","createdAt":"2026-11-24T10:00:00Z","method":"soa","changes":[{"id":"c1","action":"set-cloud-managed","target":{"side":"cloud","id":"u"},"before":false,"after":true,"reason":""}]}`,
		`{"version":1,"tenantID":"t","createdAt":"0001-01-01T00:00:00Z","method":"","changes":[{"id":"c2","action":"set-proxy-addresses","target":{"side":"onprem","objectGUID":"8be74422-b0d9-47ec-b861-e7de1a9cfb20"},"before":["a"],"after":null,"reason":"r"}]}`,
		`{"version":1,"tenantID":"t","createdAt":"0001-01-01T00:00:00Z","method":"","changes":[{"id":"c3","action":"set-immutable-id","target":{"side":"cloud","id":"u"},"before":null,"after":"IkTni9mw7Ee4YefeGpz7IA==","reason":""}],"refused":[{"subject":"s","code":"x","reason":"y"}],"notes":["n"]}`,
		`{"version":1,"changes":[]}`,
		`{"version":1,"changes":[{"id":"undo-c1"}]}`,
		`[]`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := conversion.ReadPlan(strings.NewReader(in))
		if err != nil {
			return
		}
		var out bytes.Buffer
		require.NoError(t, p.WriteJSON(&out))
		q, err := conversion.ReadPlan(&out)
		require.NoError(t, err, "a plan that read must read again after writing")
		assert.Equal(t, p.Hash(), q.Hash())
	})
}
