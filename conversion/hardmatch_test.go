package conversion_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/conversion/conversiontest"
	"github.com/hybridid/hybridid/matching"
)

// cloudOnly returns a population whose cloud users are cloud-only (never synced, no
// ImmutableID) and whose AD users have only their primary address.
func cloudOnly(n int) (matching.TenantState, []matching.OnPrem, []matching.Cloud) {
	ten, onprem, cloud := conversiontest.Population(n, t0)
	for i := range cloud {
		cloud[i].SyncEnabled = nil
		cloud[i].ImmutableID = anchor.SourceAnchor{}
		cloud[i].OnPremisesDistinguishedName, cloud[i].OnPremisesSamAccountName, cloud[i].OnPremisesUserPrincipalName = "", "", ""
		cloud[i].ProxyAddresses = append(cloud[i].ProxyAddresses, "smtp:alias"+cloud[i].MailNickname+"@contoso.example", "smtp:"+cloud[i].MailNickname+"@contoso.onmicrosoft.com")
	}
	return ten, onprem, cloud
}

func refusalCodes(p *conversion.Plan) map[string]conversion.RefusalCode {
	m := map[string]conversion.RefusalCode{}
	for _, r := range p.Refused {
		m[r.UPN] = r.Code
	}
	return m
}

func TestPlanHardMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		edit    func(ten *matching.TenantState, on []matching.OnPrem, cl []matching.Cloud, o *conversion.Options)
		actions []conversion.Action    // of user0
		refused conversion.RefusalCode // user0's refusal code
	}{
		{"copy addresses then stamp objectGUID", nil,
			[]conversion.Action{conversion.SetProxyAddresses, conversion.SetImmutableID}, ""},
		{"stamp consistency guid when set", func(_ *matching.TenantState, on []matching.OnPrem, _ []matching.Cloud, _ *conversion.Options) {
			on[0].ConsistencyGUID = anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
		}, []conversion.Action{conversion.SetProxyAddresses, conversion.SetImmutableID}, ""},
		{"copy mail AD lacks", func(_ *matching.TenantState, on []matching.OnPrem, _ []matching.Cloud, _ *conversion.Options) {
			on[0].Mail = ""
		}, []conversion.Action{conversion.SetProxyAddresses, conversion.SetMail, conversion.SetImmutableID}, ""},
		{"takeover block flag", func(ten *matching.TenantState, _ []matching.OnPrem, _ []matching.Cloud, _ *conversion.Options) {
			ten.Features.BlockCloudObjectTakeoverHardMatch = true
		}, nil, "InvalidHardMatch"},
		{"anchor used by another cloud object", func(_ *matching.TenantState, on []matching.OnPrem, cl []matching.Cloud, _ *conversion.Options) {
			cl[1].ImmutableID = anchor.AnchorOf(on[0].ObjectGUID)
		}, nil, conversion.RefuseAnchorInUse},
		{"address held by another AD object", func(_ *matching.TenantState, on []matching.OnPrem, cl []matching.Cloud, _ *conversion.Options) {
			on[1].ProxyAddresses = append(on[1].ProxyAddresses, "smtp:aliasuser0@contoso.example")
		}, nil, conversion.RefuseDuplicate},
		{"two AD candidates", func(_ *matching.TenantState, on []matching.OnPrem, _ []matching.Cloud, _ *conversion.Options) {
			on[1].UserPrincipalName = on[0].UserPrincipalName
		}, nil, conversion.RefuseAmbiguous},
		{"AD user out of scope", func(_ *matching.TenantState, on []matching.OnPrem, _ []matching.Cloud, _ *conversion.Options) {
			on[0].DN = "CN=User 0,OU=Elsewhere,DC=corp,DC=example,DC=test"
		}, nil, conversion.RefuseOutOfScope},
		{"missing AD user, no OU", func(_ *matching.TenantState, on []matching.OnPrem, _ []matching.Cloud, _ *conversion.Options) {
			on[0].UserPrincipalName, on[0].ProxyAddresses = "someone@contoso.example", nil
		}, nil, conversion.RefuseNoADUser},
		{"missing AD user created", func(_ *matching.TenantState, on []matching.OnPrem, _ []matching.Cloud, o *conversion.Options) {
			on[0].UserPrincipalName, on[0].ProxyAddresses, on[0].Mail, on[0].SAMAccountName = "someone@contoso.example", nil, "", "someone"
			o.CreateOU = "OU=Synced,DC=corp,DC=example,DC=test"
		}, nil, conversion.RefuseDuplicate}, // CN "User 0" is taken by the renamed AD user
		{"missing AD user created in new OU", func(_ *matching.TenantState, on []matching.OnPrem, _ []matching.Cloud, o *conversion.Options) {
			on[0].UserPrincipalName, on[0].ProxyAddresses, on[0].Mail, on[0].SAMAccountName = "someone@contoso.example", nil, "", "someone"
			o.CreateOU = "OU=New,OU=Synced,DC=corp,DC=example,DC=test"
		}, []conversion.Action{conversion.CreateUser, conversion.SetImmutableID}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ten, on, cl := cloudOnly(3)
			in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl, Config: matching.Config{Scope: []string{"OU=Synced,DC=corp,DC=example,DC=test"}}}
			o := &conversion.Options{CreatedAt: t0}
			if tc.edit != nil {
				tc.edit(&in.Tenant, in.OnPrem, in.Cloud, o)
			}
			p := conversion.PlanHardMatch(in, o)
			require.NoError(t, p.Validate())
			assert.Equal(t, tc.refused, refusalCodes(p)["user0@contoso.example"], "%+v", p.Refused)
			var acts []conversion.Action
			for _, c := range p.Changes {
				if c.Subject == cl[0].ID {
					acts = append(acts, c.Action)
				}
			}
			assert.Equal(t, tc.actions, acts)
		})
	}
}

