package conversion_test

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

func TestReadJournalErrors(t *testing.T) {
	t.Parallel()
	good := `{"seq":1,"time":"2026-11-24T10:00:00Z","plan":"p","kind":"outcome","change":"c0001","status":"applied"}` + "\n"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"bad json", good + "{nope}\n", "j.jsonl:2:"},
		{"unknown kind", good + `{"seq":2,"plan":"p","kind":"maybe","change":"c1"}` + "\n", `j.jsonl:2: unknown kind "maybe"`},
		{"no change id", `{"seq":1,"plan":"p","kind":"outcome"}` + "\n", "j.jsonl:1: entry has no change id"},
		{"intent without detail", `{"seq":1,"plan":"p","kind":"intent","change":"c1"}` + "\n", "j.jsonl:1: intent of c1 has no detail"},
		{"unknown field", `{"seq":1,"plan":"p","kind":"outcome","change":"c1","extra":1}` + "\n", "j.jsonl:1:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := conversion.ReadJournal("j.jsonl", []byte(tc.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	e, err := conversion.ReadJournal("j.jsonl", []byte(good+`{"seq":2,"pl`))
	require.NoError(t, err)
	assert.Len(t, e, 1, "a torn last line is dropped")
}

func TestFileJournalPersists(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := conversion.OpenJournal(path)
	require.NoError(t, err)
	c := conversion.Change{ID: "c0001", Action: conversion.SetCloudManaged, Target: conversion.Target{Side: conversion.SideCloud, ID: "u"}, Before: conversion.Bool(false), After: conversion.Bool(true)}
	require.NoError(t, j.Append(conversion.Entry{Plan: "p", Kind: conversion.KindIntent, ChangeID: c.ID, Change: &c}))
	require.NoError(t, j.Append(conversion.Entry{Plan: "p", Kind: conversion.KindOutcome, ChangeID: c.ID, Status: conversion.StatusApplied}))
	require.NoError(t, j.Close())
	assert.Error(t, j.Append(conversion.Entry{}), "append after close")

	j, err = conversion.OpenJournal(path)
	require.NoError(t, err)
	defer j.Close()
	e, err := j.Entries()
	require.NoError(t, err)
	require.Len(t, e, 2)
	assert.Equal(t, int64(2), e[1].Seq)
	assert.True(t, e[0].Change.After.Equal(conversion.Bool(true)))
}

func FuzzReadJournal(f *testing.F) {
	f.Add(`{"seq":1,"time":"2026-11-24T10:00:00Z","plan":"p","kind":"outcome","change":"c0001","status":"applied"}` + "\n")
	f.Add(`{"seq":1,"plan":"p","kind":"intent","change":"c1","detail":{"id":"c1","action":"set-mail","target":{"side":"onprem"},"before":null,"after":"a","reason":""}}` + "\n{")
	f.Add("\n\n")
	f.Add(`{"seq":1,"plan":"p","kind":"intent","change":"c1","detail":{"id":"c1","action":"create-user","target":{"side":"onprem","dn":"CN=a"},"before":null,"after":"CN=a","reason":""}}` + "\n" +
		`{"seq":2,"plan":"p","kind":"outcome","change":"c1","status":"applied"}` + "\n" +
		`{"seq":3,"plan":"p","kind":"intent","change":"c2","detail":{"id":"c2","action":"disable-org-sync","target":{"side":"tenant","id":"t"},"before":true,"after":false,"reason":""}}` + "\n")
	f.Fuzz(func(t *testing.T, in string) {
		e, err := conversion.ReadJournal("fuzz", []byte(in))
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "fuzz:"), "error names the file: %v", err)
			return
		}
		for _, x := range e {
			assert.NotEmpty(t, x.ChangeID)
		}
		// Whatever a journal that parses holds, Resolve, Undo and Apply take it without a panic.
		mj := &conversion.MemJournal{}
		for _, x := range e {
			require.NoError(t, mj.Append(x))
		}
		ten := conversiontest.NewTenant(matching.TenantState{ID: "t"})
		a := &conversion.Applier{Directory: conversiontest.NewDirectory(), Tenant: ten, Journal: mj, DryRun: true}
		_, _ = a.Resolve(t.Context())
		_, _ = a.Undo(t.Context())
		_, _ = a.Apply(t.Context(), &conversion.Plan{Version: 1, TenantID: "t"})
	})
}

func TestOpenJournalIsExclusive(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "j")
	j, err := conversion.OpenJournal(name)
	require.NoError(t, err)
	_, err = conversion.OpenJournal(name)
	if runtime.GOOS != "windows" {
		require.ErrorIs(t, err, conversion.ErrJournalLocked, "a second apply on the same journal is refused")
		assert.Contains(t, err.Error(), name)
	}
	require.NoError(t, j.Close())
	j2, err := conversion.OpenJournal(name)
	require.NoError(t, err, "closing releases the lock")
	require.NoError(t, j2.Close())
}
