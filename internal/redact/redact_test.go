package redact_test

import (
	"strings"
	"testing"

	"github.com/hybridid/hybridid/internal/redact"
	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	t.Parallel()
	const tok = "eyJ0eXAiOiJKV1QiLCJhbGciOi.secret.sig"
	cases := []struct{ name, in, want string }{
		{"plain", "resource not found", "resource not found"},
		{"secret anywhere", "token=" + tok + " end", "token=[REDACTED] end"},
		{"bearer", "Authorization: Bearer abc.def", "Authorization: [REDACTED]"},
		{"json header", `{"Authorization":"Bearer abc"}`, `{"Authorization":"[REDACTED]"}`},
		{"basic", "got basic dXNlcjpwYXNz from you", "got basic [REDACTED] from you"},
		{"escape", "bad\x1b[31mred\r\n", `bad\x1b[31mred\r\n`},
		{"invalid utf8", "a\xffb", `a\xffb`},
		{"bidi", "a\u202eb", `a\u202eb`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := redact.Text(c.in, tok)
			assert.Equal(t, c.want, got)
			assert.NotContains(t, got, tok)
		})
	}
}

func FuzzText(f *testing.F) {
	f.Add("Authorization: Bearer x.y.z", "x.y.z")
	f.Add("\x1b]0;title\x07", "")
	f.Fuzz(func(t *testing.T, s, secret string) {
		got := redact.Text(s, secret)
		if len(secret) >= 4 && strings.Contains(got, secret) && !strings.Contains(redact.Mask, secret) && !strings.Contains(`\x`, secret) {
			// The secret may reappear only if escaping produced it from other text.
			if strings.Contains(s, secret) {
				t.Fatalf("secret %q survived in %q", secret, got)
			}
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("control character %U in %q", r, got)
			}
		}
	})
}
