package conversion

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hybridid/hybridid/anchor"
)

// ErrUsersFile is wrapped by every error of ReadUsers about the content of the list.
var ErrUsersFile = errors.New("bad users list")

// maxUserLine bounds one line of a users list (a UPN is at most 113 characters in Entra; the
// bound only stops a binary file from being read as one huge line).
const maxUserLine = 4096

// ReadUsers reads a list of users to convert, as Options.Users takes it: one user per line, by
// userPrincipalName (name@domain) or cloud object id (a GUID). Leading and trailing blanks are
// ignored, and so are empty lines and lines whose first non-blank character is '#'. A repeated
// user is kept once (the first time). name is used in errors, which read "name:line: …" and wrap
// ErrUsersFile; an I/O error is returned as it is, after the name.
//
// Each entry is checked as far as can be without the tenant: it must be valid UTF-8, hold no
// blank or control character, and either contain '@' with text on both sides or parse as a
// GUID (braces, any case; returned in the canonical lower-case form). Whether the user exists is the planner's business (RefuseNotFound).
func ReadUsers(r io.Reader, name string) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxUserLine)
	var out []string
	seen := map[string]bool{}
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		s, err := checkUser(s)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w: %v", name, line, ErrUsersFile, err)
		}
		key := strings.ToLower(s)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s:%d: %w: line longer than %d bytes", name, line+1, ErrUsersFile, maxUserLine)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// checkUser validates one entry and returns it, object ids in the canonical lower-case form
// Graph uses.
func checkUser(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%q is not valid UTF-8", s)
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return "", fmt.Errorf("%q contains a blank or control character: write one user per line", s)
		}
	}
	if at := strings.LastIndexByte(s, '@'); at > 0 && at < len(s)-1 {
		return s, nil
	}
	if g, err := anchor.ParseGUID(s); err == nil {
		return g.String(), nil
	}
	return "", fmt.Errorf("%q is neither a userPrincipalName (name@domain) nor an object id (GUID)", s)
}
