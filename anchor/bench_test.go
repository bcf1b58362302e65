package anchor_test

import (
	"testing"

	"github.com/hybridid/hybridid/anchor"
)

var (
	sinkGUID anchor.ObjectGUID
	sinkErr  error
	sinkBuf  = make([]byte, 0, 64)
)

func BenchmarkParse(b *testing.B) {
	g := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	for _, bc := range []struct {
		name  string
		parse func(string) (anchor.ObjectGUID, error)
		in    string
	}{
		{"GUID", anchor.ParseGUID, g.String()},
		{"GUIDBraces", anchor.ParseGUID, "{" + g.String() + "}"},
		{"ImmutableID", anchor.ParseImmutableID, g.ImmutableID()},
		{"Hex", anchor.ParseHex, g.Hex()},
		{"ConnectorDN", anchor.ParseConnectorDN, g.ConnectorDN()},
		{"AutoGUID", anchor.Parse, g.String()},
		{"AutoImmutableID", anchor.Parse, g.ImmutableID()},
		{"HexSpaced", anchor.ParseHex, "22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20"},
		{"LDAPFilterValue", anchor.ParseLDAPFilterValue, g.LDAPFilterValue()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkGUID, sinkErr = bc.parse(bc.in)
			}
		})
	}
}

func BenchmarkFormat(b *testing.B) {
	g := anchor.MustParse("8be74422-b0d9-47ec-b861-e7de1a9cfb20")
	for _, bc := range []struct {
		name   string
		append func([]byte) []byte
	}{
		{"GUID", g.AppendGUID},
		{"ImmutableID", g.AppendImmutableID},
		{"Hex", g.AppendHex},
		{"ConnectorDN", g.AppendConnectorDN},
		{"LDAPFilterValue", g.AppendLDAPFilterValue},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkBuf = bc.append(sinkBuf[:0])
			}
		})
	}
}

func BenchmarkParseCloudConnectorDN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkCloud, sinkErr = anchor.ParseCloudConnectorDN(cloudUserDN)
	}
}

var sinkCloud anchor.CloudAnchor
