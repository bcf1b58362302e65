package conversiontest

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/matching"
)

// TenantID is the tenant id Population uses.
const TenantID = "7d0c3b1e-0000-4000-8000-00000000c0de"

// Population returns a synced tenant of n users: each AD user (OU=Synced,DC=corp,DC=example,DC=test)
// joined to a cloud user whose onPremisesImmutableId is the AD objectGUID's ImmutableID. User i
// has UPN user<i>@contoso.example, cloud id 00000000-0000-4000-8000-<i as 12 hex digits>.
func Population(n int, at time.Time) (matching.TenantState, []matching.OnPrem, []matching.Cloud) {
	on := true
	t := matching.TenantState{
		ID: TenantID, SyncEnabled: &on, AsOf: at,
		Domains: []matching.Domain{
			{Name: "contoso.example", IsDefault: true, Type: "Managed"},
			{Name: "contoso.onmicrosoft.com", IsInitial: true, Type: "Managed"},
		},
	}
	onprem := make([]matching.OnPrem, n)
	cloud := make([]matching.Cloud, n)
	for i := range n {
		var b [16]byte
		binary.BigEndian.PutUint64(b[0:8], 0x5a5a5a5a00000000|uint64(i))
		binary.BigEndian.PutUint64(b[8:16], 0x8000000000000000|uint64(i))
		g := anchor.FromArray(b)
		upn := fmt.Sprintf("user%d@contoso.example", i)
		onprem[i] = matching.OnPrem{
			DN:    fmt.Sprintf("CN=User %d,OU=Synced,DC=corp,DC=example,DC=test", i),
			Class: matching.ClassUser, ObjectGUID: g, UserPrincipalName: upn,
			ProxyAddresses: []string{"SMTP:" + upn}, Mail: upn, MailNickname: fmt.Sprintf("user%d", i),
			SAMAccountName: fmt.Sprintf("user%d", i), Enabled: true, DisplayName: fmt.Sprintf("User %d", i),
		}
		cloud[i] = matching.Cloud{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012x", i), Class: matching.ClassUser,
			UserPrincipalName: upn, Mail: upn, MailNickname: fmt.Sprintf("user%d", i),
			ProxyAddresses: []string{"SMTP:" + upn}, UserType: "Member", DisplayName: fmt.Sprintf("User %d", i),
			ImmutableID: anchor.AnchorOf(g), SyncEnabled: &on,
			OnPremisesDistinguishedName: onprem[i].DN, OnPremisesSamAccountName: onprem[i].SAMAccountName,
			OnPremisesUserPrincipalName: upn, OnPremisesLastSync: at,
		}
	}
	return t, onprem, cloud
}
