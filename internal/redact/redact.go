// Package redact is the one place where text that a server sent is made safe to show: every
// adapter passes server-supplied text (error messages, echoed headers) through Text before it
// reaches an error, a log line, a journal or a terminal.
package redact

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mask replaces a secret.
const Mask = "[REDACTED]"

// Text returns s with every secret (non-empty values of secrets), every bearer or basic
// credential ("Bearer …", "Basic …") and every Authorization header value replaced by Mask, and
// with control characters and invalid UTF-8 escaped, so that server text can neither leak a
// secret nor drive a terminal.
func Text(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	s = credentials(s)
	return escape(s)
}

// credentials masks the token after the schemes "Bearer" and "Basic" and after an
// "Authorization" header name, case-insensitively.
func credentials(s string) string {
	lower := strings.ToLower(s)
	var b strings.Builder
	last := 0
	for i := 0; i < len(lower); {
		n := 0
		switch {
		case strings.HasPrefix(lower[i:], "bearer "):
			n = len("bearer ")
		case strings.HasPrefix(lower[i:], "basic "):
			n = len("basic ")
		case strings.HasPrefix(lower[i:], "authorization:"):
			n = len("authorization:")
		case strings.HasPrefix(lower[i:], `"authorization":`):
			n = len(`"authorization":`)
		}
		if n == 0 {
			i++
			continue
		}
		j := i + n
		for j < len(s) && (s[j] == ' ' || s[j] == '"' || s[j] == '\t') {
			j++
		}
		// An Authorization value carries its scheme: mask the credential after it too.
		k := j
		for k < len(s) && !strings.ContainsRune(" \t\r\n\",;}]'", rune(s[k])) {
			k++
		}
		if n >= len("authorization:") && k < len(s) && s[k] == ' ' {
			if sch := strings.ToLower(s[j:k]); sch == "bearer" || sch == "basic" {
				k++
				for k < len(s) && !strings.ContainsRune(" \t\r\n\",;}]'", rune(s[k])) {
					k++
				}
			}
		}
		if k > j {
			b.WriteString(s[last:j])
			b.WriteString(Mask)
			last = k
		}
		i = max(k, i+1)
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// escape quotes control characters (other than none) and invalid UTF-8 the way strconv does,
// keeping printable text as it is.
func escape(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			q := strconv.QuoteToASCII(s[i : i+n])
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
