package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/graphx"
	"github.com/hybridid/hybridid/graphx/graphxtest"
	"github.com/hybridid/hybridid/snapshot"
)

func init() {
	openGraph = func(ctx context.Context, e *env, endpoint string) (*snapshot.Snapshot, error) {
		c, err := newGraphClient(e, endpoint)
		if err != nil {
			return nil, err
		}
		return c.Snapshot(ctx)
	}
	openTenant = func(ctx context.Context, e *env, endpoint string) (conversion.Tenant, error) {
		c, err := newGraphClient(e, endpoint)
		if err != nil {
			return nil, err
		}
		return c.Tenant(), nil
	}
	register(&command{
		name:    "snapshot",
		summary: "read the tenant through Microsoft Graph into a snapshot file",
		usage:   "snapshot -o FILE [--graph-endpoint URL]",
		run:     runSnapshot,
	})
	register(&command{
		name:    "fake-tenant",
		summary: "serve the in-process fake Microsoft Graph, seeded from a snapshot",
		usage:   "fake-tenant --listen ADDR [--seed SNAPSHOT] [--write-rate N] [--faults SPEC]",
		run:     runFakeTenant,
	})
}

// newGraphClient builds the graphx client: endpoint from the argument, HYBRIDCTL_GRAPH_ENDPOINT
// or the default; a static bearer from HYBRIDCTL_GRAPH_TOKEN, else DefaultAzureCredential.
// graphx refuses a plain-http endpoint that is not loopback (the token would travel in clear).
func newGraphClient(e *env, endpoint string) (*graphx.Client, error) {
	if endpoint == "" {
		endpoint = e.getenv("HYBRIDCTL_GRAPH_ENDPOINT")
	}
	if endpoint == "" {
		endpoint = graphx.DefaultBaseURL
	}
	var cred azcore.TokenCredential
	if tok := e.getenv("HYBRIDCTL_GRAPH_TOKEN"); tok != "" {
		cred = graphx.StaticToken(tok)
	} else if testing.Testing() {
		// DefaultAzureCredential probes a managed-identity endpoint that is not on loopback: a
		// test must never reach it.
		return nil, errors.New("credentials: a test reached Microsoft Graph without HYBRIDCTL_GRAPH_TOKEN")
	} else {
		c, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			return nil, fmt.Errorf("credentials: %v (or set HYBRIDCTL_GRAPH_TOKEN)", err)
		}
		cred = c
	}
	return graphx.New(cred, graphx.WithBaseURL(endpoint))
}

func runSnapshot(ctx context.Context, e *env, args []string) int {
	const name = "snapshot"
	fs := newFlagSet(name)
	out := fs.String("o", "", "output file")
	endpoint := fs.String("graph-endpoint", "", "Graph base URL")
	if err := fs.Parse(args); err != nil {
		return usageError(e, name, err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(e, name, "unexpected argument "+fs.Arg(0))
	}
	if *out == "" {
		return usageError(e, name, "-o FILE is required")
	}
	if err := checkSnapshotTarget(*out); err != nil {
		return failure(e, name, err)
	}
	c, err := newGraphClient(e, *endpoint)
	if err != nil {
		return failure(e, name, err)
	}
	if err := writeSnapshot(ctx, e, c, *out); err != nil {
		return failure(e, name, err)
	}
	return 0
}

// checkSnapshotTarget refuses an -o that would clobber something that is not a snapshot: a
// directory, or an existing file that does not begin as a snapshot file does (a JSON object
// whose first member is "takenAt", as the writer writes it).
func checkSnapshotTarget(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory: give the snapshot file's name, e.g. %s", path, filepath.Join(path, "tenant.json"))
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file; refusing to replace it", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	if n > 0 && !looksLikeSnapshot(head[:n]) {
		return fmt.Errorf("%s exists and is not a snapshot file; refusing to overwrite it (remove it or choose another name)", path)
	}
	return nil
}

// looksLikeSnapshot reports whether b starts like a file snapshot.Write writes.
func looksLikeSnapshot(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n\ufeff")
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	return bytes.HasPrefix(b, []byte(`"takenAt"`))
}

// writeSnapshot reads the tenant (graphx.Client.Snapshot: every part the snapshot format
// defines, the July 2026 hard-match inputs included) and writes it to path through a temporary
// file in the same directory, renamed at the end, so that a failed read leaves no half file.
func writeSnapshot(ctx context.Context, e *env, c *graphx.Client, path string) (err error) {
	if e.stderrTTY {
		fmt.Fprintln(e.stderr, "reading the tenant…")
	}
	s, err := c.Snapshot(ctx)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".snapshot-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := snapshot.Write(f, s); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// loopbackDefault returns addr with host 127.0.0.1 when it names none (":0", ":8080"): the fake
// accepts any token, so it is not offered to the network unless asked for by host.
func loopbackDefault(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--listen %s: %v", addr, err)
	}
	if host == "" {
		return net.JoinHostPort("127.0.0.1", port), nil
	}
	return addr, nil
}

func runFakeTenant(ctx context.Context, e *env, args []string) int {
	const name = "fake-tenant"
	fs := newFlagSet(name)
	listen := fs.String("listen", "", "address to listen on, e.g. 127.0.0.1:8080")
	seed := fs.String("seed", "", "snapshot file to seed the tenant from")
	rate := fs.Int("write-rate", 0, "writes per second before 429 (0: unlimited)")
	faults := fs.String("faults", "", "fault spec, e.g. updateUser=503x2,batch=partial")
	if err := fs.Parse(args); err != nil {
		return usageError(e, name, err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(e, name, "unexpected argument "+fs.Arg(0))
	}
	if *listen == "" {
		return usageError(e, name, "--listen ADDR is required")
	}
	addr, err := loopbackDefault(*listen)
	if err != nil {
		return usageError(e, name, err.Error())
	}
	if addr != *listen {
		fmt.Fprintf(e.stderr, "fake-tenant: no host in --listen %s: listening on loopback only (%s); give a host, e.g. 0.0.0.0%s, to listen on other interfaces\n",
			*listen, addr, *listen)
	}
	if *rate < 0 {
		return usageError(e, name, "--write-rate must not be negative")
	}
	var opts []graphxtest.Option
	if *seed != "" {
		s, err := snapshot.ReadFile(*seed)
		if err != nil {
			return failure(e, name, err)
		}
		opts = append(opts, graphxtest.WithSeed(s))
	}
	if *rate > 0 {
		opts = append(opts, graphxtest.WithWriteRate(*rate, time.Second))
	}
	if *faults != "" {
		fns, err := graphxtest.ParseFaults(*faults)
		if err != nil {
			return usageError(e, name, err.Error())
		}
		opts = append(opts, graphxtest.WithFaults(fns...))
	}
	fake, err := graphxtest.New(opts...)
	if err != nil {
		return failure(e, name, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return failure(e, name, err)
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "http://%s/v1.0\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		return 0
	case err := <-done:
		return failure(e, name, err)
	}
}
