package ldif_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/anchor"
	"github.com/hybridid/hybridid/ldif"
	"github.com/hybridid/hybridid/matching"
)

// TestOnPremReadErrors: each undecodable value makes that object carry a read error naming the
// attribute, the value and the entry's file:line, and the objects around it are read as usual.
func TestOnPremReadErrors(t *testing.T) {
	t.Parallel()
	good := anchor.MustParse(annGUID).Bytes()
	b64 := func(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
	for _, tc := range []struct {
		name, lines, attr, value, msg string
	}{
		{"36-byte mS-DS-ConsistencyGuid", "mS-DS-ConsistencyGuid:: " + b64([]byte(strings.Repeat("a", 36))), "mS-DS-ConsistencyGuid",
			strings.Repeat("a", 36), "36 bytes (want 16 raw bytes"},
		{"3-byte objectSid", "objectSid:: " + b64([]byte{1, 2, 3}), "objectSid", "010203", "too short for a binary SID"},
		{"hex userAccountControl", "userAccountControl: 0x200", "userAccountControl", "0x200", "not a decimal number"},
		{"15-byte objectGUID", "objectGUID:: " + b64(good[:15]), "objectGUID", "", "15 bytes"},
		{"two objectGUID values", "objectGUID:: " + b64(good[:]) + "\nobjectGUID:: " + b64(good[:]), "objectGUID", "", "2 values"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := "dn: CN=a,DC=corp\nobjectClass: user\nsAMAccountName: a\n\n" +
				"dn: CN=bad,DC=corp\nobjectClass: user\nsAMAccountName: bad\n" + tc.lines + "\n\n" +
				"dn: CN=c,DC=corp\nobjectClass: contact\nmail: c@x.test\n\n"
			var recs []matching.OnPrem
			for rec, err := range ldif.ReadOnPrem(strings.NewReader(in), "corp.ldif", ldif.Mapping{}) {
				require.NoError(t, err)
				recs = append(recs, rec)
			}
			require.Len(t, recs, 3)
			assert.Empty(t, recs[0].ReadErrors)
			assert.Empty(t, recs[2].ReadErrors)
			bad := recs[1]
			assert.Equal(t, "bad", bad.SAMAccountName, "the rest of the entry is still read")
			require.Len(t, bad.ReadErrors, 1)
			e := bad.ReadErrors[0]
			assert.Equal(t, tc.attr, e.Attribute)
			if tc.value != "" {
				assert.Equal(t, tc.value, e.Value)
			}
			assert.Equal(t, "corp.ldif:5", e.Source)
			assert.Contains(t, e.Message, tc.msg)
		})
	}
}

// TestOnPremNoObjectClass: an entry without objectClass is reported, not dropped.
func TestOnPremNoObjectClass(t *testing.T) {
	t.Parallel()
	in := "dn: CN=mystery,DC=corp\nsAMAccountName: m\n\ndn: OU=x,DC=corp\nobjectClass: organizationalUnit\n\n"
	var recs []matching.OnPrem
	for rec, err := range ldif.ReadOnPrem(strings.NewReader(in), "corp.ldif", ldif.Mapping{}) {
		require.NoError(t, err)
		recs = append(recs, rec)
	}
	require.Len(t, recs, 1, "the OU is skipped, the entry without objectClass is not")
	assert.Equal(t, "CN=mystery,DC=corp", recs[0].DN)
	require.Len(t, recs[0].ReadErrors, 1)
	assert.Equal(t, "objectClass", recs[0].ReadErrors[0].Attribute)
	assert.Equal(t, "corp.ldif:1", recs[0].ReadErrors[0].Source)

	rep := matching.Evaluate(matching.Config{}, matching.TenantState{}, recs, nil)
	assert.Equal(t, matching.Error, rep.OnPrem()[0].Outcome)
	assert.Contains(t, rep.OnPrem()[0].Reason, "corp.ldif:1")
}

// FuzzReadOnPrem checks the lean record reader against the general one: ReadOnPrem yields what
// Mapping.OnPrem makes of Reader's entries, and fails with the same error.
func FuzzReadOnPrem(f *testing.F) {
	f.Add("dn: CN=a\nobjectClass: user\nobjectGUID:: IkTni9mw7Ee4YefeGpz7IA==\nproxyAddresses: SMTP:a@b\nPROXYADDRESSES: x\n", "", false)
	f.Add("version: 1\n\ndn: CN=b\nchangetype: add\nobjectClass: contact\nemployeeID:: AAE=\nmail: a@b\n", "employeeID", true)
	f.Add("dn: CN=c\nobjectClass: group\nobjectSid:: AQE=\nuserAccountControl: x\ncn;x: y\n\ndn: CN=d\nobjectClass: user\n", "cn;x", false)
	f.Fuzz(func(t *testing.T, in, custom string, binary bool) {
		m := ldif.Mapping{CustomAnchor: custom, CustomAnchorBinary: binary}
		var fast []matching.OnPrem
		var fastErr error
		for rec, err := range ldif.ReadOnPrem(strings.NewReader(in), "f.ldif", m) {
			if err != nil {
				fastErr = err
				break
			}
			fast = append(fast, rec)
		}
		var slow []matching.OnPrem
		var slowErr error
		for e, err := range ldif.NewReader(strings.NewReader(in), "f.ldif").All() {
			if err != nil {
				slowErr = err
				break
			}
			rec, ok, err := m.OnPrem(&e)
			require.NoError(t, err)
			if ok {
				slow = append(slow, rec)
			}
		}
		assert.Equal(t, slowErr, fastErr)
		assert.Equal(t, slow, fast)
	})
}
