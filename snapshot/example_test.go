package snapshot_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hybridid/hybridid/snapshot"
)

func ExampleRead() {
	const file = `{
  "takenAt": "2026-11-24T10:00:00Z",
  "organization": {"id": "t1", "verifiedDomains": [{"name": "contoso.onmicrosoft.com", "isInitial": true}]},
  "users": [
    {"id": "u1", "userPrincipalName": "ann.lee@contoso.example", "onPremisesImmutableId": "IkTni9mw7Ee4YefeGpz7IA==",
     "onPremisesSyncEnabled": true, "employeeId": "E1"}
  ]
}`
	s, err := snapshot.Read(strings.NewReader(file), "tenant.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	cloud, _ := s.Cloud()
	g, _ := cloud[0].ImmutableID.GUID()
	fmt.Println(s.Tenant().AsOf, cloud[0].UserPrincipalName, g, cloud[0].Synced(), string(s.Users[0].Extra["employeeId"]))
	// Output:
	// 2026-11-24 10:00:00 +0000 UTC ann.lee@contoso.example 8be74422-b0d9-47ec-b861-e7de1a9cfb20 true "E1"
}

func ExampleRead_error() {
	const file = `{"takenAt": "2026-11-24T10:00:00Z", "users": [{"id": "u1"}, {"id": "u2", "onPremisesImmutableId": "ann_lee"}]}`
	_, err := snapshot.Read(strings.NewReader(file), "tenant.json")
	fmt.Println(err)
	// Output:
	// tenant.json: users[1].onPremisesImmutableId: anchor.ParseSourceAnchor("ann_lee"): character '_' at offset 3 (Graph does not allow '$' or '_' in onPremisesImmutableId)
}

func ExampleReadRecords() {
	const file = `{
  "takenAt": "2026-11-24T10:00:00Z",
  "organization": {"id": "t1"},
  "users": [{"id": "u1", "userPrincipalName": "ann.lee@contoso.example", "onPremisesImmutableId": "IkTni9mw7Ee4YefeGpz7IA=="}],
  "deletedUsers": [{"id": "u0", "userPrincipalName": "old@contoso.example", "deletedDateTime": "2026-11-01T00:00:00Z"}]
}`
	tenant, cloud, err := snapshot.ReadRecords(strings.NewReader(file), "tenant.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tenant.ID, tenant.AsOf)
	for _, c := range cloud {
		fmt.Println(c.ID, c.UserPrincipalName, c.Deleted, c.ImmutableID)
	}
	// Output:
	// t1 2026-11-24 10:00:00 +0000 UTC
	// u1 ann.lee@contoso.example false IkTni9mw7Ee4YefeGpz7IA==
	// u0 old@contoso.example true
}

func ExampleWriter() {
	w := snapshot.NewWriter(os.Stdout)
	w.WriteHeader(&snapshot.Snapshot{TakenAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Organization: snapshot.Organization{ID: "t1"}})
	w.WriteUser(&snapshot.User{ID: "u1", UserPrincipalName: "ann.lee@contoso.example"})
	w.Close()
	// Output:
	// {
	//   "takenAt": "2026-11-24T10:00:00Z",
	//   "organization": {"id":"t1","onPremisesSyncEnabled":null,"verifiedDomains":null},
	//   "onPremisesSynchronization": {"features":{"blockSoftMatchEnabled":false,"blockCloudObjectTakeoverThroughHardMatchEnabled":false,"softMatchOnUpnEnabled":false}},
	//   "users": [
	//     {"id":"u1","userPrincipalName":"ann.lee@contoso.example"}
	//   ],
	//   "groups": [],
	//   "contacts": [],
	//   "deletedUsers": [],
	//   "roleAssignments": []
	// }
}
