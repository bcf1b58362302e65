package ldapx

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"testing/synctest"
	"time"

	ldap "github.com/go-ldap/ldap/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodeEntryMessage encodes a SearchResultEntry as a server would.
func encodeEntryMessage(id int64, e Entry) []byte {
	var list []byte
	for _, a := range e.Attributes {
		var vals []byte
		for _, v := range a.Values {
			vals = appendTLV(vals, tagOctetString, v)
		}
		var pa []byte
		pa = appendString(pa, tagOctetString, a.Name)
		pa = appendTLV(pa, tagSet, vals)
		list = appendTLV(list, tagSequence, pa)
	}
	var op []byte
	op = appendString(op, tagOctetString, e.DN)
	op = appendTLV(op, tagSequence, list)
	return encodeMessage(id, appendTLV(nil, tagSearchEntry, op), nil)
}

func encodeDoneMessage(id int64, code ResultCode, diag string, cookie []byte) []byte {
	var res []byte
	res = appendInt(res, tagEnumerated, int64(code))
	res = appendString(res, tagOctetString, "")
	res = appendString(res, tagOctetString, diag)
	var controls []byte
	if cookie != nil {
		var v []byte
		v = appendInt(v, tagInteger, 0)
		v = appendTLV(v, tagOctetString, cookie)
		var c []byte
		c = appendString(c, tagOctetString, oidPaging)
		c = appendTLV(c, tagOctetString, appendTLV(nil, tagSequence, v))
		controls = appendTLV(nil, tagSequence, c)
	}
	return encodeMessage(id, appendTLV(nil, tagSearchDone, res), controls)
}

// decodeAll runs messages (without their outer header) through a pageBuilder.
func decodeAll(t *testing.T, msgs ...[]byte) (*SearchPage, error) {
	t.Helper()
	var b pageBuilder
	for _, m := range msgs {
		_, content, _, err := berTLV(m)
		require.NoError(t, err)
		_, tag, op, controls, err := splitMessage(content)
		if err != nil {
			return nil, err
		}
		switch tag {
		case tagSearchEntry:
			if err := b.addEntry(op); err != nil {
				return nil, err
			}
		case tagSearchReference:
			if err := b.addReference(op); err != nil {
				return nil, err
			}
		case tagSearchDone:
			return b.finish(op, controls)
		}
	}
	return nil, io.ErrUnexpectedEOF
}

var sampleEntry = Entry{DN: "CN=Ann,OU=x,DC=corp", Attributes: []Attribute{
	{Name: "objectGUID", Values: [][]byte{bytes.Repeat([]byte{0x80}, 16)}},
	{Name: "proxyAddresses", Values: [][]byte{[]byte("SMTP:a@x"), []byte("smtp:b@x"), bytes.Repeat([]byte("y"), 300)}},
	{Name: "member;range=0-1499", Values: [][]byte{[]byte("CN=m")}},
}}

