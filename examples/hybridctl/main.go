// Command hybridctl is the example binary of the hybridid SDK: a thin command over the exported
// packages. Its contract (subcommands, flags, JSON output) is docs/cli.md.
//
// Each subcommand lives in its own cmd_*.go file and registers itself in init.
package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/hybridid/hybridid/conversion"
	"github.com/hybridid/hybridid/matching"
	"github.com/hybridid/hybridid/snapshot"
)

// env is what a subcommand may touch: its streams and environment. Tests build one in memory.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stderrTTY reports whether progress may be shown on stderr: stderr is a terminal and JSON
	// output is not being piped.
	stderrTTY bool
}

// command is one subcommand.
type command struct {
	name    string
	summary string // one line for `hybridctl help`
	usage   string // the synopsis, e.g. "anchor [--from F] [--json] [VALUE...]"
	// run executes the subcommand and returns the exit status: 0 success, 1 runtime failure,
	// 2 usage error.
	run func(ctx context.Context, e *env, args []string) int
}

var commands = map[string]*command{}

// Live sources. The files that link an adapter in (cmd_ldap.go for ldapx, cmd_graph.go for
// graphx) set these in init, so that commands reading files do not depend on the adapters.
var (
	// openLDAP reads on-premises objects live from an ldap:// or ldaps:// URL under base ("" means
	// the domain root), with the bind and CA settings of the environment (docs/cli.md).
	openLDAP func(ctx context.Context, e *env, url, base string) (iter.Seq2[matching.OnPrem, error], error)
	// openGraph reads the tenant live through Microsoft Graph at endpoint ("" means the
	// HYBRIDCTL_GRAPH_ENDPOINT or the default) and returns it as a snapshot.
	openGraph func(ctx context.Context, e *env, endpoint string) (*snapshot.Snapshot, error)
	// openDirectory connects to the directory at an ldap:// or ldaps:// URL for conversion
	// (set by cmd_ldap.go). The returned io.Closer ends the connection.
	openDirectory func(ctx context.Context, e *env, url string) (conversion.Directory, io.Closer, error)
	// openTenant connects to the tenant through Microsoft Graph for conversion (set by
	// cmd_graph.go); endpoint "" means HYBRIDCTL_GRAPH_ENDPOINT or the default.
	openTenant func(ctx context.Context, e *env, endpoint string) (conversion.Tenant, error)
)

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("hybridctl: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError prints a one-line usage message with a hint and returns exit status 2.
func usageError(e *env, cmd, msg string) int {
	fmt.Fprintf(e.stderr, "hybridctl %s: %s (see 'hybridctl help %s')\n", cmd, msg, cmd)
	return 2
}

// failure prints a runtime error and returns exit status 1.
func failure(e *env, cmd string, err error) int {
	fmt.Fprintf(e.stderr, "hybridctl %s: %v\n", cmd, err)
	return 1
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Progress goes to stderr only when it is a terminal, and never when JSON output is piped
	// (docs/cli.md common rules).
	progress := isTerminal(os.Stderr) && (isTerminal(os.Stdout) || !wantsJSON(os.Args[1:]))
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, stderrTTY: progress}
	code := runMain(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

func runMain(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		printHelp(e.stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fmt.Fprintf(e.stdout, "usage: hybridctl %s\n\n%s\n", c.usage, c.summary)
				return 0
			}
			fmt.Fprintf(e.stderr, "hybridctl help: unknown command %q\n", args[1])
			return 2
		}
		printHelp(e.stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.stderr, "hybridctl: unknown command %q (see 'hybridctl help')\n", name)
		return 2
	}
	return c.run(ctx, e, args[1:])
}

func printHelp(w io.Writer) {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("hybridctl: see and safely move users across the Active Directory / Entra ID line\n\nusage: hybridctl <command> [flags]\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-12s %s\n", n, commands[n].summary)
	}
	b.WriteString("\nRun 'hybridctl help <command>' for a command's flags.\n")
	io.WriteString(w, b.String())
}

// wantsJSON reports whether the arguments ask for JSON output (--json or --format json).
func wantsJSON(args []string) bool {
	for i, a := range args {
		switch a {
		case "--json", "-json", "--format=json", "-format=json":
			return true
		case "--format", "-format":
			if i+1 < len(args) && args[i+1] == "json" {
				return true
			}
		}
	}
	return false
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
