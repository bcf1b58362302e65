package conversion_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
)

func TestReadUsers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{"empty", "", nil, ""},
		{"comments and blanks", "# users to convert\n\n  ann.lee@contoso.example  \n\t# indented comment\nBEN@contoso.example\r\n", []string{"ann.lee@contoso.example", "BEN@contoso.example"}, ""},
		{"object ids normalised", "{A11CE000-0000-4000-8000-000000000001}\nbe000000-0000-4000-8000-000000000002\n", []string{"a11ce000-0000-4000-8000-000000000001", "be000000-0000-4000-8000-000000000002"}, ""},
		{"duplicates kept once", "a@x\nA@X\na@x\n", []string{"a@x"}, ""},
		{"no final newline", "a@x", []string{"a@x"}, ""},
		{"two users on a line", "a@x\nann lee@contoso.example\n", nil, "users.txt:2: bad users list: \"ann lee@contoso.example\" contains a blank"},
		{"neither upn nor id", "a@x\n# c\nann.lee\n", nil, "users.txt:3: bad users list: \"ann.lee\" is neither"},
		{"at at the end", "ann@\n", nil, "users.txt:1: bad users list"},
		{"bad utf-8", "a\xffb@x\n", nil, "users.txt:1: bad users list: \"a\\xffb@x\" is not valid UTF-8"},
		{"line too long", "a@x\n" + strings.Repeat("a", 5000) + "@x\n", nil, "users.txt:2: bad users list: line longer than 4096 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := conversion.ReadUsers(strings.NewReader(tc.in), "users.txt")
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, conversion.ErrUsersFile)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	t.Run("read error", func(t *testing.T) {
		t.Parallel()
		boom := errors.New("boom")
		_, err := conversion.ReadUsers(iotest.ErrReader(boom), "users.txt")
		assert.ErrorIs(t, err, boom)
		assert.NotErrorIs(t, err, conversion.ErrUsersFile)
		assert.Contains(t, err.Error(), "users.txt")
	})
}

func FuzzReadUsers(f *testing.F) {
	for _, s := range []string{"", "a@x\n", "# c\n\nb@y\r\n", "{A11CE000-0000-4000-8000-000000000001}", "a b@x", "\xff@x", "@", "x@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		users, err := conversion.ReadUsers(strings.NewReader(in), "f")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// Round trip: the entries, one per line, read back the same.
		again, err := conversion.ReadUsers(strings.NewReader(strings.Join(users, "\n")), "g")
		if err != nil {
			t.Fatalf("re-reading %q: %v", users, err)
		}
		if len(users) == 0 {
			users = nil
		}
		assert.Equal(t, users, again)
	})
}

// A users list, as hybridctl plan --users reads it.
func ExampleReadUsers() {
	list := `# pilot group, wave 1
ann.lee@contoso.example

{BE000000-0000-4000-8000-000000000002}   
`
	users, err := conversion.ReadUsers(strings.NewReader(list), "wave1.txt")
	fmt.Println(users, err)
	_, err = conversion.ReadUsers(strings.NewReader("ann.lee@contoso.example ben@contoso.example\n"), "wave2.txt")
	fmt.Println(err)
	// Output:
	// [ann.lee@contoso.example be000000-0000-4000-8000-000000000002] <nil>
	// wave2.txt:1: bad users list: "ann.lee@contoso.example ben@contoso.example" contains a blank or control character: write one user per line
}

func BenchmarkReadUsers(b *testing.B) {
	var sb strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&sb, "user%d@contoso.example\n", i)
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := conversion.ReadUsers(strings.NewReader(in), "b"); err != nil {
			b.Fatal(err)
		}
	}
}
