package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// run executes hybridctl in memory and returns stdout, stderr and the exit status.
func run(t testing.TB, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := runMain(t.Context(), e, args)
	return out.String(), errb.String(), code
}

// runEnv is run with environment variables.
func runEnv(t testing.TB, vars map[string]string, stdin io.Reader, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: stdin, stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code := runMain(t.Context(), e, args)
	return out.String(), errb.String(), code
}
