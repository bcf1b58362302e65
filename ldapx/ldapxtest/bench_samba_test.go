package ldapxtest_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

// TestBenchLDAP compares ldapx with ldapsearch on the same Samba DC. It runs only when
// HYBRIDID_BENCH_LDAP is set to the number of users (scripts/bench-ldap).
func TestBenchLDAP(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("HYBRIDID_BENCH_LDAP"))
	if n <= 0 {
		t.Skip("set HYBRIDID_BENCH_LDAP=<users> (scripts/bench-ldap)")
	}
	s := ldapxtest.StartSamba(t)
	t.Logf("samba provision+start: %v", s.Startup)
	env := append(os.Environ(), "LDAPTLS_CACERT="+s.CAFile)
	for _, size := range []int{n / 5, n} {
		ou := fmt.Sprintf("OU=bench%d,%s", size, s.BaseDN)
		var ldif bytes.Buffer
		fmt.Fprintf(&ldif, "dn: %s\nobjectClass: organizationalUnit\n\n", ou)
		for i := range size {
			fmt.Fprintf(&ldif, "dn: CN=u%06d,%s\nobjectClass: user\nsAMAccountName: b%d-%06d\nuserPrincipalName: u%06d@b%d.example.test\nmail: u%06d@b%d.example.test\nproxyAddresses: SMTP:u%06d@b%d.example.test\ngivenName: U\nsn: N%06d\ndisplayName: User %06d\n\n",
				i, ou, size, i, i, size, i, size, i, size, i, i)
		}
		begin := time.Now()
		add := exec.Command("ldapadd", "-x", "-H", s.URL, "-D", s.BindDN, "-y", pwFile(t, s.Password))
		add.Env, add.Stdin = env, &ldif
		out, err := add.CombinedOutput()
		require.NoError(t, err, "%s", out)
		t.Logf("ldapadd %d users: %v", size, time.Since(begin))

		attrs := []string{"objectClass", "objectGUID", "mS-DS-ConsistencyGuid", "userPrincipalName", "proxyAddresses", "mail", "mailNickname", "sAMAccountName", "objectSid", "userAccountControl", "displayName", "givenName", "sn"}
		filter := "(|(&(objectClass=user)(!(objectClass=computer)))(objectClass=group)(objectClass=contact))"
		args := append([]string{"-x", "-LLL", "-H", s.URL, "-D", s.BindDN, "-y", pwFile(t, s.Password), "-E", "pr=1000/noprompt", "-b", ou, filter}, attrs...)
		var best [2]time.Duration
		for round := 0; round < 3; round++ {
			search := exec.Command("ldapsearch", args...)
			search.Env = env
			var sout bytes.Buffer
			search.Stdout = &sout
			begin = time.Now()
			require.NoError(t, search.Run())
			d := time.Since(begin)
			got := strings.Count(sout.String(), "\ndn: ") + 1
			require.GreaterOrEqual(t, got, size)
			if best[0] == 0 || d < best[0] {
				best[0] = d
			}

			// Timed like ldapsearch: connect, bind, read everything, close; nothing else.
			begin = time.Now()
			count := readAll(t, s, ou, nil)
			d = time.Since(begin)
			require.Equal(t, size, count)
			if best[1] == 0 || d < best[1] {
				best[1] = d
			}
		}
		// Memory is sampled in a separate, untimed read: a GC every 200 objects and the peak of
		// the live heap, so that sampling does not slow the timed reads.
		var heapMax uint64
		readAll(t, s, ou, func(n int) {
			if n%200 == 0 {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heapMax = max(heapMax, ms.HeapAlloc)
			}
		})
		t.Logf("users=%d ldapsearch=%v ldapx=%v ratio(ldapsearch/ldapx)=%.2f ldapx-live-heap-max=%.1fMiB",
			size, best[0], best[1], float64(best[0])/float64(best[1]), float64(heapMax)/(1<<20))
	}
}

// readAll reads every object under ou with ldapx and returns how many there were; each is
// passed to sample (if not nil) with its number.
func readAll(t *testing.T, s *ldapxtest.Samba, ou string, sample func(int)) int {
	t.Helper()
	c, err := ldapx.Dial(t.Context(), s.URL, ldapx.WithCAFile(s.CAFile), ldapx.WithSimpleBind(s.BindDN, s.Password))
	require.NoError(t, err)
	defer c.Close()
	count := 0
	for _, err := range c.Objects(t.Context(), ou) {
		require.NoError(t, err)
		count++
		if sample != nil {
			sample(count)
		}
	}
	return count
}

func pwFile(t *testing.T, pw string) string {
	t.Helper()
	f := t.TempDir() + "/pw"
	require.NoError(t, os.WriteFile(f, []byte(pw), 0o600))
	return f
}
