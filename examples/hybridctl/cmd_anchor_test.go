package main

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnchorCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantOut  string
		wantErr  string
		wantCode int
	}{
		{
			name:    "guid argument",
			args:    []string{"anchor", "8be74422-b0d9-47ec-b861-e7de1a9cfb20"},
			wantOut: "8be74422-b0d9-47ec-b861-e7de1a9cfb20\tIkTni9mw7Ee4YefeGpz7IA==\n",
		},
		{
			name:    "every form on stdin",
			stdin:   "{8BE74422-B0D9-47EC-B861-E7DE1A9CFB20}\r\nIkTni9mw7Ee4YefeGpz7IA==\n\n  CN={496B546E69396D77374565345965666547707A3749413D3D}  \n",
			args:    []string{"anchor"},
			wantOut: strings.Repeat("8be74422-b0d9-47ec-b861-e7de1a9cfb20\tIkTni9mw7Ee4YefeGpz7IA==\n", 3),
		},
		{
			name:    "hex with --from hex",
			args:    []string{"anchor", "--from", "hex", "2244e78bd9b0ec47b861e7de1a9cfb20"},
			wantOut: "8be74422-b0d9-47ec-b861-e7de1a9cfb20\tIkTni9mw7Ee4YefeGpz7IA==\n",
		},
		{
			name:    "32 hex digits as a GUID without dashes",
			args:    []string{"anchor", "2244e78bd9b0ec47b861e7de1a9cfb20", "--from=guid"},
			wantOut: "2244e78b-d9b0-ec47-b861-e7de1a9cfb20\ti+dEIrDZR+y4YefeGpz7IA==\n",
		},
		{
			name:     "ambiguous under auto",
			args:     []string{"anchor", "2244e78bd9b0ec47b861e7de1a9cfb20"},
			wantErr:  "--from hex or --from guid",
			wantCode: 1,
		},
		{
			name:     "bad value among good ones keeps going",
			stdin:    "IkTni9mw7Ee4YefeGpz7IA==\nIkTni9mw7Ee4YefeGpz7I-==\nyYuRNW0Z6kCXeYidebdT8A==\n",
			args:     []string{"anchor"},
			wantOut:  "8be74422-b0d9-47ec-b861-e7de1a9cfb20\tIkTni9mw7Ee4YefeGpz7IA==\n35918bc9-196d-40ea-9779-889d79b753f0\tyYuRNW0Z6kCXeYidebdT8A==\n",
			wantErr:  "stdin line 2: anchor.ParseImmutableID(\"IkTni9mw7Ee4YefeGpz7I-==\"): URL-safe Base64 character '-'",
			wantCode: 1,
		},
		{
			name:     "unknown form",
			args:     []string{"anchor", "--from", "base64"},
			wantErr:  "hybridctl help anchor",
			wantCode: 2,
		},
		{
			name:     "unknown flag",
			args:     []string{"anchor", "--frm", "hex"},
			wantErr:  "hybridctl help anchor",
			wantCode: 2,
		},
		{
			name:    "value after --",
			args:    []string{"anchor", "--", "IkTni9mw7Ee4YefeGpz7IA=="},
			wantOut: "8be74422-b0d9-47ec-b861-e7de1a9cfb20\tIkTni9mw7Ee4YefeGpz7IA==\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, tc.stdin, tc.args...)
			assert.Equal(t, tc.wantCode, code, "stderr: %s", errOut)
			assert.Equal(t, tc.wantOut, out)
			if tc.wantErr == "" {
				assert.Empty(t, errOut)
			} else {
				assert.Contains(t, errOut, tc.wantErr)
			}
		})
	}
}

