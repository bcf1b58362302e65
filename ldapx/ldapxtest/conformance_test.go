package ldapxtest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/ldapx"
	"github.com/hybridid/hybridid/ldapx/ldapxtest"
)

func TestConformanceFake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		exchange bool
	}{{"plain-schema", false}, {"exchange-schema", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ldapxtest.Conformance(t, func(t *testing.T) ldapxtest.Target {
				var opts []ldapxtest.Option
				if tc.exchange {
					opts = append(opts, ldapxtest.WithExchangeSchema())
				}
				d := ldapxtest.NewDirectory(opts...)
				return ldapxtest.Target{Conn: d, BaseDN: d.BaseDN(), Exchange: tc.exchange}
			})
		})
	}
}

func TestConformanceSamba(t *testing.T) {
	s := ldapxtest.StartSamba(t)
	for _, tc := range []struct {
		name string
		url  string
	}{{"ldaps", s.URL}, {"starttls", s.StartTLSURL}} {
		t.Run(tc.name, func(t *testing.T) {
			ldapxtest.Conformance(t, func(t *testing.T) ldapxtest.Target {
				conn, err := ldapx.DialConn(t.Context(), tc.url, ldapx.WithCAFile(s.CAFile), ldapx.WithSimpleBind(s.BindDN, s.Password))
				require.NoError(t, err)
				t.Cleanup(func() { conn.Close() })
				return ldapxtest.Target{Conn: conn, BaseDN: s.BaseDN}
			})
		})
	}
}
