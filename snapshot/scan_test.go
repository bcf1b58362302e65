package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameAsEncodingJSON checks that Read (element scanner, fast path) gives what encoding/json
// alone gives for in: the same Snapshot, or an error with the same sentinel and the same
// message (so the same JSON path and byte offset). It reads in whole, one byte at a time, and
// in pieces of a few bytes, so that the scanner meets every way an element can be cut.
func sameAsEncodingJSON(t *testing.T, in []byte) {
	t.Helper()
	want, _, wantErr := read(bytes.NewReader(in), "d.json", true, false)
	readers := map[string]io.Reader{
		"whole":    bytes.NewReader(in),
		"one byte": iotest.OneByteReader(bytes.NewReader(in)),
		"halves":   iotest.HalfReader(bytes.NewReader(in)),
		"data+EOF": iotest.DataErrReader(bytes.NewReader(in)),
	}
	for name, r := range readers {
		got, _, err := read(r, "d.json", false, false)
		if wantErr != nil {
			if err == nil {
				t.Fatalf("%s: encoding/json refuses %q (%v), Read accepts it", name, in, wantErr)
			}
			for _, s := range []error{ErrSyntax, ErrType, ErrDuplicate, ErrInvalid} {
				if errors.Is(err, s) != errors.Is(wantErr, s) {
					t.Fatalf("%s: on %q: sentinel differs: %v, encoding/json: %v", name, in, err, wantErr)
				}
			}
			if err.Error() != wantErr.Error() {
				t.Fatalf("%s: on %q:\n got %v\nwant %v", name, in, err, wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: encoding/json accepts %q, Read refuses it: %v", name, in, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: on %q:\n got %#v\nwant %#v", name, in, got, want)
		}
	}
	// ReadRecords: the same error, or what Tenant and Cloud give.
	tenant, cloud, err := ReadRecords(iotest.HalfReader(bytes.NewReader(in)), "d.json")
	if wantErr != nil {
		if err == nil || err.Error() != wantErr.Error() {
			t.Fatalf("ReadRecords on %q: got %v, want %v", in, err, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatalf("ReadRecords refuses %q: %v", in, err)
	}
	wantCloud, err := want.Cloud()
	if err != nil {
		t.Fatalf("Cloud after Read: %v", err)
	}
	if !reflect.DeepEqual(tenant, want.Tenant()) {
		t.Fatalf("ReadRecords on %q: tenant\n got %#v\nwant %#v", in, tenant, want.Tenant())
	}
	if !reflect.DeepEqual(cloud, wantCloud) {
		t.Fatalf("ReadRecords on %q: records\n got %#v\nwant %#v", in, cloud, wantCloud)
	}
}

const takenAt = `"takenAt": "2026-11-24T10:00:00Z"`

func TestScanMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	big := `{"id": "big", "x": "` + strings.Repeat("a", 3<<20) + `"}`
	tests := []struct{ name, in string }{
		{"empty arrays", `{` + takenAt + `, "users": [], "groups": [ ], "roleEligibilities": [ ] }`},
		{"white space", "{" + takenAt + ",\n \"users\" :\t[\r\n {\"id\" : \"a\" } ,\n{ \"id\":\"b\",\"proxyAddresses\" : [ \"x\" , \"y\" ] }\n]\n}\n"},
		{"every shape", `{` + takenAt + `, "users": [{"id": "u", "onPremisesSyncBehavior": {"isCloudManaged": true}, "x": [1, -2.5e+3, 0, true, false, null, {"a": {}}, []]}, {"id": "v", "displayName": "a\u00e9\"\\\/\b\f\n\r\t"}], "groups": [{"id": "g"}], "contacts": [{"id": "c"}], "deletedUsers": [{"id": "d"}], "roleAssignments": [{"id": "r"}], "roleEligibilities": [{"id": "e"}], "roleDefinitions": [{"id": "d"}], "groupMembers": [{"groupId": "g", "memberId": "u"}]}`},
		{"null elements", `{` + takenAt + `, "users": [{"id": "u"}, null]}`},
		{"number element", `{` + takenAt + `, "users": [{"id": "u"}, 1]}`},
		{"string element", `{` + takenAt + `, "users": ["u"]}`},
		{"trailing comma", `{` + takenAt + `, "users": [{"id": "u"},]}`},
		{"missing comma", `{` + takenAt + `, "users": [{"id": "u"} {"id": "v"}]}`},
		{"wrong close", `{` + takenAt + `, "users": [{"id": "u"}}`},
		{"wrong close in element", `{` + takenAt + `, "users": [{"id": "u"]]}`},
		{"truncated element", `{` + takenAt + `, "users": [{"id": "u"}, {"id": "v`},
		{"truncated after comma", `{` + takenAt + `, "users": [{"id": "u"},`},
		{"truncated after element", `{` + takenAt + `, "users": [{"id": "u"}`},
		{"control character", "{" + takenAt + ", \"users\": [{\"id\": \"u\x01\"}]}"},
		{"bad escape", `{` + takenAt + `, "users": [{"id": "u\x"}]}`},
		{"short unicode escape", `{` + takenAt + `, "users": [{"id": "u\u12"}]}`},
		{"leading zero", `{` + takenAt + `, "users": [{"id": "u", "x": 01}]}`},
		{"bare minus", `{` + takenAt + `, "users": [{"id": "u", "x": -}]}`},
		{"bare point", `{` + takenAt + `, "users": [{"id": "u", "x": 1.}]}`},
		{"bare exponent", `{` + takenAt + `, "users": [{"id": "u", "x": 1e}]}`},
		{"bad word", `{` + takenAt + `, "users": [{"id": "u", "x": tru}]}`},
		{"word run on", `{` + takenAt + `, "users": [{"id": "u", "x": truex}]}`},
		{"key not a string", `{` + takenAt + `, "users": [{id: "u"}]}`},
		{"missing colon", `{` + takenAt + `, "users": [{"id" "u"}]}`},
		{"invalid UTF-8", "{" + takenAt + ", \"users\": [{\"id\": \"u\xff\"}]}"},
		{"deep", `{` + takenAt + `, "users": [{"id": "u", "x": ` + strings.Repeat("[", 1500) + strings.Repeat("]", 1500) + `}]}`},
		{"too deep", `{` + takenAt + `, "users": [{"id": "u", "x": ` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}]}`},
		{"element larger than the buffer", `{` + takenAt + `, "users": [{"id": "a"}, ` + big + `, {"id": "b"}]}`},
		{"duplicate after fallback", `{` + takenAt + `, "users": [{"id": "u"}, null, {"id": "u"}]}`},
		{"objects out of order", `{` + takenAt + `, "deletedUsers": [{"id": "d", "onPremisesObjectIdentifier": null}], "contacts": [{"id": "c", "mail": "c@b"}], "users": [{"id": "u", "onPremisesImmutableId": "IkTni9mw7Ee4YefeGpz7IA=="}], "groups": [{"id": "g", "onPremisesImmutableId": "EMP-1"}]}`},
		{"members after arrays", `{"users": [{"id": "u"}], ` + takenAt + `, "zz": [1, {"a": 2}], "groups": [{"id": "g"}]}`},
		{"garbage after", `{` + takenAt + `, "users": [{"id": "u"}]} x`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sameAsEncodingJSON(t, []byte(tt.in))
		})
	}
}

func TestScanValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		st   int
		used int // bytes of a valid value
	}{
		{`{}`, scanOK, 2},
		{`{"a":[1,2.5,-0,1e5,1E-5,true,false,null,"x\u00e9"]} tail`, scanOK, 51},
		{`{"a":1`, scanShort, 0},
		{`{"a":12`, scanShort, 0},
		{`{"a":"\`, scanShort, 0},
		{`{"a":"\u00`, scanShort, 0},
		{`{"a":tr`, scanShort, 0},
		{`{"a":1,}`, scanBad, 0},
		{`{"a" 1}`, scanBad, 0},
		{`{"a":[1 2]}`, scanBad, 0},
		{`{"a":+1}`, scanBad, 0},
		{"{\"a\":\"\t\"}", scanBad, 0},
	}
	for _, tt := range tests {
		end, st := scanValue([]byte(tt.in), 0)
		assert.Equal(t, tt.st, st, tt.in)
		if st == scanOK {
			assert.Equal(t, tt.used, end, tt.in)
		}
	}
}

func TestReadSizeGuess(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{` + takenAt + `, "users": [`)
	for i := range 3 * guessAfter {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"id": "u` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `-` + itoa(i) + `"}`)
	}
	b.WriteString(`], "roleAssignments": [`)
	for i := range 40 * guessAfter {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"id": "r` + itoa(i) + `"}`)
	}
	b.WriteString(`]}`)
	s, err := Read(strings.NewReader(b.String()), "g.json")
	require.NoError(t, err)
	assert.Len(t, s.Users, 3*guessAfter)
	assert.LessOrEqual(t, cap(s.Users), len(s.Users)+len(s.Users)/8+1024, "a guess far too high is trimmed")
	assert.Len(t, s.RoleAssignments, 40*guessAfter)
	assert.Equal(t, "r"+itoa(40*guessAfter-1), s.RoleAssignments[len(s.RoleAssignments)-1].ID)
}

func itoa(i int) string { return strconv.Itoa(i) }

// FuzzReadScan is the differential test of the element scanner and the fast path: Read must
// give what encoding/json alone gives, value or error.
func FuzzReadScan(f *testing.F) {
	for _, seed := range []string{
		`{` + takenAt + `, "users": [{"id": "u", "proxyAddresses": ["SMTP:a@b"], "accountEnabled": true}, {"id": "v"}]}`,
		`{` + takenAt + `, "users": [{"id": "u", "x": [1, -2.5e+3, {"a": null}]}, null]}`,
		`{` + takenAt + `, "groups": [{"id": "g", "mailEnabled": true}], "contacts": [{"id": "c"} , {"id": "d"}]}`,
		`{` + takenAt + `, "roleAssignments": [{"id": "r"}], "roleEligibilities": [], "groupMembers": [{"groupId": "g", "memberId": "u"}]}`,
		`{` + takenAt + `, "users": [{"id": "u\u0041", "ID": "v"}], "deletedUsers": [{"id": "u"}]}`,
		`{` + takenAt + `, "users": [{"id": "u"},]}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sameAsEncodingJSON(t, []byte(in))
	})
}