func TestAnchorJSON(t *testing.T) {
	t.Parallel()
	out, errOut, code := run(t, "35918bc9-196d-40ea-9779-889d79b753f0\nnot\"an anchor\x01\n", "anchor", "--json")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "1 of 2 values did not parse")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 2)

	var ok map[string]string
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &ok))
	assert.Equal(t, map[string]string{
		"input":       "35918bc9-196d-40ea-9779-889d79b753f0",
		"objectGUID":  "35918bc9-196d-40ea-9779-889d79b753f0",
		"immutableID": "yYuRNW0Z6kCXeYidebdT8A==",
		"hex":         "c98b91356d19ea409779889d79b753f0",
		"dn":          "CN={795975524E57305A366B4358655969646562645438413D3D}",
		"ldapFilter":  `\c9\8b\91\35\6d\19\ea\40\97\79\88\9d\79\b7\53\f0`,
	}, ok)

	var bad map[string]string
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &bad))
	assert.Equal(t, "not\"an anchor\x01", bad["input"])
	assert.Contains(t, bad["error"], "anchor.Parse")
	assert.Len(t, bad, 2)
}

func TestAnchorLongLine(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("A", maxLine+10) + "\nIkTni9mw7Ee4YefeGpz7IA==\n"
	out, errOut, code := run(t, in, "anchor")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "stdin line 1: line longer than 64 KiB")
	assert.Equal(t, "8be74422-b0d9-47ec-b861-e7de1a9cfb20\tIkTni9mw7Ee4YefeGpz7IA==\n", out)
}

// guidLines is an io.Reader producing n distinct GUID lines without holding them in memory.
type guidLines struct {
	n, i int
	line [37]byte
	buf  []byte // the unread rest of line
}

func (g *guidLines) Read(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		if len(g.buf) == 0 {
			if g.i == g.n {
				if total == 0 {
					return 0, io.EOF
				}
				return total, nil
			}
			g.buf = appendGUIDLine(g.line[:0], g.i)
			g.i++
		}
		k := copy(p, g.buf)
		p, g.buf, total = p[k:], g.buf[k:], total+k
	}
	return total, nil
}

func appendGUIDLine(b []byte, i int) []byte {
	const hex = "0123456789abcdef"
	var s [37]byte
	copy(s[:], "00000000-1111-4222-8333-000000000000\n")
	for k := 35; i > 0 && k > 24; k-- {
		s[k] = hex[i&0xf]
		i >>= 4
	}
	return append(b, s[:]...)
}

