package sid_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hybridid/hybridid/internal/sid"
)

func TestText(t *testing.T) {
	t.Parallel()
	domainUser := []byte{1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0xdc, 0xf4, 0xdc, 0x3b, 0x83, 0x3d, 0x2b, 0x46, 0x82, 0x8b, 0xa6, 0x28, 0x08, 0xf6, 0x05, 0x00}
	for _, tc := range []struct {
		name string
		in   []byte
		want string
		msg  string
	}{
		{"domain user", domainUser, "S-1-5-21-1004336348-1177238915-682003330-390664", ""},
		{"well-known, no sub-authority", []byte{1, 0, 0, 0, 0, 0, 0, 1}, "S-1-1", ""},
		{"Everyone", []byte{1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}, "S-1-1-0", ""},
		{"large authority", []byte{1, 0, 1, 0, 0, 0, 0, 0}, "S-1-1099511627776", ""},
		{"too short", []byte{1, 2, 3}, "", "3 bytes is too short for a binary SID"},
		{"revision", []byte{2, 0, 0, 0, 0, 0, 0, 5}, "", "SID revision 2 (want 1)"},
		{"count does not fit", domainUser[:12], "", "12 bytes for 5 sub-authorities (want 28)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, msg := sid.Text(tc.in)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.msg, msg)
			gotS, msgS := sid.Text(string(tc.in))
			assert.Equal(t, got, gotS, "string and []byte agree")
			assert.Equal(t, msg, msgS)
		})
	}
}

func FuzzText(f *testing.F) {
	f.Add([]byte{1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0})
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, msg := sid.Text(b)
		if (s == "") == (msg == "") {
			t.Fatalf("Text(%x) = %q, %q: want exactly one", b, s, msg)
		}
		if s2, msg2 := sid.Text(string(b)); s2 != s || msg2 != msg {
			t.Fatalf("string and []byte differ for %x", b)
		}
	})
}
