package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

// The fakes behind apply and undo: a test registers a directory and a tenant under a name and
// passes --graph-endpoint fake:NAME and --onprem ldap://fake-NAME; the hooks of main.go are
// wrapped once (before any test runs in parallel) to hand them out, and pass anything else to
// the adapters.

type fakeSet struct {
	dir *conversiontest.Directory
	ten *conversiontest.Tenant
}

var (
	fakeHooksOnce sync.Once
	fakeSets      sync.Map // name -> *fakeSet
)

// installFakeHooks must be called before t.Parallel.
func installFakeHooks() {
	fakeHooksOnce.Do(func() {
		realTen, realDir := openTenant, openDirectory
		openTenant = func(ctx context.Context, e *env, endpoint string) (conversion.Tenant, error) {
			if name, ok := strings.CutPrefix(endpoint, "fake:"); ok {
				if v, ok := fakeSets.Load(name); ok {
					return v.(*fakeSet).ten, nil
				}
				return nil, fmt.Errorf("no fake tenant %q", name)
			}
			if realTen == nil {
				return nil, errors.New("no Graph adapter")
			}
			return realTen(ctx, e, endpoint)
		}
		openDirectory = func(ctx context.Context, e *env, url string) (conversion.Directory, io.Closer, error) {
			if name, ok := strings.CutPrefix(url, "ldap://fake-"); ok {
				if v, ok := fakeSets.Load(name); ok {
					return v.(*fakeSet).dir, io.NopCloser(nil), nil
				}
				return nil, nil, fmt.Errorf("no fake directory %q", name)
			}
			if realDir == nil {
				return nil, nil, errors.New("no LDAP adapter")
			}
			return realDir(ctx, e, url)
		}
	})
}

// newFakes seeds a fake directory and tenant with the demo data (the tenant's org changed by
// org, when not nil) and registers them under the test's name; it returns the flags that reach
// them.
func newFakes(t *testing.T, org func(*matching.TenantState)) (*fakeSet, []string) {
	t.Helper()
	on, snap, err := demoInput()
	require.NoError(t, err)
	cloud, err := snap.Cloud()
	require.NoError(t, err)
	tenant := snap.Tenant()
	if org != nil {
		org(&tenant)
	}
	fs := &fakeSet{dir: conversiontest.NewDirectory(on...), ten: conversiontest.NewTenant(tenant, cloud...)}
	name := strings.ReplaceAll(t.Name(), "/", "_")
	_, dup := fakeSets.LoadOrStore(name, fs)
	require.False(t, dup, name)
	t.Cleanup(func() { fakeSets.Delete(name) })
	return fs, []string{"--graph-endpoint", "fake:" + name, "--onprem", "ldap://fake-" + name}
}

const (
	demoTenantFile = "demodata/tenant.json"
	demoLDIFFile   = "demodata/corp.ldif"
	oliviaID       = "011e0000-0000-4000-8000-00000000000f"
	robID          = "a0b00000-0000-4000-8000-000000000011"
	graceID        = "67ace000-0000-4000-8000-000000000007"
)

// makePlan writes the users file and runs plan; it returns the plan file.
func makePlan(t *testing.T, users string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	uf := filepath.Join(dir, "users.txt")
	require.NoError(t, os.WriteFile(uf, []byte(users), 0o600))
	pf := filepath.Join(dir, "plan.json")
	_, errOut, code := run(t, "", append([]string{"plan", "--cloud", demoTenantFile, "--users", uf, "-o", pf}, args...)...)
	require.Equal(t, 0, code, errOut)
	return pf
}