func TestStringStop(t *testing.T) {
	t.Parallel()
	naive := func(b []byte, i int) int {
		for ; i < len(b); i++ {
			if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
				return i
			}
		}
		return i
	}
	alphabet := []byte{'a', 'z', '"', '\\', 0, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xc3, 0xff, '!', '#'}
	for n := range 40 {
		for seed := range 200 {
			b := make([]byte, n)
			x := uint32(seed*7919 + n*104729 + 1)
			for k := range b {
				x ^= x << 13
				x ^= x >> 17
				x ^= x << 5
				b[k] = alphabet[x%uint32(len(alphabet))]
				if x%5 != 0 {
					b[k] = 'a' + byte(x%26)
				}
			}
			for i := 0; i <= n; i += 3 {
				require.Equal(t, naive(b, i), stringStop(b, i), "%q from %d", b, i)
			}
		}
	}
}

// stuck returns nothing and no error, for ever.
type stuck struct{}

func (stuck) Read([]byte) (int, error) { return 0, nil }

func TestReadNoProgress(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{``, `{` + takenAt + `, "users": [`, `{` + takenAt + `, "users": [{"id": "u"}, {"id"`} {
		_, err := Read(io.MultiReader(strings.NewReader(prefix), stuck{}), "s.json")
		require.Error(t, err, prefix)
		assert.ErrorContains(t, err, io.ErrNoProgress.Error(), prefix)
		_, _, err = ReadRecords(io.MultiReader(strings.NewReader(prefix), stuck{}), "s.json")
		assert.ErrorContains(t, err, io.ErrNoProgress.Error(), prefix)
	}
}