// BenchmarkAnchorStreamJSON measures `hybridctl anchor --json` over GUID lines on stdin, per line.
func BenchmarkAnchorStreamJSON(b *testing.B) {
	b.ReportAllocs()
	const n = 100_000
	for b.Loop() {
		c := &anchorConverter{json: true, out: bufio.NewWriterSize(io.Discard, 64<<10), errw: io.Discard}
		if err := c.stream(b.Context(), &guidLines{n: n}); err != nil || c.failed > 0 {
			b.Fatal(err, c.failed)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/line")
}

func TestGUIDLinesReader(t *testing.T) {
	t.Parallel()
	data, err := io.ReadAll(&guidLines{n: 3})
	require.NoError(t, err)
	assert.Equal(t, "00000000-1111-4222-8333-000000000000\n00000000-1111-4222-8333-000000000001\n00000000-1111-4222-8333-000000000002\n", string(data))
}

func TestAnchorPastedForms(t *testing.T) {
	t.Parallel()
	const ann = "8be74422-b0d9-47ec-b861-e7de1a9cfb20\tIkTni9mw7Ee4YefeGpz7IA==\n"
	cloudDN := "CN={557365725F37633965363637392D373432352D343064652D393434622D653037666331663930616537}"
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantOut  string
		wantErr  string
		wantCode int
	}{
		{name: "attribute editor hex, auto", args: []string{"anchor", "22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20"}, wantOut: ann},
		{name: "attribute editor hex on stdin", stdin: "  22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20\r\n", args: []string{"anchor", "--from", "hex"}, wantOut: ann},
		{name: "filter value, auto", args: []string{"anchor", `\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20`}, wantOut: ann},
		{name: "filter value, --from ldapfilter", args: []string{"anchor", "--from", "ldapfilter", `\22\44\E7\8B\D9\B0\EC\47\B8\61\E7\DE\1A\9C\FB\20`}, wantOut: ann},
		{name: "guid upper case without braces", args: []string{"anchor", "8BE74422-B0D9-47EC-B861-E7DE1A9CFB20"}, wantOut: ann},
		{name: "cloud DN, auto", args: []string{"anchor", cloudDN}, wantOut: "cloud\tUser\t7c9e6679-7425-40de-944b-e07fc1f90ae7\n"},
		{name: "cloud DN, --from dn", args: []string{"anchor", "--from", "dn", strings.ToLower(cloudDN)}, wantOut: "cloud\tUser\t7c9e6679-7425-40de-944b-e07fc1f90ae7\n"},
		{
			name: "cloud DN, --json", args: []string{"anchor", "--json", cloudDN},
			wantOut: `{"input":"` + cloudDN + `","cloudAnchor":"User_7c9e6679-7425-40de-944b-e07fc1f90ae7","objectType":"User","objectId":"7c9e6679-7425-40de-944b-e07fc1f90ae7","dn":"` + cloudDN + `"}` + "\n",
		},
		{name: "cloud DN under --from hex", args: []string{"anchor", "--from", "hex", cloudDN}, wantErr: "anchor.ParseHex", wantCode: 1},
		{name: "whole filter refused", args: []string{"anchor", "--from", "ldapfilter", `(objectGUID=\22\44)`}, wantErr: "a whole filter; give only the escaped value", wantCode: 1},
		{name: "ambiguous names the flags", args: []string{"anchor", "2244E78BD9B0EC47B861E7DE1A9CFB20"}, wantErr: `argument 1: "2244E78BD9B0EC47B861E7DE1A9CFB20": 32 hex digits are either wire-order hex or a GUID without dashes; say which with --from hex or --from guid`, wantCode: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := run(t, tc.stdin, tc.args...)
			assert.Equal(t, tc.wantCode, code, errOut)
			assert.Equal(t, tc.wantOut, out)
			if tc.wantErr != "" {
				assert.Contains(t, errOut, tc.wantErr)
			}
		})
	}
}

// TestAnchorConvertAllocations: converting a valid value of any form, in text or JSON, allocates
// nothing (the bulk path).
func TestAnchorConvertAllocations(t *testing.T) {
	// Not parallel: AllocsPerRun is disturbed by other goroutines allocating.
	inputs := []string{
		"8be74422-b0d9-47ec-b861-e7de1a9cfb20",
		"{8BE74422-B0D9-47EC-B861-E7DE1A9CFB20}",
		"IkTni9mw7Ee4YefeGpz7IA==",
		"22 44 E7 8B D9 B0 EC 47 B8 61 E7 DE 1A 9C FB 20",
		`\22\44\e7\8b\d9\b0\ec\47\b8\61\e7\de\1a\9c\fb\20`,
		"CN={496B546E69396D77374565345965666547707A3749413D3D}",
		"CN={557365725F37633965363637392D373432352D343064652D393434622D653037666331663930616537}",
	}
	for _, asJSON := range []bool{false, true} {
		c := &anchorConverter{json: asJSON, out: bufio.NewWriterSize(io.Discard, 256<<10), errw: io.Discard}
		for _, in := range inputs {
			v := []byte(in)
			assert.Zero(t, testing.AllocsPerRun(100, func() { c.convert(v, 1) }), "%s json=%v", in, asJSON)
		}
		assert.Zero(t, c.failed)
	}
	// The escaped filter value is valid JSON with its backslashes escaped.
	var out strings.Builder
	c := &anchorConverter{json: true, out: bufio.NewWriter(&out), errw: io.Discard}
	c.convert([]byte(inputs[4]), 1)
	c.out.Flush()
	var obj map[string]string
	require.NoError(t, json.Unmarshal([]byte(out.String()), &obj))
	assert.Equal(t, inputs[4], obj["input"])
	assert.Equal(t, inputs[4], obj["ldapFilter"])
}
