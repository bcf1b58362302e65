package anchor_test

import (
	"errors"
	"fmt"

	"github.com/hybridid/hybridid/anchor"
)

func Example() {
	g, err := anchor.ParseGUID("35918bc9-196d-40ea-9779-889d79b753f0")
	if err != nil {
		panic(err)
	}
	fmt.Println(g.ImmutableID())
	fmt.Println(g.Hex())
	fmt.Println(g.ConnectorDN())
	fmt.Printf("(objectGUID=%s)\n", g.LDAPFilterValue())
	// Output:
	// yYuRNW0Z6kCXeYidebdT8A==
	// c98b91356d19ea409779889d79b753f0
	// CN={795975524E57305A366B4358655969646562645438413D3D}
	// (objectGUID=\c9\8b\91\35\6d\19\ea\40\97\79\88\9d\79\b7\53\f0)
}

func ExampleFromBytes() {
	// The raw objectGUID attribute value as LDAP returns it.
	raw := []byte{0x88, 0x68, 0x66, 0x88, 0x01, 0x01, 0x11, 0x11, 0xbb, 0xbb, 0x12, 0x34, 0x56, 0x78, 0x90, 0xab}
	g, err := anchor.FromBytes(raw)
	if err != nil {
		panic(err)
	}
	fmt.Println(g, g.ImmutableID())
	// Output: 88666888-0101-1111-bbbb-1234567890ab iGhmiAEBERG7uxI0VniQqw==
}

func ExampleParse() {
	for _, in := range []string{
		"{8BE74422-B0D9-47EC-B861-E7DE1A9CFB20}",
		"IkTni9mw7Ee4YefeGpz7IA==",
		"2244e78bd9b0ec47b861e7de1a9cfb20",
	} {
		g, err := anchor.Parse(in)
		if errors.Is(err, anchor.ErrAmbiguous) {
			g, _ = anchor.ParseAs(anchor.FormHex, in)
		}
		fmt.Println(g)
	}
	// Output:
	// 8be74422-b0d9-47ec-b861-e7de1a9cfb20
	// 8be74422-b0d9-47ec-b861-e7de1a9cfb20
	// 8be74422-b0d9-47ec-b861-e7de1a9cfb20
}

func ExampleParseImmutableID_error() {
	_, err := anchor.ParseImmutableID("IkTni9mw7Ee4YefeGpz7IA")
	fmt.Println(err)
	fmt.Println(errors.Is(err, anchor.ErrLength))
	// Output:
	// anchor.ParseImmutableID("IkTni9mw7Ee4YefeGpz7IA"): invalid length 22 (want 24)
	// true
}

func ExampleCheckImmutableID() {
	g := anchor.MustParse("35918bc9-196d-40ea-9779-889d79b753f0")
	// Base64 of uuid.UUID(...).bytes: the RFC 4122 order, a classic mistake.
	err := anchor.CheckImmutableID("NZGLyRltQOqXeYidebdT8A==", g)
	fmt.Println(errors.Is(err, anchor.ErrByteOrder))
	fmt.Println(err)
	// Output:
	// true
	// anchor.CheckImmutableID("NZGLyRltQOqXeYidebdT8A=="): Base64 of the RFC 4122 (big-endian) bytes of 35918bc9-196d-40ea-9779-889d79b753f0; Entra uses the AD wire order (Data1-Data3 little-endian): the ImmutableID is yYuRNW0Z6kCXeYidebdT8A==
}

func ExampleSourceAnchor() {
	guid, _ := anchor.ParseSourceAnchor("IkTni9mw7Ee4YefeGpz7IA==")
	custom, _ := anchor.StringAnchor("E1234567") // employeeID as sourceAnchor
	for _, a := range []anchor.SourceAnchor{guid, custom} {
		g, isGUID := a.GUID()
		fmt.Println(a, isGUID, g, a.ConnectorDN())
	}
	// Output:
	// IkTni9mw7Ee4YefeGpz7IA== true 8be74422-b0d9-47ec-b861-e7de1a9cfb20 CN={496B546E69396D77374565345965666547707A3749413D3D}
	// E1234567 false  CN={4531323334353637}
}

func ExampleParseCloudConnectorDN() {
	// A DN from the Entra connector space of Entra Connect, for an object created in the cloud.
	c, err := anchor.ParseCloudConnectorDN("CN={557365725F37633965363637392D373432352D343064652D393434622D653037666331663930616537}")
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Type(), c.ObjectID())
	_, err = anchor.Parse(c.ConnectorDN())
	fmt.Println(errors.Is(err, anchor.ErrCloudAnchor))
	// Output:
	// User 7c9e6679-7425-40de-944b-e07fc1f90ae7
	// true
}