func TestReadRecordsMatchesCloud(t *testing.T) {
	t.Parallel()
	for _, in := range [][]byte{mustRead(t, "testdata/full.json"), benchInput(3 * guessAfter)} {
		s, err := Read(bytes.NewReader(in), "t.json")
		require.NoError(t, err)
		want, err := s.Cloud()
		require.NoError(t, err)
		tenant, got, err := ReadRecords(bytes.NewReader(in), "t.json")
		require.NoError(t, err)
		assert.Equal(t, s.Tenant(), tenant)
		assert.Equal(t, want, got)
		sameAsEncodingJSON(t, in)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// benchInput is a snapshot of n users, n/4 groups and n/4 deleted users in the shape of a
// generated tenant.
func benchInput(n int) []byte {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.WriteHeader(&Snapshot{TakenAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Organization: Organization{ID: "t"}})
	yes := true
	last := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	id := func(i int) string { return "00000000-0000-4000-8000-" + strconv.Itoa(1e11+i) }
	for i := range n {
		upn := "user" + strconv.Itoa(i) + "@contoso.example"
		w.WriteUser(&User{ID: id(i), UserPrincipalName: upn, Mail: upn, ProxyAddresses: []string{"SMTP:" + upn},
			OnPremisesSyncEnabled: &yes, OnPremisesLastSyncDateTime: &last, AccountEnabled: &yes, UserType: "Member"})
	}
	for i := range n / 4 {
		w.WriteGroup(&Group{ID: id(n + i), DisplayName: "g" + strconv.Itoa(i), SecurityEnabled: true})
	}
	for i := range n / 4 {
		w.WriteDeletedUser(&User{ID: id(2*n + i), DeletedDateTime: &last})
	}
	w.Close()
	return b.Bytes()
}

func TestDecodeFastIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		user bool
	}{
		{"sync behavior", `{"id":"u","onPremisesSyncBehavior":{"isCloudManaged":true}}`, true},
		{"sync behavior with more", `{"id":"u","onPremisesSyncBehavior":{"isCloudManaged":false,"x":[1]}}`, true},
		{"empty sync behavior", `{"id":"u","onPremisesSyncBehavior":{}}`, true},
		{"sync behavior null", `{"id":"u","onPremisesSyncBehavior":null}`, false},
		{"sync behavior twice", `{"id":"u","onPremisesSyncBehavior":{},"onPremisesSyncBehavior":{}}`, false},
		{"cloud managed twice", `{"id":"u","onPremisesSyncBehavior":{"isCloudManaged":true,"isCloudManaged":false}}`, false},
		{"cloud managed in another case", `{"id":"u","onPremisesSyncBehavior":{"IsCloudManaged":true}}`, false},
		{"cloud managed not a boolean", `{"id":"u","onPremisesSyncBehavior":{"isCloudManaged":1}}`, false},
		{"shared strings", `{"id":"u","userPrincipalName":"a@b","mail":"a@b","onPremisesUserPrincipalName":"a@b","proxyAddresses":["SMTP:a@b","a@b"]}`, true},
		{"escape elsewhere", `{"id":"u","x":"\n","displayName":"d"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.True(t, json.Valid([]byte(tt.in)))
			assert.Equal(t, tt.user, checkAllFast(t, []byte(tt.in), true)["user"])
		})
	}
}

// FuzzDecodeFastIn checks that the fast path as Read calls it never gives a value
// UnmarshalJSON would not.
func FuzzDecodeFastIn(f *testing.F) {
	f.Add(`{"id":"u","userPrincipalName":"a@b","mail":"a@b","proxyAddresses":["SMTP:a@b"],"onPremisesSyncBehavior":{"isCloudManaged":true}}`)
	f.Add(`{"id":"g","mailEnabled":false,"onPremisesSyncBehavior":{"x":{"a":[1,"\""]}}}`)
	f.Add(`{"id":"c","onPremisesSyncBehavior":{"isCloudManaged":false},"onPremisesLastSyncDateTime":"2026-07-14T23:00:00Z"}`)
	f.Fuzz(func(t *testing.T, in string) {
		b := bytes.TrimSpace([]byte(in))
		if !json.Valid(b) || len(b) == 0 || b[0] != '{' {
			return // Read hands the fast path only valid objects
		}
		checkAllFast(t, b, true)
	})
}
