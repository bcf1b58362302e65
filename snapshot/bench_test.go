package snapshot_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/hybridid/hybridid/snapshot"
)

// BenchmarkReadCloud is Read followed by Tenant and Cloud: what a command that evaluates a
// snapshot does.
func BenchmarkReadCloud(b *testing.B) {
	in := benchSnapshot(10000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := snapshot.Read(bytes.NewReader(in), "b.json")
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Tenant()
		if _, err := s.Cloud(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadFileEnv reads the snapshot file named by $HYBRIDID_SNAPSHOT (such as the
// tenant.json of "go run ./internal/gendata -n 1000000 -o DIR"), then converts it with Cloud.
// It is skipped when the variable is not set.
//
//	HYBRIDID_SNAPSHOT=DIR/tenant.json go test -run '^$' -bench ReadFileEnv -benchtime 1x -benchmem ./snapshot
func BenchmarkReadFileEnv(b *testing.B) {
	path := os.Getenv("HYBRIDID_SNAPSHOT")
	if path == "" {
		b.Skip("HYBRIDID_SNAPSHOT is not set")
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := snapshot.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Tenant()
		if _, err := s.Cloud(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadRecords is ReadRecords: the same result as BenchmarkReadCloud without the
// Snapshot's objects.
func BenchmarkReadRecords(b *testing.B) {
	in := benchSnapshot(10000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := snapshot.ReadRecords(bytes.NewReader(in), "b.json"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadFileRecordsEnv is BenchmarkReadFileEnv with ReadFileRecords.
func BenchmarkReadFileRecordsEnv(b *testing.B) {
	path := os.Getenv("HYBRIDID_SNAPSHOT")
	if path == "" {
		b.Skip("HYBRIDID_SNAPSHOT is not set")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := snapshot.ReadFileRecords(path); err != nil {
			b.Fatal(err)
		}
	}
}