// TestHardMatchApply plans and applies a hard match (including a created AD user) against the
// fakes and checks that every cloud user now carries the anchor of an AD user holding all its
// addresses.
func TestHardMatchApply(t *testing.T) {
	t.Parallel()
	ten, on, cl := cloudOnly(4)
	on = on[:3] // user3 has no AD account
	in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl}
	p := conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: t0, CreateOU: "OU=Synced,DC=corp,DC=example,DC=test"})
	require.Empty(t, p.Refused)
	dir, ft := conversiontest.NewDirectory(on...), conversiontest.NewTenant(ten, cl...)
	a := &conversion.Applier{Directory: dir, Tenant: ft, Journal: &conversion.MemJournal{}}
	res, err := a.Apply(t.Context(), p)
	require.NoError(t, err)
	require.True(t, res.OK(), res.Summary())
	users := dir.All()
	require.Len(t, users, 4)
	for _, c := range cl {
		got, _ := ft.Get(c.ID)
		require.False(t, got.ImmutableID.IsZero(), c.UserPrincipalName)
		var ad *matching.OnPrem
		for i := range users {
			if strings.EqualFold(users[i].UserPrincipalName, c.UserPrincipalName) {
				ad = &users[i]
			}
		}
		require.NotNil(t, ad, c.UserPrincipalName)
		want := ad.ObjectGUID
		if !ad.ConsistencyGUID.IsZero() {
			want = ad.ConsistencyGUID
		}
		assert.Equal(t, anchor.AnchorOf(want), got.ImmutableID)
		assert.Contains(t, ad.ProxyAddresses, "smtp:alias"+c.MailNickname+"@contoso.example")
		assert.NotContains(t, ad.ProxyAddresses, "smtp:"+c.MailNickname+"@contoso.onmicrosoft.com")
	}
}

// TestPredictionStopsChange: a Predictor that says "blocked" stops that user's changes and
// the plan carries the engine's code, reason and fix.
func TestPredictionStopsChange(t *testing.T) {
	t.Parallel()
	ten, on, cl := cloudOnly(2)
	in := &conversion.Input{Tenant: ten, OnPrem: on, Cloud: cl}
	predict := func(_ matching.Config, _ matching.TenantState, onprem []matching.OnPrem, cloud []matching.Cloud) *matching.Report {
		rep := &matching.Report{}
		for _, o := range onprem {
			r := matching.ObjectResult{Side: matching.SideOnPrem, DN: o.DN}
			for _, c := range cloud {
				if c.ImmutableID == anchor.AnchorOf(o.ObjectGUID) {
					r.Outcome, r.Target = matching.HardMatch, c.ID
				}
			}
			if strings.Contains(o.DN, "User 1,") {
				r.Outcome, r.Code, r.Reason, r.Fix = matching.Blocked, matching.InvalidHardMatch, "blocked for the test", "fix it"
			}
			rep.Objects = append(rep.Objects, r)
		}
		return rep
	}
	p := conversion.PlanHardMatch(in, &conversion.Options{CreatedAt: t0, Predict: predict})
	require.Len(t, p.Refused, 1)
	assert.Equal(t, conversion.EngineRefusal(matching.InvalidHardMatch), p.Refused[0].Code)
	assert.Contains(t, p.Refused[0].Reason, "blocked for the test")
	assert.Equal(t, "fix it", p.Refused[0].Fix)
	for _, c := range p.Changes {
		assert.Equal(t, cl[0].ID, c.Subject)
	}
	assert.Equal(t, "c0001", p.Changes[0].ID)
}
