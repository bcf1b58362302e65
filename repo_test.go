package hybridid_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outsidePointers match text that points at documents outside the repository. The repository is
// all a user has, so README, docs, package docs, comments, messages and golden files must point
// at docs/ instead. The patterns are assembled from pieces so that this file does not match
// itself.
var outsidePointers = []struct {
	name string
	re   *regexp.Regexp
}{
	{"parent shared directory", regexp.MustCompile(regexp.QuoteMeta(".." + "/shared"))},
	{"shared spec", regexp.MustCompile(regexp.QuoteMeta("shared" + "/spec/"))},
	{"shared reference", regexp.MustCompile(regexp.QuoteMeta("shared" + "/reference/"))},
	{"house style file", regexp.MustCompile(regexp.QuoteMeta("STYLE" + ".md"))},
	// The old spec and reference files by their short names (spec/ or reference/ followed by the
	// file name); docs/cli.md, docs/entra-rules.md and the other docs/ pages replace them.
	{"spec file", regexp.MustCompile(`(^|[^\w-])` + "spec" + `/(cli|outcomes|snapshot)\.md`)},
	{"reference file", regexp.MustCompile(`(^|[^\w-])` + "reference" + `/(entra-rules|samba-test-dc)\.md`)},
}

// hit is one line that points outside the repository.
type hit struct {
	file    string
	line    int
	pattern string
	text    string
}

func (h hit) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", h.file, h.line, h.pattern, strings.TrimSpace(h.text))
}

// scanText reports the lines of r that match an outside pointer (the first pattern each matches). name is the file name used in
// the hits. Binary content (a NUL byte in the first 8 KiB) is skipped.
func scanText(name string, r io.Reader) ([]hit, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(8 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, nil
	}
	var hits []hit
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		for _, p := range outsidePointers {
			if p.re.MatchString(line) {
				hits = append(hits, hit{file: name, line: n, pattern: p.name, text: line})
				break // one hit per line is enough to find it
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return hits, nil
}

// TestNothingPointsOutside walks the repository (skipping .git) and fails, naming file:line, on
// any text that points at documents outside it.
func TestNothingPointsOutside(t *testing.T) {
	t.Parallel()
	var hits []hit
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil // a worktree's .git file
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h, err := scanText(filepath.ToSlash(path), f)
		if err != nil {
			return err
		}
		files++
		hits = append(hits, h...)
		return nil
	})
	require.NoError(t, err)
	require.NotZero(t, files, "no file scanned: is the test running at the repository root?")
	var msg strings.Builder
	for _, h := range hits {
		msg.WriteString("\n" + h.String())
	}
	assert.Zero(t, len(hits), "lines pointing outside the repository (point at docs/ instead):%s", msg.String())
}

// TestScanText checks that the scanner finds each kind of outside pointer and leaves the
// in-repository ones alone.
func TestScanText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text string
		want       []int // lines with a hit
	}{
		{"parent shared", "// see ../" + "shared/sp" + "ec/cli.md\n", []int{1}},
		{"shared reference", "x\nsee shared/" + "refer" + "ence/entra-rules.md §2.4\n", []int{2}},
		{"style", "per STYLE" + ".md\n", []int{1}},
		{"short spec name", "the shape of spec" + "/cli.md: objects\n", []int{1}},
		{"short reference name", "// (refer" + "ence/entra-rules.md §1.3)\n", []int{1}},
		{"relative spec name", "forms of ../spec" + "/cli.md.\n", []int{1}},
		{"docs pointers are fine", "see docs/cli.md and docs/entra-rules.md §2.4\n[cli](cli.md)\n", nil},
		{"section citation alone is fine", "// reference §2.4\n", nil},
		{"binary is skipped", "\x00../" + "shared\n", nil},
		{"no trailing newline", "a\nb STYLE" + ".md", []int{2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hits, err := scanText("f", strings.NewReader(tc.text))
			require.NoError(t, err)
			var got []int
			for _, h := range hits {
				got = append(got, h.line)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestEntraRulesCitationsResolve checks that every "docs/entra-rules.md §N" citation in the
// repository names a section that docs/entra-rules.md has (§1 … §8, §1.1 …, §4a …).
func TestEntraRulesCitationsResolve(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("docs", "entra-rules.md"))
	require.NoError(t, err)
	sections := map[string]bool{}
	heading := regexp.MustCompile(`(?m)^#{2,3} (\d+(?:\.\d+|[a-z])?)\.? `)
	for _, m := range heading.FindAllStringSubmatch(string(doc), -1) {
		sections[m[1]] = true
	}
	require.True(t, sections["2.4"] && sections["4c"] && sections["8"], "section headings not found: %v", sections)

	citation := regexp.MustCompile(`docs/entra-rules\.md §(\d+(?:\.\d+|[a-z])?)`)
	var bad []string
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.IndexByte(b, 0) >= 0 {
			return nil
		}
		for n, line := range strings.Split(string(b), "\n") {
			for _, m := range citation.FindAllStringSubmatch(line, -1) {
				if !sections[m[1]] {
					bad = append(bad, fmt.Sprintf("%s:%d: §%s", filepath.ToSlash(path), n+1, m[1]))
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, bad, "citations of sections docs/entra-rules.md does not have")
}