func TestWireRoundTrip(t *testing.T) {
	t.Parallel()
	ref := encodeMessage(muxFirstID, appendTLV(nil, tagSearchReference, appendString(nil, tagOctetString, "ldap://other/DC=x")), nil)
	for _, tc := range []struct {
		name    string
		msgs    [][]byte
		want    *SearchPage
		wantErr string
	}{
		{"entry-and-cookie", [][]byte{encodeEntryMessage(7, sampleEntry), ref, encodeDoneMessage(7, 0, "", []byte{1, 2})},
			&SearchPage{Entries: []Entry{sampleEntry}, Referrals: []string{"ldap://other/DC=x"}, Cookie: []byte{1, 2}}, ""},
		{"last-page", [][]byte{encodeDoneMessage(7, 0, "", []byte{})}, &SearchPage{}, ""},
		{"no-control", [][]byte{encodeDoneMessage(7, 0, "", nil)}, &SearchPage{}, ""},
		{"result-error", [][]byte{encodeDoneMessage(7, ResultNoSuchObject, " 0000208D: gone \n", nil)}, nil, "LDAP noSuchObject: 0000208D: gone"},
		{"truncated-entry", [][]byte{encodeEntryMessage(7, sampleEntry)[:40]}, nil, "malformed BER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			msgs := tc.msgs
			if tc.name == "truncated-entry" { // fix the outer length so only the inside is short
				m := msgs[0]
				msgs = [][]byte{appendTLV(nil, tagSequence, m[2:])}
			}
			got, err := decodeAll(t, msgs...)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestEncodeSearchMatchesGoLDAP(t *testing.T) {
	t.Parallel()
	req := &SearchRequest{BaseDN: "DC=corp", Scope: ScopeSub, Filter: "(objectClass=user)", Attributes: []string{"cn", "mail"}, PageSize: 1000, Cookie: []byte{9, 9}}
	f, err := ldap.CompileFilter(req.Filter)
	require.NoError(t, err)
	_, content, rest, err := berTLV(encodeSearch(muxFirstID+3, req, f.Bytes()))
	require.NoError(t, err)
	require.Empty(t, rest)
	id, tag, op, controls, err := splitMessage(content)
	require.NoError(t, err)
	assert.Equal(t, int64(muxFirstID+3), id)
	assert.Equal(t, byte(tagSearchRequest), tag)
	base, _, err := berExpect(op, tagOctetString, "base")
	require.NoError(t, err)
	assert.Equal(t, "DC=corp", string(base))
	cookie, err := pagingCookie(controls)
	require.NoError(t, err)
	assert.Equal(t, []byte{9, 9}, cookie)
}

func TestAppendInt(t *testing.T) {
	t.Parallel()
	for _, v := range []int64{0, 1, 127, 128, 255, 256, -1, -128, -129, muxFirstID, 1<<31 - 1, -1 << 40} {
		b := appendInt(nil, tagInteger, v)
		c, _, err := berExpect(b, tagInteger, "int")
		require.NoError(t, err)
		got, err := berInt(c)
		require.NoError(t, err)
		assert.Equal(t, v, got, "value %d", v)
	}
}

// TestMuxSearch drives muxConn against a scripted server: our search's answer is decoded by
// the mux, and a message for another id is handed through Read unchanged.
func TestMuxSearch(t *testing.T) {
	t.Parallel()
	client, server := net.Pipe()
	m := newMux(client)
	t.Cleanup(func() { m.Close() })
	other := encodeDoneMessage(5, 0, "", nil)
	go func() {
		var hdr [6]byte
		_, n, err := readHeader(server, &hdr)
		if err != nil {
			return
		}
		req := make([]byte, n)
		if _, err := io.ReadFull(server, req); err != nil {
			return
		}
		id, _, _, _, _ := splitMessage(req)
		for _, msg := range [][]byte{other, encodeEntryMessage(id, sampleEntry), encodeDoneMessage(id, 0, "", []byte{7})} {
			if _, err := server.Write(msg); err != nil {
				return
			}
		}
	}()
	page, err := m.search(t.Context(), &SearchRequest{BaseDN: "DC=corp", Scope: ScopeSub, Filter: "(cn=*)", PageSize: 10}, time.Minute, func() { m.Close() })
	require.NoError(t, err)
	assert.Equal(t, []Entry{sampleEntry}, page.Entries)
	assert.Equal(t, []byte{7}, page.Cookie)
	got := make([]byte, len(other))
	_, err = io.ReadFull(m, got)
	require.NoError(t, err)
	assert.Equal(t, other, got)

	// The server going away fails the next search and go-ldap's reads.
	server.Close()
	_, err = m.search(t.Context(), &SearchRequest{BaseDN: "DC=corp", Filter: "(cn=*)"}, time.Minute, func() { m.Close() })
	require.Error(t, err)
	_, err = m.Read(got)
	require.Error(t, err)
}

func TestMuxSearchBadFilter(t *testing.T) {
	t.Parallel()
	client, _ := net.Pipe()
	m := newMux(client)
	t.Cleanup(func() { m.Close() })
	_, err := m.search(t.Context(), &SearchRequest{BaseDN: "DC=corp", Filter: "(cn=*"}, time.Minute, func() {})
	require.Error(t, err)
}

// FuzzDecodeMessage feeds arbitrary bytes to the search-response decoder: it must never panic,
// and a decoded entry re-encodes to the same entry.
func FuzzDecodeMessage(f *testing.F) {
	f.Add(encodeEntryMessage(1, sampleEntry))
	f.Add(encodeDoneMessage(1, 0, "", []byte{1}))
	f.Add(encodeDoneMessage(1, 32, "x", nil))
	f.Add([]byte{0x30, 0x84, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, content, _, err := berTLV(data)
		if err != nil {
			return
		}
		messageID(content)
		_, tag, op, controls, err := splitMessage(content)
		if err != nil {
			return
		}
		var b pageBuilder
		switch tag {
		case tagSearchEntry:
			if b.addEntry(op) == nil {
				e := b.page.Entries[0]
				var again pageBuilder
				_, c2, _, err := berTLV(encodeEntryMessage(1, e))
				require.NoError(t, err)
				_, _, op2, _, err := splitMessage(c2)
				require.NoError(t, err)
				require.NoError(t, again.addEntry(op2))
				require.Equal(t, e.DN, again.page.Entries[0].DN)
				require.Equal(t, len(e.Attributes), len(again.page.Entries[0].Attributes))
			}
		case tagSearchReference:
			_ = b.addReference(op)
		case tagSearchDone:
			_, _ = b.finish(op, controls)
		}
	})
}

func BenchmarkDecodeEntryMessage(b *testing.B) {
	_, content, _, _ := berTLV(encodeEntryMessage(1, sampleEntry))
	b.ReportAllocs()
	var pb pageBuilder
	for b.Loop() {
		if len(pb.page.Entries) == 1000 {
			pb = pageBuilder{names: pb.names}
		}
		_, _, op, _, _ := splitMessage(content)
		if err := pb.addEntry(op); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMuxSearchGivesUp checks the two ways a search stops waiting: a timeout abandons the
// search and keeps the connection, a canceled ctx closes the connection.
func TestMuxSearchGivesUp(t *testing.T) {
	t.Parallel()
	t.Run("timeout-abandons", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			client, server := net.Pipe()
			m := newMux(client)
			defer m.Close()
			abandoned := make(chan byte, 1)
			go func() {
				var hdr [6]byte
				for range 2 { // the search, then the abandon request
					_, n, err := readHeader(server, &hdr)
					if err != nil {
						return
					}
					msg := make([]byte, n)
					if _, err := io.ReadFull(server, msg); err != nil {
						return
					}
					if _, tag, _, _, err := splitMessage(msg); err == nil && tag == tagAbandonRequest {
						abandoned <- tag
					}
				}
			}()
			closed := false
			_, err := m.search(t.Context(), &SearchRequest{BaseDN: "DC=corp", Filter: "(cn=*)"}, time.Minute, func() { closed = true })
			require.Error(t, err)
			assert.Contains(t, err.Error(), "timed out")
			assert.Equal(t, byte(tagAbandonRequest), <-abandoned)
			assert.False(t, closed)
			server.Close()
		})
	})
	t.Run("cancel-closes", func(t *testing.T) {
		t.Parallel()
		client, server := net.Pipe()
		m := newMux(client)
		defer m.Close()
		ctx, cancel := context.WithCancel(t.Context())
		go func() { // cancel once the search is on the wire
			var hdr [6]byte
			if _, n, err := readHeader(server, &hdr); err == nil {
				_, _ = io.ReadFull(server, make([]byte, n))
			}
			cancel()
		}()
		closed := false
		_, err := m.search(ctx, &SearchRequest{BaseDN: "DC=corp", Filter: "(cn=*)"}, time.Minute, func() { closed = true })
		assert.True(t, closed)
		require.ErrorIs(t, err, context.Canceled)
		server.Close()
	})
}

// TestReadHeaderBounds: a message length past maxMessage, including every length that would
// overflow a 32-bit int, is refused before anything is read or allocated for it.
func TestReadHeaderBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		hdr  []byte
		n    int
		msg  string
	}{
		{"short form", []byte{0x30, 0x05}, 5, ""},
		{"at the bound", []byte{0x30, 0x83, 0x80, 0x00, 0x00}, maxMessage, ""},
		{"one past the bound", []byte{0x30, 0x83, 0x80, 0x00, 0x01}, 0, "LDAP message of 8388609 bytes exceeds the 8388608-byte limit"},
		{"64 MiB", []byte{0x30, 0x84, 0x04, 0x00, 0x00, 0x00}, 0, "exceeds the 8388608-byte limit"},
		{"sign bit of a 32-bit int", []byte{0x30, 0x84, 0x80, 0x00, 0x00, 0x00}, 0, "LDAP message of 2147483648 bytes exceeds"},
		{"all ones", []byte{0x30, 0x84, 0xff, 0xff, 0xff, 0xff}, 0, "LDAP message of 4294967295 bytes exceeds"},
		{"five length bytes", []byte{0x30, 0x85, 0, 0, 0, 0, 1}, 0, "bad LDAP message length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hdr [6]byte
			_, n, err := readHeader(bytes.NewReader(tt.hdr), &hdr)
			if tt.msg != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.msg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.n, n)
		})
	}
	// berTLV: an inner length with the sign bit set is "exceeds its container", never a panic.
	_, _, _, err := berTLV([]byte{0x04, 0x84, 0x80, 0x00, 0x00, 0x00, 'x'})
	require.ErrorIs(t, err, errBER)
}
