// Command gendata writes a large, realistic test population for benchmarks: DIR/onprem.ldif (an
// ldifde-style export) and DIR/tenant.json (a tenant snapshot), both from the generator of
// package matching/matchingtest, so that "hybridctl match" can be measured end to end.
//
//	go run ./internal/gendata -n 1000000 -o DIR [-seed 1]
//
// It also writes DIR/scope.txt, the OU the generated sync scope covers (one DN per line).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching/matchingtest"
	"github.com/hybridid/hybridid/snapshot"
)

func main() {
	n := flag.Int("n", 1000, "number of on-premises/cloud pairs")
	out := flag.String("o", "", "output directory (created if missing)")
	seed := flag.Int64("seed", 1, "generator seed: the same seed and -n give the same files")
	flag.Parse()
	if *out == "" || *n < 0 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gendata -n N -o DIR [-seed S]")
		os.Exit(2)
	}
	if err := run(*n, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func run(n int, seed int64, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	d := matchingtest.Generate(seed, n)
	if err := writeFile(filepath.Join(dir, "onprem.ldif"), func(w *bufio.Writer) error {
		lw := ldif.NewWriter(w)
		for i := range d.OnPrem {
			if err := lw.WriteOnPrem(&d.OnPrem[i]); err != nil {
				return err
			}
		}
		return lw.Flush()
	}); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "tenant.json"), func(w *bufio.Writer) error {
		return snapshot.Write(w, snapshot.FromRecords(d.Tenant, d.Cloud))
	}); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "scope.txt"), func(w *bufio.Writer) error {
		for _, s := range d.Config.Scope {
			fmt.Fprintln(w, s)
		}
		return nil
	})
}

// writeFile writes path through a temporary file, so that an interrupted run leaves no
// half-written file behind.
func writeFile(path string, fill func(*bufio.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := fill(w); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
