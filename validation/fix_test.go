package validation_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/validation"
)

func TestAppendFixLDIF(t *testing.T) {
	t.Parallel()
	objs := []validation.Object{
		user("ann", "userPrincipalName", "ann lee.@corp.example.com", "mailNickname", ".ann"),
		withProxies(user("bob"), "SMTP:bob@corp.example.com", "SMTP:robert@corp.example.com", "smtp:ann@corp.example.com", "smtp:zoë@corp.example.com"),
		withProxies(user("cid"), "SMTP:cid@corp.example.com"), // clean: no record
	}
	objs[0].ProxyAddresses = []string{"SMTP:ann@corp.example.com"}
	fs := validation.Validate(validation.Config{}, objs)
	got := string(validation.AppendFixLDIF(nil, fs))
	want := `version: 1

dn: CN=ann,OU=Users,DC=corp,DC=example,DC=com
changetype: modify
replace: userPrincipalName
userPrincipalName: annlee@corp.example.com
-
replace: mailNickname
mailNickname: ann
-

dn: CN=bob,OU=Users,DC=corp,DC=example,DC=com
changetype: modify
delete: proxyAddresses
proxyAddresses: SMTP:robert@corp.example.com
-
add: proxyAddresses
proxyAddresses: smtp:robert@corp.example.com
-
delete: proxyAddresses
proxyAddresses: smtp:ann@corp.example.com
-
delete: proxyAddresses
proxyAddresses:: c210cDp6b8OrQGNvcnAuZXhhbXBsZS5jb20=
-
add: proxyAddresses
proxyAddresses: smtp:zoe@corp.example.com
-
`
	assert.Equal(t, want, got)
	assert.Empty(t, validation.AppendFixLDIF(nil, nil))
}

// A value both fixable and duplicated is deleted, not replaced.
func TestAppendFixLDIFDeleteWins(t *testing.T) {
	t.Parallel()
	fs := []validation.Finding{
		{DN: "CN=a", Attribute: "proxyAddresses", Value: "smtp:a b@x.com", Fix: validation.Replace, Suggested: "smtp:ab@x.com"},
		{DN: "CN=a", Attribute: "proxyAddresses", Value: "smtp:a b@x.com", Fix: validation.Delete},
	}
	assert.Equal(t, "version: 1\n\ndn: CN=a\nchangetype: modify\ndelete: proxyAddresses\nproxyAddresses: smtp:a b@x.com\n-\n",
		string(validation.AppendFixLDIF(nil, fs)))
}

// A corrected proxy address the object already has is not added twice: the bad value is deleted.
func TestRedundantCorrectionDeletes(t *testing.T) {
	t.Parallel()
	o := withProxies(user("ann"), "SMTP:ann@corp.example.com", "smtp:ANN @corp.example.com")
	fs := validation.Validate(validation.Config{}, []validation.Object{o})
	require.Len(t, fs, 1)
	assert.Equal(t, validation.RuleProxyCharacter, fs[0].Rule)
	assert.Equal(t, validation.Delete, fs[0].Fix)
}
