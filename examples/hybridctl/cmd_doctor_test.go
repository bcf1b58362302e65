package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/snapshot"
)

func TestDoctor(t *testing.T) {
	t.Parallel()
	t.Run("table", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := run(t, "", "doctor", "--cloud", demoTenantFile)
		require.Contains(t, []int{0, 1}, code, errOut)
		assert.Contains(t, out, "Sync features that change matching:")
		assert.Contains(t, out, "blockSoftMatchEnabled")
		assert.Contains(t, out, "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled")
		assert.Contains(t, out, "Users the hard-match hardening blocks:")
		assert.Contains(t, out, ">= 2.5.79.0")
		assert.Contains(t, out, "2026-09-30")
		assert.NotContains(t, out, "§")
	})
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := run(t, "", "doctor", "--cloud", demoTenantFile, "--format", "json")
		require.Contains(t, []int{0, 1}, code, errOut)
		var r conversion.ReadinessReport
		require.NoError(t, json.Unmarshal([]byte(out), &r), out)
		assert.NotEmpty(t, r.TenantID)
		assert.Len(t, r.Features, 4)
		assert.Equal(t, len(r.Blocked) > 0, code == 1)
	})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no cloud", []string{"doctor"}, "--cloud is required"},
		{"bad format", []string{"doctor", "--cloud", demoTenantFile, "--format", "csv"}, "want table or json"},
		{"extra argument", []string{"doctor", "--cloud", demoTenantFile, "x"}, `unexpected argument "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, errOut, code := run(t, "", tc.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errOut, tc.want)
		})
	}
	t.Run("a journal left the bypass on", func(t *testing.T) {
		t.Parallel()
		snap, err := snapshot.ReadFile(demoTenantFile)
		require.NoError(t, err)
		name := filepath.Join(t.TempDir(), "j")
		j, err := conversion.OpenJournal(name)
		require.NoError(t, err)
		since := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		enable := conversion.Change{ID: "c0001", Action: conversion.SetHardeningBypass, Target: conversion.Target{Side: conversion.SideTenant, ID: snap.Organization.ID},
			Before: conversion.Bool(false), After: conversion.Bool(true), Reason: "r"}
		require.NoError(t, j.Append(conversion.Entry{Time: since, Plan: "p", Kind: conversion.KindIntent, ChangeID: "c0001", Change: &enable}))
		require.NoError(t, j.Append(conversion.Entry{Time: since, Plan: "p", Kind: conversion.KindOutcome, ChangeID: "c0001", Status: conversion.StatusApplied}))
		require.NoError(t, j.Close())
		// The tenant says the flag is on; the journal says since when.
		on := true
		snap.OnPremisesSynchronization.Features.AllowOnPremUpdateOfOnPremisesObjectIdentifierEnabled = &on
		tenant := filepath.Join(t.TempDir(), "tenant.json")
		var buf bytes.Buffer
		require.NoError(t, snapshot.Write(&buf, snap))
		require.NoError(t, os.WriteFile(tenant, buf.Bytes(), 0o600))
		out, errOut, code := run(t, "", "doctor", "--cloud", tenant, "--journal", name)
		assert.Equal(t, 1, code, errOut)
		assert.Contains(t, out, "allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled  ON since 2026-11-23T09:00:00Z")
		assert.Contains(t, out, "is ON: turn it off once remediation is done (on for 25h0m0s)")
	})
	t.Run("missing journal", func(t *testing.T) {
		t.Parallel()
		_, errOut, code := run(t, "", "doctor", "--cloud", demoTenantFile, "--journal", "no-such-journal")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "no-such-journal")
	})
}
