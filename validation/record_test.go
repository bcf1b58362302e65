package validation_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/matching/matchingtest"
	"github.com/hybridid/hybridid/validation"
)

// recordsWithDuplicates returns generated records in which many values repeat, in other
// cases, across objects, and the extras of some of them.
func recordsWithDuplicates(t *testing.T, seed int64, n int) ([]matching.OnPrem, []validation.Extra, matching.TenantState) {
	t.Helper()
	d := matchingtest.Generate(seed, n)
	on := d.OnPrem
	extra := make([]validation.Extra, len(on))
	for i := range on {
		o := &on[i]
		switch {
		case i%7 == 3:
			p := &on[i-3]
			o.UserPrincipalName = strings.ToUpper(p.UserPrincipalName)
			o.Mail, o.MailNickname, o.ObjectSID = p.Mail, p.MailNickname, p.ObjectSID
			o.ProxyAddresses = append([]string{strings.ToLower(primary(p.ProxyAddresses))}, p.ProxyAddresses...)
		case i%11 == 5:
			o.ConsistencyGUID = on[i-5].ObjectGUID
			o.UserPrincipalName, o.SAMAccountName = "", on[i-5].SAMAccountName
		case i%13 == 6:
			o.ProxyAddresses = append(o.ProxyAddresses, "X500:/o=Org/cn="+strconv.Itoa(i%5), o.ProxyAddresses[0])
		}
		if i%9 == 0 {
			extra[i].TargetAddress = "SMTP:shared" + strconv.Itoa(i%4) + "@example.com"
		}
		if i%17 == 0 {
			extra[i].Computer = true
		}
	}
	return on, extra, d.Tenant
}

func primary(ps []string) string {
	for _, p := range ps {
		if strings.HasPrefix(p, "SMTP:") {
			return p
		}
	}
	return "smtp:none@example.com"
}

// CheckRecord finds exactly what Check finds, with the records borrowed, mixed with objects
// given to Check on the same Validator.
func TestCheckRecordMatchesCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		seed   int64
		tenant bool
		mixed  bool
	}{
		{"tenant", 1, true, false},
		{"no tenant", 2, false, false},
		{"mixed with Check", 3, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			on, extra, tenant := recordsWithDuplicates(t, tt.seed, 3000)
			cfg := validation.Config{}
			if tt.tenant {
				cfg.Tenant = &tenant
			}
			objects := make([]validation.Object, len(on))
			for i := range on {
				objects[i] = validation.Object{OnPrem: on[i], Extra: extra[i]}
			}
			want := validation.Validate(cfg, objects)
			cfg.Records = on
			v := validation.New(cfg)
			var got []validation.Finding
			for i := range on {
				if tt.mixed && i%5 == 2 {
					got = v.Check(got, &objects[i])
				} else {
					got = v.CheckRecord(got, i, &extra[i])
				}
			}
			dups := 0
			for _, f := range want {
				if strings.HasSuffix(string(f.Rule), "-duplicate") {
					dups++
				}
			}
			require.Greater(t, dups, 100, "the data must repeat values")
			assert.Equal(t, want, got)
		})
	}
}

// An Object the caller builds on its stack for Check stays there: Check keeps nothing of it
// but copies of its values. (Not parallel: AllocsPerRun counts every goroutine's allocations.)
func TestCheckKeepsObjectOnStack(t *testing.T) {
	v := validation.New(validation.Config{Expected: 1000})
	base := validation.Object{OnPrem: matching.OnPrem{DN: "CN=g,OU=Synced,DC=example,DC=com", Class: matching.ClassGroup}}
	fs := make([]validation.Finding, 0, 4)
	allocs := testing.AllocsPerRun(100, func() {
		o := base
		fs = v.Check(fs[:0], &o)
	})
	assert.Zero(t, allocs)
}

// The join to the tenant gives the same findings from matching.EvaluateOnPrem's report as
// from matching.Evaluate's, and CheckRecord with it the same as Check.
func TestTenantJoinWithEvaluateOnPrem(t *testing.T) {
	t.Parallel()
	on, extra, tenant := recordsWithDuplicates(t, 4, 4000)
	d := matchingtest.Generate(4, 4000)
	cfg := d.Config
	full := matching.Evaluate(cfg, tenant, on, d.Cloud)
	brief := matching.EvaluateOnPrem(cfg, tenant, on, d.Cloud)

	objects := make([]validation.Object, len(on))
	for i := range on {
		objects[i] = validation.Object{OnPrem: on[i], Extra: extra[i]}
	}
	want := validation.Validate(validation.Config{Tenant: &tenant}, objects)
	want = append(validation.InScope(want, full), validation.Collisions(on, full)...)

	v := validation.New(validation.Config{Tenant: &tenant, Records: on})
	var got []validation.Finding
	for i := range on {
		got = v.CheckRecord(got, i, &extra[i])
	}
	got = append(validation.InScope(got, brief), validation.Collisions(on, brief)...)
	var collisions int
	for _, f := range want {
		if f.Rule == validation.RuleCloudCollision || f.Rule == validation.RuleEngineBlocked {
			collisions++
		}
	}
	require.Positive(t, collisions)
	assert.Equal(t, want, got)
}
