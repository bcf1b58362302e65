package ldapx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/conversion"
)

// pagedConn serves n entries in pages and can fail the page with index failAt.
type pagedConn struct {
	Conn
	n, failAt int
}

func (p *pagedConn) Search(ctx context.Context, req *SearchRequest) (*SearchPage, error) {
	start := 0
	if len(req.Cookie) > 0 {
		start, _ = strconv.Atoi(string(req.Cookie))
	}
	if p.failAt >= 0 && start/req.PageSize == p.failAt {
		return nil, &ResultError{Code: ResultBusy, Message: "server busy"}
	}
	page := &SearchPage{}
	for i := start; i < p.n && i < start+req.PageSize; i++ {
		page.Entries = append(page.Entries, testEntry(i))
	}
	if start+req.PageSize < p.n {
		page.Cookie = []byte(strconv.Itoa(start + req.PageSize))
	}
	page.Referrals = []string{"ldaps://elsewhere/CN=Configuration"}
	return page, nil
}

func testEntry(i int) Entry {
	g := make([]byte, 16)
	g[0] = byte(i)
	return Entry{DN: fmt.Sprintf("CN=u%d,DC=x", i), Attributes: []Attribute{
		{Name: "objectClass", Values: [][]byte{[]byte("top"), []byte("person"), []byte("user")}},
		{Name: "objectGUID", Values: [][]byte{g}},
		{Name: "userPrincipalName", Values: [][]byte{fmt.Appendf(nil, "u%d@x.test", i)}},
		{Name: "proxyAddresses", Values: [][]byte{[]byte("SMTP:u@x.test"), []byte("smtp:v@x.test")}},
		{Name: "userAccountControl", Values: [][]byte{[]byte("512")}},
		{Name: "objectSid", Values: [][]byte{{1, 2, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0xe9, 3, 0, 0}}},
	}}
}

func TestObjectsPaging(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		n, failAt int
		wantN     int
		wantErr   error
	}{
		{"complete", 2500, -1, 2500, nil},
		{"empty", 0, -1, 0, nil},
		{"interrupted-between-pages", 2500, 2, 2000, ErrThrottled},
		{"fails-first-page", 10, 0, 0, ErrThrottled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(&pagedConn{n: tc.n, failAt: tc.failAt})
			require.NoError(t, err)
			got, errs := 0, 0
			for r, err := range c.Objects(t.Context(), "DC=x") {
				if err != nil {
					errs++
					assert.ErrorIs(t, err, tc.wantErr)
					var oe *OpError
					require.ErrorAs(t, err, &oe)
					assert.Equal(t, ResultBusy, oe.Code)
					_, ok := oe.RetryAfter()
					assert.False(t, ok, "LDAP names no wait")
					continue
				}
				got++
				assert.True(t, r.Enabled)
			}
			assert.Equal(t, tc.wantN, got)
			assert.Equal(t, tc.wantErr != nil, errs == 1, "the error is yielded exactly once")
		})
	}
}

func TestObjectsStopEarly(t *testing.T) {
	t.Parallel()
	c, err := New(&pagedConn{n: 5000, failAt: -1})
	require.NoError(t, err)
	n := 0
	for range c.Objects(t.Context(), "DC=x") {
		n++
		if n == 3 {
			break
		}
	}
	assert.Equal(t, 3, n)
}

func TestDecode(t *testing.T) {
	t.Parallel()
	e := testEntry(7)
	r, err := decodeEntry(&e, "src", "")
	require.NoError(t, err)
	assert.Equal(t, "S-1-5-21-1001", r.ObjectSID)
	assert.True(t, r.MailEnabled)
	assert.Equal(t, "u7@x.test", r.UserPrincipalName)

	for _, tc := range []struct{ name, attr string }{
		{"short-guid", "objectGUID"}, {"bad-consistency", "mS-DS-ConsistencyGuid"},
		{"bad-sid", "objectSid"}, {"bad-uac", "userAccountControl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := testEntry(1)
			e.Attributes = append(e.Attributes, Attribute{Name: tc.attr, Values: [][]byte{[]byte("xyz")}})
			for i := range e.Attributes {
				if e.Attributes[i].Name == tc.attr {
					e.Attributes[i].Values = [][]byte{[]byte("xyz")}
				}
			}
			_, err := decodeEntry(&e, "src", "")
			require.ErrorIs(t, err, ErrInvalid)
			assert.Contains(t, err.Error(), tc.attr)
			assert.Contains(t, err.Error(), e.DN)
		})
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"page-too-big", []Option{WithPageSize(1001)}},
		{"page-zero", []Option{WithPageSize(0)}},
		{"conn-option-in-New", []Option{WithTimeout(5)}},
		{"bind-in-New", []Option{WithSimpleBind("cn=x", "pw")}},
		{"bad-custom-attr", []Option{WithCustomAnchor("a b")}},
		{"empty-bind", []Option{WithSimpleBind("", "")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(&pagedConn{}, tc.opts...)
			assert.Error(t, err)
		})
	}
}