func TestPlanUsage(t *testing.T) {
	t.Parallel()
	base := []string{"--cloud", demoTenantFile, "--all"}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no direction", append([]string{"plan"}, base...), `--to "": want cloud-only or synced`},
		{"method of the other direction", append([]string{"plan", "--to", "cloud-only", "--method", "hard-match"}, base...), "want one of soa, ou-move, tenant-wide"},
		{"no cloud", []string{"plan", "--to", "cloud-only", "--all"}, "--cloud is required"},
		{"no onprem for hard match", []string{"plan", "--to", "synced", "--cloud", demoTenantFile, "--all"}, "--onprem is required for --method hard-match"},
		{"neither users nor all", []string{"plan", "--to", "cloud-only", "--cloud", demoTenantFile}, "--users FILE (one per line) or --all"},
		{"both users and all", append([]string{"plan", "--to", "cloud-only", "--users", "x"}, base...), "not both"},
		{"ou-move without target", append([]string{"plan", "--to", "cloud-only", "--method", "ou-move", "--onprem", demoLDIFFile}, base...), "needs --target-ou"},
		{"create-ou with soa", append([]string{"plan", "--to", "cloud-only", "--create-ou", "OU=X"}, base...), "--create-ou applies only"},
		{"clear-onprem-attributes to synced", append([]string{"plan", "--to", "synced", "--onprem", demoLDIFFile, "--clear-onprem-attributes"}, base...), "--clear-onprem-attributes applies only"},
		{"clear-onprem-attributes with clear-onprem", append([]string{"plan", "--to", "cloud-only", "--method", "clear-onprem", "--clear-onprem-attributes"}, base...), "clear-onprem always clears"},
		{"bypass with soa", append([]string{"plan", "--to", "cloud-only", "--allow-hardening-bypass", "--confirm-tenant", "x"}, base...), "--allow-hardening-bypass applies only"},
		{"bypass without confirm", append([]string{"plan", "--to", "synced", "--onprem", demoLDIFFile, "--allow-hardening-bypass"}, base...), "needs --confirm-tenant ID"},
		{"objects with ou-move", append([]string{"plan", "--to", "cloud-only", "--method", "ou-move", "--target-ou", "OU=X", "--onprem", demoLDIFFile, "--objects", "groups"}, base...), "--objects applies only"},
		{"unknown object type", append([]string{"plan", "--to", "cloud-only", "--objects", "users,printers"}, base...), `unknown object type "printers"`},
		{"confirm with soa", append([]string{"plan", "--to", "cloud-only", "--confirm-tenant", "x"}, base...), "--confirm-tenant applies only"},
		{"bad flag", []string{"plan", "--nope"}, "flag provided but not defined"},
		{"apply without plan", []string{"apply", "--journal", "j"}, "the plan file is required"},
		{"apply without journal", []string{"apply", "plan.json"}, "--journal FILE is required"},
		{"apply two plans", []string{"apply", "a.json", "b.json", "--journal", "j"}, `unexpected argument "b.json"`},
		{"resolve and dry run", []string{"apply", "a.json", "--journal", "j", "--resolve", "--dry-run"}, "do not go together"},
		{"undo without journal", []string{"undo"}, "--journal FILE is required"},
		{"undo with a plan", []string{"undo", "plan.json", "--journal", "j"}, "undo reads only the journal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, "", tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.want)
			assert.Contains(t, errOut, "see 'hybridctl help "+tc.args[0]+"'")
		})
	}
}

func TestPlanUsersFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	good := "# wave 1\n\nolivia.grant@contoso.example\n  A0B00000-0000-4000-8000-000000000011  \n"
	for _, tc := range []struct {
		name, file, stdin string
		code              int
		wantErr, wantOut  string
	}{
		{"file", write("good.txt", good), "", 0, "", "2 change(s) for 2 user(s), 0 refused"},
		{"stdin", "-", good, 0, "", "rob.stone@contoso.example"},
		{"bad line names file and line", write("bad.txt", "olivia.grant@contoso.example\n# ok\nolivia grant\n"), "", 1, "bad.txt:3: bad users list", ""},
		{"bad stdin line", "-", "ann@\n", 1, "stdin:1: bad users list", ""},
		{"empty", write("empty.txt", "# nobody\n"), "", 1, "empty.txt lists no users", ""},
		{"missing", filepath.Join(dir, "missing.txt"), "", 1, "missing.txt: no such file", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, tc.stdin, "plan", "--to", "cloud-only", "--cloud", demoTenantFile, "--users", tc.file)
			assert.Equal(t, tc.code, code, errOut)
			if tc.wantErr != "" {
				assert.Contains(t, errOut, tc.wantErr)
				assert.Empty(t, out)
			}
			assert.Contains(t, out, tc.wantOut)
		})
	}
}

func TestPlanOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	users := filepath.Join(dir, "users.txt")
	require.NoError(t, os.WriteFile(users, []byte("olivia.grant@contoso.example\nfrank.ito@contoso.example\nnobody@contoso.example\n"), 0o600))

	t.Run("refused users exit 1 and are named", func(t *testing.T) {
		t.Parallel()
		pf := filepath.Join(dir, "refused.json")
		out, errOut, code := run(t, "", "plan", "--to", "cloud-only", "--cloud", demoTenantFile, "--users", users, "-o", pf)
		assert.Equal(t, 1, code)
		assert.Contains(t, out, "c0001  set-cloud-managed  cloud olivia.grant@contoso.example")
		assert.Contains(t, out, "\nRefused:\n")
		assert.Contains(t, errOut, "2 refused")
		assert.Contains(t, errOut, "frank.ito@contoso.example (f0000000-0000-4000-8000-000000000006): not-synced")
		assert.Contains(t, errOut, "nobody@contoso.example: not-found")
		f, err := os.Open(pf)
		require.NoError(t, err, "the plan is written even with refusals")
		defer f.Close()
		p, err := conversion.ReadPlan(f)
		require.NoError(t, err)
		assert.Len(t, p.Changes, 1)
		assert.Len(t, p.Refused, 2)
		assert.Equal(t, "0c0a7e11-5a3b-4c2d-9e8f-c0a70c0a7e11", p.TenantID)
	})
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		out, _, code := run(t, "", "plan", "--to", "cloud-only", "--cloud", demoTenantFile, "--all", "--json")
		assert.Equal(t, 0, code)
		p, err := conversion.ReadPlan(strings.NewReader(out))
		require.NoError(t, err, out)
		assert.Equal(t, conversion.MethodSOA, p.Method)
		assert.NotEmpty(t, p.Changes)
	})
	t.Run("role holders need --allow-privileged", func(t *testing.T) {
		t.Parallel()
		// A tenant where the synced rob.stone holds a role: source-of-authority transfer is
		// this tool's own guard rail, which the flag lifts.
		var snap map[string]any
		data, err := os.ReadFile(demoTenantFile)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, &snap))
		snap["roleAssignments"] = append(snap["roleAssignments"].([]any), map[string]any{
			"id": "ra-rob", "principalId": robID, "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "directoryScopeId": "/"})
		data, err = json.Marshal(snap)
		require.NoError(t, err)
		tenant := filepath.Join(t.TempDir(), "tenant.json")
		require.NoError(t, os.WriteFile(tenant, data, 0o600))
		args := []string{"plan", "--to", "cloud-only", "--cloud", tenant, "--users", "-", "--json"}
		_, errOut, code := run(t, "rob.stone@contoso.example\n", args...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "role-holder")
		assert.Contains(t, errOut, `assignment "ra-rob"`)
		assert.Contains(t, errOut, "--allow-privileged")
		out, errOut, code := run(t, "rob.stone@contoso.example\n", append(args, "--allow-privileged")...)
		assert.Equal(t, 0, code, errOut)
		assert.True(t, json.Valid([]byte(out)))
	})
	t.Run("no flag lifts what Entra blocks", func(t *testing.T) {
		t.Parallel()
		// frank.ito holds Global Administrator, a privileged role: since July 2026 Entra
		// refuses to hard-match him, and --allow-privileged does not change that.
		args := []string{"plan", "--to", "synced", "--onprem", demoLDIFFile, "--cloud", demoTenantFile, "--scope", demoScope, "--users", "-", "--json", "--allow-privileged"}
		_, errOut, code := run(t, "frank.ito@contoso.example\n", args...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "InvalidHardMatch")
		assert.Contains(t, errOut, `remove assignment "ra-frank-ga"`)
	})
	t.Run("tenant-wide needs the tenant id", func(t *testing.T) {
		t.Parallel()
		_, errOut, code := run(t, "", "plan", "--to", "cloud-only", "--method", "tenant-wide", "--cloud", demoTenantFile, "--all")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "confirmation-required")
		out, errOut, code := run(t, "", "plan", "--to", "cloud-only", "--method", "tenant-wide", "--cloud", demoTenantFile, "--all",
			"--confirm-tenant", "0c0a7e11-5a3b-4c2d-9e8f-c0a70c0a7e11")
		assert.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "disable-org-sync")
	})
}

