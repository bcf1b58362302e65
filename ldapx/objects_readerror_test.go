package ldapx

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// badValueConn serves three entries; the second has a 3-byte objectSid.
type badValueConn struct{ Conn }

func (badValueConn) Search(context.Context, *SearchRequest) (*SearchPage, error) {
	bad := testEntry(1)
	for i := range bad.Attributes {
		if bad.Attributes[i].Name == "objectSid" {
			bad.Attributes[i].Values = [][]byte{{1, 2, 3}}
		}
	}
	return &SearchPage{Entries: []Entry{testEntry(0), bad, testEntry(2)}}, nil
}

// TestObjectsGoOnAfterABadValue: one undecodable value does not stop the read; the record
// carries it as a read error (the matching engine reports that object as error).
func TestObjectsGoOnAfterABadValue(t *testing.T) {
	t.Parallel()
	c, err := New(badValueConn{})
	require.NoError(t, err)
	var dns []string
	var bad int
	for r, err := range c.Objects(t.Context(), "DC=x") {
		require.NoError(t, err)
		dns = append(dns, r.DN)
		if len(r.ReadErrors) > 0 {
			bad++
			assert.Equal(t, "CN=u1,DC=x", r.DN)
			assert.Contains(t, r.ReadErrors[0].Message, "objectSid")
		}
	}
	assert.Equal(t, []string{"CN=u0,DC=x", "CN=u1,DC=x", "CN=u2,DC=x"}, dns)
	assert.Equal(t, 1, bad)
}