func TestDialRefusesPlaintextBind(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	_, err = Dial(t.Context(), "ldap://"+ln.Addr().String(), WithoutStartTLS(), WithSimpleBind("cn=admin", "secret-pw"))
	require.ErrorIs(t, err, ErrInsecure)
	assert.NotContains(t, err.Error(), "secret-pw")

	_, err = Dial(t.Context(), "http://x", WithSimpleBind("cn=admin", "secret-pw"))
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestDialCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Dial(ctx, "ldaps://127.0.0.1:1")
	require.Error(t, err)
}

func TestCreateUserPasswordNeedsTLS(t *testing.T) {
	t.Parallel()
	c, err := New(plainConn{})
	require.NoError(t, err)
	_, err = c.CreateUser(t.Context(), NewUser{OU: "DC=x", CN: "a", SAMAccountName: "a", Password: "pw-secret"})
	require.ErrorIs(t, err, ErrInsecure)
	assert.NotContains(t, err.Error(), "pw-secret")
}

type plainConn struct{ Conn }

func (plainConn) Encrypted() bool { return false }

func TestParseRange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		name string
		hi   int
		ok   bool
	}{
		{"proxyAddresses;range=0-1499", "proxyAddresses", 1499, true},
		{"member;range=1500-*", "member", -1, true},
		{"proxyAddresses", "proxyAddresses", 0, false},
		{"x;binary", "x;binary", 0, false},
		{"x;range=0-", "x", 0, false},
		{"x;range=abc", "x", 0, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			name, hi, ok := parseRange(tc.in)
			assert.Equal(t, tc.ok, ok)
			if ok {
				assert.Equal(t, tc.name, name)
				assert.Equal(t, tc.hi, hi)
			}
		})
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"a;range=0-1499", "a;range=5-*", "a", ";", "a;range=-", "a;range=99999999999999999999-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, hi, ok := parseRange(s)
		if ok && hi < -1 {
			t.Fatalf("hi %d", hi)
		}
	})
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{1, 1, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0}, []byte("512"), make([]byte, 16))
	f.Add([]byte{}, []byte("x"), []byte{1})
	f.Fuzz(func(t *testing.T, sid, uac, guid []byte) {
		e := Entry{DN: "CN=f", Attributes: []Attribute{
			{Name: "objectSid", Values: [][]byte{sid}}, {Name: "userAccountControl", Values: [][]byte{uac}},
			{Name: "objectGUID", Values: [][]byte{guid}},
		}}
		r, err := decodeEntry(&e, "", "")
		if err == nil && len(guid) == 16 {
			b := r.ObjectGUID.Bytes()
			if string(b[:]) != string(guid) {
				t.Fatal("objectGUID bytes changed")
			}
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("unexpected error %v", err)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	e := testEntry(3)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeEntry(&e, "src", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkObjects(b *testing.B) {
	c, err := New(&pagedConn{n: 10000, failAt: -1})
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range c.Objects(b.Context(), "DC=x") {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestErrorsMatchConversion: every LDAP result the conversion apply loop must treat as "the
// write did not happen" matches conversion's sentinel as well as ours.
func TestErrorsMatchConversion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code      ResultCode
		ours, cnv error
	}{
		{ResultNoSuchObject, ErrNotFound, conversion.ErrNotFound},
		{ResultNoSuchAttribute, ErrConflict, conversion.ErrConflict},
		{ResultAttributeOrValueExists, ErrConflict, conversion.ErrConflict},
		{ResultEntryAlreadyExists, ErrConflict, conversion.ErrConflict},
		{ResultInsufficientAccess, ErrForbidden, conversion.ErrForbidden},
		{ResultBusy, ErrThrottled, conversion.ErrThrottled},
		{ResultUnwillingToPerform, ErrReadOnly, conversion.ErrReadOnly},
		{ResultReferral, ErrReadOnly, conversion.ErrReadOnly},
	} {
		t.Run(tc.code.String(), func(t *testing.T) {
			t.Parallel()
			err := opError("ldapx.Test", "CN=x", &ResultError{Code: tc.code, Message: "m"})
			assert.ErrorIs(t, err, tc.ours)
			assert.ErrorIs(t, err, tc.cnv)
			assert.NotErrorIs(t, err, conversion.ErrStalePlan)
		})
	}
	assert.NotErrorIs(t, opError("ldapx.Test", "", &ResultError{Code: ResultOther}), conversion.ErrConflict)
	assert.NotErrorIs(t, ErrInvalid, conversion.ErrNotFound)
}