func TestApplyUndo(t *testing.T) {
	installFakeHooks()
	t.Parallel()
	soa := makePlan(t, "olivia.grant@contoso.example\nrob.stone@contoso.example\n", "--to", "cloud-only")
	soaClear := makePlan(t, "olivia.grant@contoso.example\n", "--to", "cloud-only", "--clear-onprem-attributes")
	reanchor := makePlan(t, "grace.kim@contoso.example\n", "--to", "synced", "--method", "re-anchor", "--onprem", demoLDIFFile, "--scope", demoScope)

	t.Run("soa, then undo", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, nil)
		journal := filepath.Join(t.TempDir(), "j")
		out, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "Summary: 2 applied")
		assert.Contains(t, out, "SetCloudManaged cloud:"+oliviaID+": false -> true")
		for _, id := range []string{oliviaID, robID} {
			u, _ := fk.ten.Get(id)
			assert.True(t, u.CloudManaged, id)
		}
		// A second run finds everything done.
		out, errOut, code = run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "Summary: 2 done-before")

		out, errOut, code = run(t, "", append([]string{"undo", "--journal", journal, "--json"}, flags...)...)
		require.Equal(t, 0, code, errOut)
		var res conversion.Result
		require.NoError(t, json.Unmarshal([]byte(out), &res), out)
		assert.Equal(t, 2, res.Count(conversion.StatusApplied))
		for _, id := range []string{oliviaID, robID} {
			u, _ := fk.ten.Get(id)
			assert.False(t, u.CloudManaged, id)
		}
	})
	t.Run("soa with the on-premises attributes cleared, then undo", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, nil)
		before, _ := fk.ten.Get(oliviaID)
		require.NotEmpty(t, before.OnPremisesDistinguishedName)
		journal := filepath.Join(t.TempDir(), "j")
		out, errOut, code := run(t, "", append([]string{"apply", soaClear, "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "Summary: 2 applied")
		assert.Contains(t, out, "SetOnPremAttributes cloud:"+oliviaID)
		u, _ := fk.ten.Get(oliviaID)
		assert.True(t, u.CloudManaged)
		assert.Empty(t, u.OnPremisesDistinguishedName)
		assert.True(t, u.ImmutableID.IsZero())

		_, errOut, code = run(t, "", append([]string{"undo", "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		u, _ = fk.ten.Get(oliviaID)
		assert.False(t, u.CloudManaged)
		assert.Equal(t, before.OnPremisesDistinguishedName, u.OnPremisesDistinguishedName)
		assert.Equal(t, before.ImmutableID, u.ImmutableID)
	})
	t.Run("directory writes need --onprem", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, nil)
		journal := filepath.Join(t.TempDir(), "j")
		_, errOut, code := run(t, "", "apply", reanchor, "--journal", journal, flags[0], flags[1])
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "--onprem ldap://HOST or ldaps://HOST is required")
		_, errOut, code = run(t, "", "apply", reanchor, "--journal", journal, flags[0], flags[1], "--onprem", demoLDIFFile)
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "give an ldap:// or ldaps:// URL")

		out, errOut, code := run(t, "", append([]string{"apply", reanchor, "--journal", journal, "--json"}, flags...)...)
		require.Equal(t, 0, code, errOut)
		var res conversion.Result
		require.NoError(t, json.Unmarshal([]byte(out), &res), out)
		require.Len(t, res.Changes, 1)
		assert.Equal(t, conversion.StatusApplied, res.Changes[0].Status)
		grace := findOnPrem(t, fk.dir, "CN=Grace Kim,OU=Synced,DC=corp,DC=example,DC=test")
		cloudGrace, _ := fk.ten.Get(graceID)
		g, _ := cloudGrace.ImmutableID.GUID()
		assert.Equal(t, g, grace.ConsistencyGUID)

		_, errOut, code = run(t, "", append([]string{"undo", "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		grace = findOnPrem(t, fk.dir, "CN=Grace Kim,OU=Synced,DC=corp,DC=example,DC=test")
		assert.True(t, grace.ConsistencyGUID.IsZero())
	})
	t.Run("dry run writes nothing", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, nil)
		journal := filepath.Join(t.TempDir(), "j")
		out, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", journal, "--dry-run"}, flags...)...)
		require.Equal(t, 0, code, errOut)
		// Writes are listed in the order they would be made; with concurrency that order varies.
		assert.Contains(t, out, "Writes apply would make (dry run: nothing was written):\n  SetCloudManaged cloud:")
		assert.Contains(t, out, "\n  SetCloudManaged cloud:"+oliviaID+": false -> true\n")
		assert.Contains(t, out, "Summary: 2 planned")
		assert.Empty(t, fk.ten.Writes())
		assert.NoFileExists(t, journal)
	})
	t.Run("stale plan", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, nil)
		grace := findOnPrem(t, fk.dir, "CN=Grace Kim,OU=Synced,DC=corp,DC=example,DC=test")
		require.NoError(t, fk.dir.SetConsistencyGUID(t.Context(), grace.ObjectGUID, anchor.ObjectGUID{}, anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")))
		out, errOut, code := run(t, "", append([]string{"apply", reanchor, "--journal", filepath.Join(t.TempDir(), "j")}, flags...)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, out, "Summary: 1 stale")
		assert.Contains(t, errOut, "1 of 1 change(s) did not succeed")
		assert.Contains(t, errOut, "c0001 set-consistency-guid onprem grace.kim@contoso.example")
		assert.Contains(t, errOut, `stale plan: expected null, found "8be74422-b0d9-47ec-b861-e7de1a9cfb20"; the target changed since the plan was made: make the plan again`)
	})
	t.Run("wrong tenant", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, func(org *matching.TenantState) { org.ID = "11111111-2222-4333-8444-555555555555" })
		out, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", filepath.Join(t.TempDir(), "j")}, flags...)...)
		assert.Equal(t, 1, code)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "plan is for another tenant")
		assert.Empty(t, fk.ten.Writes())
	})
	readerRole := func(id string) func(org *matching.TenantState) {
		return func(org *matching.TenantState) {
			org.Roles = append(org.Roles, matching.RoleAssignment{ID: "r1", PrincipalID: id, RoleDefinitionID: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", DirectoryScopeID: "/"})
			org.RoleDefinitions = append(org.RoleDefinitions, matching.RoleDefinition{ID: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", DisplayName: "Directory Readers", IsBuiltIn: true})
		}
	}
	globalAdmin := func(id string) func(org *matching.TenantState) {
		return func(org *matching.TenantState) {
			org.Eligibilities = append(org.Eligibilities, matching.RoleAssignment{ID: "e1", PrincipalID: id, RoleDefinitionID: "62e90394-69f5-4237-9190-012177145e10", DirectoryScopeID: "/"})
			org.RoleDefinitions = append(org.RoleDefinitions, matching.RoleDefinition{ID: "62e90394-69f5-4237-9190-012177145e10", DisplayName: "Global Administrator", IsBuiltIn: true, IsPrivileged: true})
		}
	}
	t.Run("role holder needs the flag at apply", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, readerRole(robID))
		journal := filepath.Join(t.TempDir(), "j")
		_, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "cloud user "+robID+` holds Entra roles (assignment "r1" of role Directory Readers`)
		assert.Contains(t, errOut, "run again with --allow-privileged")
		u, _ := fk.ten.Get(robID)
		assert.False(t, u.CloudManaged, "the role holder was not converted")
		u, _ = fk.ten.Get(oliviaID)
		assert.True(t, u.CloudManaged, "the other user was")
		_, errOut, code = run(t, "", append([]string{"apply", soa, "--journal", journal, "--allow-privileged"}, flags...)...)
		assert.Equal(t, 0, code, errOut)
		u, _ = fk.ten.Get(robID)
		assert.True(t, u.CloudManaged)
	})
	t.Run("eligible subject of an AD-only plan is refused whatever the flag", func(t *testing.T) {
		t.Parallel()
		// A re-anchor plan writes only AD, but sync then hard-matches the AD user to grace's cloud
		// user, and Entra refuses that for a user eligible for a privileged role.
		fk, flags := newFakes(t, globalAdmin(graceID))
		journal := filepath.Join(t.TempDir(), "j")
		for _, extra := range [][]string{nil, {"--allow-privileged"}} {
			_, errOut, code := run(t, "", append(append([]string{"apply", reanchor, "--journal", journal}, flags...), extra...)...)
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, `remove the PIM eligibility "e1" of role Global Administrator`)
			assert.Contains(t, errOut, "Entra itself blocks this; no flag lifts it")
		}
		assert.Empty(t, fk.dir.Writes())
	})
	t.Run("role holder needs the flag at undo", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, func(org *matching.TenantState) {
			org.RoleDefinitions = append(org.RoleDefinitions, matching.RoleDefinition{ID: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", DisplayName: "Directory Readers", IsBuiltIn: true})
		})
		journal := filepath.Join(t.TempDir(), "j")
		_, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		n := len(fk.ten.Writes())
		// A role assigned after the plan was applied: undo re-checks the roles held now.
		fk.ten.AssignRole(matching.RoleAssignment{ID: "r-new", PrincipalID: robID, RoleDefinitionID: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"})
		_, errOut, code = run(t, "", append([]string{"undo", "--journal", journal}, flags...)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, `assignment "r-new"`)
		assert.Contains(t, errOut, "--allow-privileged")
		assert.Len(t, fk.ten.Writes(), n+1, "undo reversed only the other user")
		_, errOut, code = run(t, "", append([]string{"undo", "--journal", journal, "--allow-privileged"}, flags...)...)
		assert.Equal(t, 0, code, errOut)
		u, _ := fk.ten.Get(robID)
		assert.False(t, u.CloudManaged)
	})
	t.Run("apply after undo needs a new journal", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, nil)
		journal := filepath.Join(t.TempDir(), "j")
		_, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		_, errOut, code = run(t, "", append([]string{"undo", "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		out, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		assert.Equal(t, 1, code, out)
		assert.Contains(t, errOut, "records an undo of this plan")
		assert.Contains(t, errOut, "give a new --journal file")
		u, _ := fk.ten.Get(oliviaID)
		assert.False(t, u.CloudManaged, "still undone")
	})
	t.Run("dirty journal, resolve, resume", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, nil)
		journal := filepath.Join(t.TempDir(), "j")
		f, err := os.Open(soa)
		require.NoError(t, err)
		p, err := conversion.ReadPlan(f)
		f.Close()
		require.NoError(t, err)
		// A crash after the intent of c0001 and its write, before the outcome.
		j, err := conversion.OpenJournal(journal)
		require.NoError(t, err)
		c := p.Changes[0]
		require.NoError(t, j.Append(conversion.Entry{Plan: p.Hash(), Kind: conversion.KindIntent, ChangeID: c.ID, Change: &c}))
		require.NoError(t, j.Close())
		require.NoError(t, fk.ten.SetCloudManaged(t.Context(), oliviaID, false, true))

		_, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "is dirty: change(s) c0001 were started")
		assert.Contains(t, errOut, "hybridctl apply --resolve --journal "+journal)

		out, errOut, code := run(t, "", append([]string{"apply", "--resolve", "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "c0001  set-cloud-managed")
		assert.Contains(t, out, "applied")
		assert.Contains(t, errOut, "resolved")

		out, errOut, code = run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "Summary: 1 applied, 1 done-before")
	})
	t.Run("journal of another plan", func(t *testing.T) {
		t.Parallel()
		_, flags := newFakes(t, nil)
		journal := filepath.Join(t.TempDir(), "j")
		_, errOut, code := run(t, "", append([]string{"apply", reanchor, "--journal", journal}, flags...)...)
		require.Equal(t, 0, code, errOut)
		_, errOut, code = run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "journal belongs to another plan")
		assert.Contains(t, errOut, "give a new --journal file")
	})
	t.Run("bad plan file", func(t *testing.T) {
		t.Parallel()
		_, flags := newFakes(t, nil)
		bad := filepath.Join(t.TempDir(), "bad.json")
		require.NoError(t, os.WriteFile(bad, []byte(`{"version": 1, "changes": [{"id": "c1", "action": "delete-user"}]}`), 0o600))
		_, errOut, code := run(t, "", append([]string{"apply", bad, "--journal", filepath.Join(t.TempDir(), "j")}, flags...)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "bad.json: invalid plan")
		assert.Contains(t, errOut, `unknown action "delete-user"`)
	})
	t.Run("undo of a missing journal", func(t *testing.T) {
		t.Parallel()
		_, flags := newFakes(t, nil)
		_, errOut, code := run(t, "", append([]string{"undo", "--journal", filepath.Join(t.TempDir(), "none")}, flags...)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "no journal to undo")
	})
}

