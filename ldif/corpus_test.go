package ldif_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/ldif"
)

// corpusDNs are the entries of every whole export in testdata/corpus, in order.
var corpusDNs = []string{
	"OU=Synced,DC=corp,DC=example,DC=test",
	"CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test",
	"CN=José Núñez,OU=Synced,DC=corp,DC=example,DC=test",
	"CN=Sales,OU=Synced,DC=corp,DC=example,DC=test",
	"CN=WS01,OU=Synced,DC=corp,DC=example,DC=test",
}

// TestCorpus reads every export of testdata/corpus (written by us in the shapes ldapsearch and
// ldifde write, see each file) and checks what the reader makes of it.
func TestCorpus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		dns      []string // entries read; nil when the read fails before any
		warnings []string
		err      error
		msg      string // part of the error message
	}{
		{file: "ldapsearch-default.ldif", dns: corpusDNs, warnings: []string{"ldapsearch-default.ldif:66: search reference skipped"}},
		{file: "ldapsearch-L.ldif", dns: corpusDNs, warnings: []string{"ldapsearch-L.ldif:67: search reference skipped"}},
		{file: "ldapsearch-LLL.ldif", dns: corpusDNs, warnings: []string{"ldapsearch-LLL.ldif:52: search reference skipped"}},
		{file: "ldapsearch-LLL-crlf.ldif", dns: corpusDNs, warnings: []string{"ldapsearch-LLL-crlf.ldif:52: search reference skipped"}},
		{file: "ldapsearch-LLL-bom.ldif", dns: corpusDNs, warnings: []string{"ldapsearch-LLL-bom.ldif:52: search reference skipped"}},
		{file: "ldapsearch-paged.ldif", dns: corpusDNs, warnings: []string{"ldapsearch-paged.ldif:34: search reference skipped"}},
		{file: "ldifde-f.ldif", dns: corpusDNs},
		{file: "ldifde-u.ldif", dns: corpusDNs},
		{
			file: "ldapsearch-sizelimit.ldif", dns: corpusDNs[:2], err: ldif.ErrIncomplete,
			msg: `ldapsearch-sizelimit.ldif:34: ldapsearch reports result 4 Size limit exceeded, so the search stopped before the end (the server's size limit: page the search, as in: ldapsearch -LLL`,
		},
		{
			file: "truncated-midvalue.ldif", dns: corpusDNs[:2], err: ldif.ErrIncomplete,
			msg: `truncated-midvalue.ldif:28: the input ends in the middle of a line, inside the entry "CN=José Núñez,OU=Synced,DC=corp,DC=example,DC=test" (line 22); the last complete entry is "CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test" (line 7)`,
		},
		{
			file: "truncated-lineend.ldif", dns: corpusDNs[:2], err: ldif.ErrIncomplete,
			msg: `truncated-lineend.ldif:28: the input ends without the blank line that ldapsearch -LLL writes after every entry, so the entry "CN=José Núñez,OU=Synced,DC=corp,DC=example,DC=test" (line 22) may be cut short; the last complete entry is "CN=Ann Lee`,
		},
		{
			file: "truncated-notrailer.ldif", dns: corpusDNs[:3], err: ldif.ErrIncomplete,
			msg: `truncated-notrailer.ldif:44: the input ends without the "# search result" / "result:" lines that ldapsearch writes last, so the search output was cut short; the last complete entry is "CN=José Núñez,OU=Synced,DC=corp,DC=example,DC=test" (line 33)`,
		},
		{
			file: "export-csv.csv", err: ldif.ErrUnsupported,
			msg: `export-csv.csv:1: this is CSV (as Export-Csv or csvde write it), not LDIF: binary attributes such as objectGUID do not survive CSV. Export LDIF instead, with ldifde -f corp.ldif`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			dns, warnings, err := readCorpus(t, tt.file)
			assert.Equal(t, tt.dns, dns)
			assertWarnings(t, tt.warnings, warnings)
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

// TestCorpusAcceptPartial reads the incomplete exports with AcceptPartialExport: the whole
// entries, and a warning instead of the error.
func TestCorpusAcceptPartial(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		dns     []string
		warning string
	}{
		{"ldapsearch-sizelimit.ldif", corpusDNs[:2], "ldapsearch-sizelimit.ldif:34: ldapsearch reports result 4"},
		{"truncated-midvalue.ldif", corpusDNs[:2], "truncated-midvalue.ldif:28: the input ends in the middle of a line"},
		{"truncated-lineend.ldif", corpusDNs[:2], "truncated-lineend.ldif:28: the input ends without the blank line"},
		{"truncated-notrailer.ldif", corpusDNs[:3], `truncated-notrailer.ldif:44: the input ends without the "# search result"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			dns, warnings, err := readCorpus(t, tt.file, ldif.AcceptPartialExport())
			require.NoError(t, err)
			assert.Equal(t, tt.dns, dns)
			require.Len(t, warnings, 1)
			assert.Contains(t, warnings[0].String(), tt.warning)
			assert.Contains(t, warnings[0].String(), "read as a partial export, as asked")
			assert.ErrorIs(t, warnings[0].Err, ldif.ErrIncomplete)
		})
	}
}

func readCorpus(t *testing.T, file string, opts ...ldif.Option) ([]string, []ldif.Warning, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "corpus", file))
	require.NoError(t, err)
	defer f.Close()
	var warnings []ldif.Warning
	opts = append(opts, ldif.WithWarnings(func(w ldif.Warning) { warnings = append(warnings, w) }))
	var dns []string
	for e, err := range ldif.NewReader(f, file, opts...).All() {
		if err != nil {
			return dns, warnings, err
		}
		dns = append(dns, e.DN)
	}
	return dns, warnings, nil
}

func assertWarnings(t *testing.T, want []string, got []ldif.Warning) {
	t.Helper()
	require.Len(t, got, len(want), "warnings: %v", got)
	for i := range want {
		assert.Contains(t, got[i].String(), want[i])
	}
}

func TestReaderOnPrem(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("testdata", "corpus", "ldifde-u.ldif"))
	require.NoError(t, err)
	defer f.Close()
	var dns []string
	for rec, err := range ldif.NewReader(f, "ldifde-u.ldif").OnPrem(ldif.Mapping{}) {
		require.NoError(t, err)
		dns = append(dns, rec.DN)
		if rec.DN == corpusDNs[2] {
			assert.Equal(t, "José Núñez", rec.DisplayName)
			assert.Equal(t, "yYuRNW0Z6kCXeYidebdT8A==", rec.ConsistencyGUID.ImmutableID())
			assert.False(t, rec.Enabled)
		}
	}
	assert.Equal(t, []string{corpusDNs[1], corpusDNs[2], corpusDNs[3]}, dns)
}
