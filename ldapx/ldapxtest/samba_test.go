package ldapxtest_test

import (
	"os"
	"testing"

	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

func TestMain(m *testing.M) { os.Exit(ldapxtest.SambaMain(m)) }

func TestStartSamba(t *testing.T) {
	s := ldapxtest.StartSamba(t)
	t.Logf("Samba AD DC ready at %s in %v", s.URL, s.Startup)
	if s.URL == "" || s.CAFile == "" || s.BaseDN == "" {
		t.Fatalf("incomplete Samba: %+v", s)
	}
}