// TestApplyFilesAndInterrupts: what issue-style mistakes do to the files, and what a Ctrl-C
// leaves behind.
func TestApplyFilesAndInterrupts(t *testing.T) {
	installFakeHooks()
	t.Parallel()
	soa := makePlan(t, "olivia.grant@contoso.example\nrob.stone@contoso.example\n", "--to", "cloud-only")
	t.Run("a journal that is a note or the plan is refused and kept", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, nil)
		note := filepath.Join(t.TempDir(), "notes.txt")
		require.NoError(t, os.WriteFile(note, []byte("call Ann about the wave"), 0o600))
		planBytes, err := os.ReadFile(soa)
		require.NoError(t, err)
		for path, want := range map[string][]byte{note: []byte("call Ann about the wave"), soa: planBytes} {
			_, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", path}, flags...)...)
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, path)
			assert.Contains(t, errOut, "not a journal file")
			got, _ := os.ReadFile(path)
			assert.Equal(t, want, got, "nothing written")
		}
		assert.Empty(t, fk.ten.Writes())
	})
	t.Run("reserved change ids are refused before any network call", func(t *testing.T) {
		t.Parallel()
		_, flags := newFakes(t, nil)
		data, err := os.ReadFile(soa)
		require.NoError(t, err)
		bad := filepath.Join(t.TempDir(), "edited.json")
		require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(string(data), `"id": "c0002"`, `"id": "undo-c0001"`, 1)), 0o600))
		flags[1] = "fake:no-such-tenant" // any connection attempt would fail differently
		_, errOut, code := run(t, "", append([]string{"apply", bad, "--journal", filepath.Join(t.TempDir(), "j")}, flags...)...)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "edited.json: invalid plan")
		assert.Contains(t, errOut, "reserved form undo-")
		assert.NotContains(t, errOut, "no fake tenant")
	})
	t.Run("ctrl-c: outcomes recorded, result printed, resume", func(t *testing.T) {
		t.Parallel()
		fk, flags := newFakes(t, nil)
		journal := filepath.Join(t.TempDir(), "j")
		ctx, cancel := context.WithCancel(t.Context())
		fk.ten.SetFuncs(fk.ten.EveryWrite(conversiontest.Before(func(context.Context, string, string) error { cancel(); return nil })))
		var out, errb strings.Builder
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		code := runMain(ctx, e, append([]string{"apply", soa, "--journal", journal, "--json"}, flags...))
		assert.Equal(t, 1, code)
		var res conversion.Result
		require.NoError(t, json.Unmarshal([]byte(out.String()), &res), "--json prints the result: %s", out.String())
		assert.GreaterOrEqual(t, res.Count(conversion.StatusApplied), 1, "the write in flight finished")
		assert.Contains(t, errb.String(), "interrupted")
		assert.Contains(t, errb.String(), "To resume, run:\n  hybridctl apply "+soa+" --journal "+journal)
		fk.ten.SetFuncs(conversiontest.TenantFuncs{})
		_, errOut, code := run(t, "", append([]string{"apply", soa, "--journal", journal}, flags...)...)
		assert.Equal(t, 0, code, "the journal is clean: %s", errOut)
		for _, id := range []string{oliviaID, robID} {
			u, _ := fk.ten.Get(id)
			assert.True(t, u.CloudManaged)
		}
	})
}

