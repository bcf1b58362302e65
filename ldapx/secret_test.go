package ldapx_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

// TestBindErrorScrubsEchoedPassword: a server whose bind diagnostic echoes the request (DN and
// password) and a terminal escape sequence yields an error without the password and without
// control characters.
func TestBindErrorScrubsEchoedPassword(t *testing.T) {
	t.Parallel()
	srv := ldapxtest.StartEchoServer(t)
	const password = "S3cret!Echo-Pass"
	_, err := ldapx.Dial(t.Context(), srv.URL, ldapx.WithCAFile(srv.CAFile),
		ldapx.WithSimpleBind("CN=svc-sync,CN=Users,DC=corp,DC=example,DC=test", password))
	require.Error(t, err)
	assert.ErrorIs(t, err, ldapx.ErrForbidden)
	var oe *ldapx.OpError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, ldapx.ResultInvalidCredentials, oe.Code)
	msg := err.Error()
	assert.NotContains(t, msg, password)
	assert.NotContains(t, msg, "\x1b")
	assert.Contains(t, msg, "with password [REDACTED] failed")
	assert.Contains(t, msg, "bind as CN=svc-sync,CN=Users,DC=corp,DC=example,DC=test", "the rest of the server's text is kept")

	// The same through DialConn, whose errors are the connection's own.
	_, err = ldapx.DialConn(t.Context(), srv.URL, ldapx.WithCAFile(srv.CAFile), ldapx.WithSimpleBind("svc@corp.example.test", password))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), password)
	assert.False(t, strings.ContainsAny(err.Error(), "\x1b\x00"))
}
