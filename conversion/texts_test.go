package conversion_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTextsCiteNoSection: reasons, fixes, messages and notes are read by users who have no
// reference document, so no string literal in the package's code names a section ("§4c").
// Comments may (they point at docs/entra-rules.md).
func TestTextsCiteNoSection(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{".", "conversiontest"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, f, src, parser.SkipObjectResolution)
			require.NoError(t, err)
			ast.Inspect(file, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					assert.NotContains(t, lit.Value, "§", "%s: user-visible text cites a section", fset.Position(lit.Pos()))
				}
				return true
			})
		}
	}
}