// TestPlanOutputFile: -o into a directory writes plan.json there; -o never replaces a file that
// is not a plan.
func TestPlanOutputFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	args := []string{"plan", "--to", "cloud-only", "--cloud", demoTenantFile, "--users", "-"}
	_, errOut, code := run(t, "olivia.grant@contoso.example\n", append(args, "-o", dir)...)
	require.Equal(t, 0, code, errOut)
	assert.FileExists(t, filepath.Join(dir, "plan.json"))
	assert.Contains(t, errOut, "wrote "+filepath.Join(dir, "plan.json"))
	journal := filepath.Join(dir, "wave.journal")
	require.NoError(t, os.WriteFile(journal, []byte(`{"seq":1}`+"\n"), 0o600))
	_, errOut, code = run(t, "olivia.grant@contoso.example\n", append(args, "-o", journal)...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, journal+": not a plan file")
	got, _ := os.ReadFile(journal)
	assert.Equal(t, `{"seq":1}`+"\n", string(got))
}

func findOnPrem(t *testing.T, d *conversiontest.Directory, dn string) matching.OnPrem {
	t.Helper()
	u, err := d.UserByDN(t.Context(), dn)
	require.NoError(t, err)
	return u
}

func TestConnectPortsWithoutAdapters(t *testing.T) {
	t.Parallel()
	ten := func(context.Context, *env, string) (conversion.Tenant, error) {
		return conversiontest.NewTenant(matching.TenantState{}), nil
	}
	for _, tc := range []struct {
		name     string
		onprem   string
		needsDir bool
		openTen  func(context.Context, *env, string) (conversion.Tenant, error)
		want     string
	}{
		{"no Graph adapter", "", false, nil, "cannot reach a live tenant"},
		{"no LDAP adapter", "ldap://dc", true, ten, "cannot write to a live directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, usage, err := connectPorts(t.Context(), &env{}, "", tc.onprem, tc.needsDir, tc.openTen, nil)
			require.Error(t, err)
			assert.False(t, usage)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	t.Run("no directory needed", func(t *testing.T) {
		t.Parallel()
		p, _, err := connectPorts(t.Context(), &env{}, "", "", false, ten, nil)
		require.NoError(t, err)
		assert.Nil(t, p.dir, "the Applier stands in conversion.NoDirectory")
	})
}

// TestWarnBypass: a journal that turned the hardening bypass on and not off is announced loudly.
func TestWarnBypass(t *testing.T) {
	t.Parallel()
	enable := conversion.Change{ID: "c0001", Action: conversion.SetHardeningBypass,
		Target: conversion.Target{Side: conversion.SideTenant, ID: "t-1"}, Before: conversion.Bool(false), After: conversion.Bool(true), Reason: "r"}
	j := &conversion.MemJournal{}
	require.NoError(t, j.Append(conversion.Entry{Plan: "p", Kind: conversion.KindIntent, ChangeID: "c0001", Change: &enable}))
	require.NoError(t, j.Append(conversion.Entry{Plan: "p", Kind: conversion.KindOutcome, ChangeID: "c0001", Status: conversion.StatusApplied}))
	var buf strings.Builder
	warnBypass(&env{stderr: &buf}, j)
	assert.Contains(t, buf.String(), "WARNING: this journal turned allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled ON for tenant t-1")
	assert.NotContains(t, buf.String(), "§")

	revert := enable
	revert.ID, revert.Before, revert.After = "c0009", conversion.Bool(true), conversion.Bool(false)
	require.NoError(t, j.Append(conversion.Entry{Plan: "p", Kind: conversion.KindIntent, ChangeID: "c0009", Change: &revert}))
	require.NoError(t, j.Append(conversion.Entry{Plan: "p", Kind: conversion.KindOutcome, ChangeID: "c0009", Status: conversion.StatusApplied}))
	buf.Reset()
	warnBypass(&env{stderr: &buf}, j)
	assert.Empty(t, buf.String())
}
