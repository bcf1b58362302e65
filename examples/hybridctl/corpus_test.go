package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusDir holds exports in every form the tools write (see ldif/testdata/corpus).
var corpusDir = filepath.Join("..", "..", "ldif", "testdata", "corpus")

// The synced objects of every whole export of the corpus (the OU and the computer are skipped).
var corpusObjects = []string{
	"CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test",
	"CN=José Núñez,OU=Synced,DC=corp,DC=example,DC=test",
	"CN=Sales,OU=Synced,DC=corp,DC=example,DC=test",
}

// TestMatchCorpus runs hybridctl match over every export of the corpus: whole exports are
// matched (with a warning for each skipped search reference), incomplete ones fail with the
// file, line, last complete entry and the flag that reads them anyway, and CSV is refused with
// the command that writes LDIF.
func TestMatchCorpus(t *testing.T) {
	t.Parallel()
	_, cl := demoFiles(t)
	tests := []struct {
		file    string
		partial bool
		objects []string
		stderr  []string
		code    int
	}{
		{file: "ldapsearch-default.ldif", objects: corpusObjects, stderr: []string{"hybridctl: warning: " + filepath.Join(corpusDir, "ldapsearch-default.ldif") + ":66: search reference skipped"}},
		{file: "ldapsearch-L.ldif", objects: corpusObjects, stderr: []string{"ldapsearch-L.ldif:67: search reference skipped"}},
		{file: "ldapsearch-LLL.ldif", objects: corpusObjects, stderr: []string{"ldapsearch-LLL.ldif:52: search reference skipped"}},
		{file: "ldapsearch-LLL-crlf.ldif", objects: corpusObjects, stderr: []string{"search reference skipped"}},
		{file: "ldapsearch-LLL-bom.ldif", objects: corpusObjects, stderr: []string{"search reference skipped"}},
		{file: "ldapsearch-paged.ldif", objects: corpusObjects, stderr: []string{"ldapsearch-paged.ldif:34: search reference skipped"}},
		{file: "ldifde-f.ldif", objects: corpusObjects},
		{file: "ldifde-u.ldif", objects: corpusObjects},
		{
			file: "ldapsearch-sizelimit.ldif", code: 1,
			stderr: []string{"ldapsearch-sizelimit.ldif:34: ldapsearch reports result 4 Size limit exceeded", "pr=1000/noprompt", "pass --accept-partial-export"},
		},
		{
			file: "truncated-midvalue.ldif", code: 1,
			stderr: []string{`truncated-midvalue.ldif:28: the input ends in the middle of a line, inside the entry "CN=José Núñez,OU=Synced,DC=corp,DC=example,DC=test" (line 22); the last complete entry is "CN=Ann Lee,OU=Synced,DC=corp,DC=example,DC=test" (line 7)`, "--accept-partial-export"},
		},
		{file: "truncated-lineend.ldif", code: 1, stderr: []string{"truncated-lineend.ldif:28: the input ends without the blank line", "--accept-partial-export"}},
		{file: "truncated-notrailer.ldif", code: 1, stderr: []string{`truncated-notrailer.ldif:44: the input ends without the "# search result"`, "--accept-partial-export"}},
		{file: "truncated-midvalue.ldif", partial: true, objects: corpusObjects[:1], stderr: []string{"hybridctl: warning: " + filepath.Join(corpusDir, "truncated-midvalue.ldif") + ":28: the input ends in the middle of a line", "read as a partial export, as asked"}},
		{file: "truncated-notrailer.ldif", partial: true, objects: corpusObjects[:2], stderr: []string{"read as a partial export, as asked"}},
		{file: "ldapsearch-sizelimit.ldif", partial: true, objects: corpusObjects[:1], stderr: []string{"read as a partial export, as asked"}},
		{file: "export-csv.csv", code: 1, stderr: []string{"export-csv.csv:1: this is CSV", `ldifde -f corp.ldif -d "DC=corp,DC=example,DC=test"`}},
	}
	for _, tt := range tests {
		name := tt.file
		if tt.partial {
			name += "/accept-partial"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := []string{"match", "--onprem", filepath.Join(corpusDir, tt.file), "--cloud", cl, "--json"}
			if tt.partial {
				args = append(args, "--accept-partial-export")
			}
			out, errOut, code := run(t, "", args...)
			require.Equal(t, tt.code, code, "stderr: %s", errOut)
			for _, s := range tt.stderr {
				assert.Contains(t, errOut, s)
			}
			if tt.code != 0 {
				assert.Empty(t, out)
				return
			}
			var rep matchJSON
			require.NoError(t, json.Unmarshal([]byte(out), &rep))
			var dns []string
			for _, o := range rep.Objects {
				if o.Side == "onprem" {
					dns = append(dns, o.DN)
				}
			}
			assert.Equal(t, tt.objects, dns)
		})
	}
}

func TestAcceptPartialExportNeedsAFile(t *testing.T) {
	t.Parallel()
	_, cl := demoFiles(t)
	_, errOut, code := run(t, "", "match", "--onprem", "ldaps://dc1.corp.example.test", "--cloud", cl, "--accept-partial-export")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--accept-partial-export applies only to an LDIF file given as --onprem")
}
