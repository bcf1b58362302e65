package graphxtest

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hybridid/hybridid/snapshot"
)

// Defaults of the fake.
const (
	DefaultPageSize      = 100 // Graph's default page of users
	MaxPageSize          = 999 // Graph's largest $top for directory objects
	RestoreWindow        = 30 * 24 * time.Hour
	DefaultDisablePeriod = 72 * time.Hour // docs/entra-rules.md §4b: "up to 72 hours"
	MaxBatch             = 20
)

// Option configures a Fake.
type Option func(*Fake) error

// WithClock sets the clock (default time.Now, which testing/synctest also controls).
func WithClock(now func() time.Time) Option {
	return func(f *Fake) error { f.now = now; return nil }
}

// WithSeed loads the tenant from a snapshot (deep copy; the snapshot is not kept).
func WithSeed(s *snapshot.Snapshot) Option {
	return func(f *Fake) error { return f.seed(s) }
}

// WithWriteRate limits writes to n per period (token bucket, burst n): a write beyond it gets
// 429 with Retry-After. n <= 0 means no limit (the default).
func WithWriteRate(n int, per time.Duration) Option {
	return func(f *Fake) error {
		if n > 0 && per <= 0 {
			return fmt.Errorf("graphxtest: write rate period %s must be positive", per)
		}
		if n > 0 {
			f.rate, f.burst, f.tokens = float64(n)/per.Seconds(), float64(n), float64(n)
		}
		return nil
	}
}

// WithDisablePeriod sets how long a tenant-wide sync disable stays pending (default 72 h).
func WithDisablePeriod(d time.Duration) Option {
	return func(f *Fake) error { f.disablePeriod = d; return nil }
}

// WithInterceptor adds a fault injector, consulted before every operation (batch items too);
// the first non-nil Fault any interceptor returns is applied.
func WithInterceptor(fn InterceptFunc) Option {
	return func(f *Fake) error { f.intercept = append(f.intercept, fn); return nil }
}

// Fake is the in-memory tenant and its Graph HTTP handler. Create it with New (no listener,
// for in-process transports and testing/synctest) or NewServer (an httptest server).
type Fake struct {
	mu            sync.Mutex
	now           func() time.Time
	intercept     []InterceptFunc
	funcs         Funcs
	disablePeriod time.Duration

	org          snapshot.Organization
	disableUntil time.Time // pending tenant-wide disable ends at this time
	sync         snapshot.OnPremisesSynchronization
	users        []*snapshot.User
	userIdx      map[string]int
	objectIDs    map[string]string // user id -> onPremisesObjectIdentifier (beta); absent: unknown, "": null
	groups       []*snapshot.Group
	contacts     []*snapshot.Contact
	deleted      []*snapshot.User
	roles        []snapshot.RoleAssignment
	eligible     []snapshot.RoleEligibility // nil: not seeded, the endpoint answers 403
	roleDefs     []snapshot.RoleDefinition  // nil: not seeded, the endpoint answers 403
	members      []snapshot.GroupMember     // nil: not seeded, group members answer 403
	cloudManaged map[string]bool            // object id -> onPremisesSyncBehavior.isCloudManaged

	rate, burst, tokens float64
	last                time.Time

	reqSeq    atomic.Int64
	writes    []AppliedWrite
	throttled atomic.Int64
	requests  atomic.Int64
}

// AppliedWrite records one write the fake accepted.
type AppliedWrite struct {
	Op     string // operation name (see Op constants)
	Target string // object id
	Body   string // the request body as received
	At     time.Time
}

// New returns a Fake with no listener.
func New(opts ...Option) (*Fake, error) {
	f := &Fake{now: time.Now, disablePeriod: DefaultDisablePeriod, userIdx: map[string]int{},
		objectIDs: map[string]string{}, cloudManaged: map[string]bool{}}
	f.org = snapshot.Organization{ID: "00000000-0000-0000-0000-0000000000aa", DisplayName: "Fake Tenant",
		VerifiedDomains: []snapshot.VerifiedDomain{{Name: "fake.onmicrosoft.com", IsDefault: true, IsInitial: true, Type: "Managed"}}}
	for _, o := range opts {
		if err := o(f); err != nil {
			return nil, err
		}
	}
	if f.sync.ID == "" {
		f.sync.ID = f.org.ID
	}
	f.last = f.now()
	return f, nil
}

// Server is a Fake behind an httptest server. URL is the Graph v1.0 base URL
// (…/v1.0); BetaURL the beta one.
type Server struct {
	*Fake
	URL     string
	BetaURL string
	srv     *httptest.Server
}

// NewServer starts a fake Graph server, closed when the test ends. It fails the test on a bad
// option or seed.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	f, err := New(opts...)
	if err != nil {
		tb.Fatalf("graphxtest.NewServer: %v", err)
	}
	s := &Server{Fake: f, srv: httptest.NewServer(f)}
	s.URL, s.BetaURL = s.srv.URL+"/v1.0", s.srv.URL+"/beta"
	tb.Cleanup(s.srv.Close)
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Transport returns a RoundTripper that serves requests with the fake in-process (no sockets),
// for tests under testing/synctest. Use it with base URL "http://localhost/v1.0" (graphx sends a
// token over plain http to a loopback host only; the host is not dialled).
func (f *Fake) Transport() http.RoundTripper { return roundTripper{f} }

type roundTripper struct{ f *Fake }

func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	rt.f.ServeHTTP(rec, r)
	if rec.Code == dropStatus {
		return nil, io.ErrUnexpectedEOF
	}
	res := rec.Result()
	res.Request = r
	return res, nil
}

// dropStatus marks a dropped connection in the in-process transport.
const dropStatus = 999

func (f *Fake) seed(s *snapshot.Snapshot) error {
	if s == nil {
		return nil
	}
	if s.Organization.ID != "" {
		f.org = cloneOrg(s.Organization)
	}
	f.sync = s.OnPremisesSynchronization
	if f.sync.ID == "" {
		f.sync.ID = f.org.ID
	}
	f.users, f.userIdx = nil, map[string]int{}
	seen := map[string]string{}
	check := func(path, id string) error {
		if id == "" {
			return fmt.Errorf("graphxtest: seed %s: missing id", path)
		}
		if p, dup := seen[id]; dup {
			return fmt.Errorf("graphxtest: seed %s: duplicate id %q (also %s)", path, id, p)
		}
		seen[id] = path
		return nil
	}
	for i, u := range s.Users {
		if err := check(fmt.Sprintf("users[%d]", i), u.ID); err != nil {
			return err
		}
		cu := f.takeObjectID(cloneUser(u))
		if u.OnPremisesSyncBehavior != nil && u.OnPremisesSyncBehavior.IsCloudManaged {
			f.cloudManaged[u.ID] = true
		}
		cu.OnPremisesSyncBehavior = nil
		f.userIdx[u.ID] = len(f.users)
		f.users = append(f.users, cu)
	}
	for i, g := range s.Groups {
		if err := check(fmt.Sprintf("groups[%d]", i), g.ID); err != nil {
			return err
		}
		cg := g
		cg.ProxyAddresses = slices.Clone(g.ProxyAddresses)
		if g.OnPremisesSyncBehavior != nil && g.OnPremisesSyncBehavior.IsCloudManaged {
			f.cloudManaged[g.ID] = true
		}
		cg.OnPremisesSyncBehavior = nil
		f.groups = append(f.groups, &cg)
	}
	for i, c := range s.Contacts {
		if err := check(fmt.Sprintf("contacts[%d]", i), c.ID); err != nil {
			return err
		}
		cc := c
		cc.ProxyAddresses = slices.Clone(c.ProxyAddresses)
		if c.OnPremisesSyncBehavior != nil && c.OnPremisesSyncBehavior.IsCloudManaged {
			f.cloudManaged[c.ID] = true
		}
		cc.OnPremisesSyncBehavior = nil
		f.contacts = append(f.contacts, &cc)
	}
	for i, u := range s.DeletedUsers {
		if err := check(fmt.Sprintf("deletedUsers[%d]", i), u.ID); err != nil {
			return err
		}
		f.deleted = append(f.deleted, f.takeObjectID(cloneUser(u)))
	}
	f.roles = slices.Clone(s.RoleAssignments)
	f.eligible = cloneNil(s.RoleEligibilities)
	f.roleDefs = cloneNil(s.RoleDefinitions)
	f.members = cloneNil(s.GroupMembers)
	return nil
}

// cloneNil clones s keeping nil apart from empty (nil: the seed does not say).
func cloneNil[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// takeObjectID moves a user's onPremisesObjectIdentifier into f.objectIDs (the fake keeps the
// beta property apart from the v1.0 object).
func (f *Fake) takeObjectID(u *snapshot.User) *snapshot.User {
	if u.OnPremisesObjectIdentifier != nil {
		f.objectIDs[u.ID] = *u.OnPremisesObjectIdentifier
	}
	u.OnPremisesObjectIdentifier = nil
	return u
}

// objectIDLocked returns a user's onPremisesObjectIdentifier in the snapshot convention.
func (f *Fake) objectIDLocked(id string) *string {
	v, ok := f.objectIDs[id]
	if !ok {
		return nil
	}
	return &v
}

func cloneUser(u snapshot.User) *snapshot.User {
	c := u
	c.ProxyAddresses = slices.Clone(u.ProxyAddresses)
	c.Extra = maps.Clone(u.Extra)
	return &c
}

func cloneOrg(o snapshot.Organization) snapshot.Organization {
	c := o
	c.VerifiedDomains = slices.Clone(o.VerifiedDomains)
	c.Extra = maps.Clone(o.Extra)
	return c
}

// Snapshot exports the current state (taken at the fake's clock).
func (f *Fake) Snapshot() *snapshot.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tickLocked()
	s := &snapshot.Snapshot{TakenAt: f.now().UTC(), Organization: cloneOrg(f.org), OnPremisesSynchronization: f.sync,
		Users: []snapshot.User{}, Groups: []snapshot.Group{}, Contacts: []snapshot.Contact{}, DeletedUsers: []snapshot.User{},
		RoleAssignments: slices.Clone(f.roles), RoleEligibilities: cloneNil(f.eligible), RoleDefinitions: cloneNil(f.roleDefs),
		GroupMembers: cloneNil(f.members)}
	if s.RoleAssignments == nil {
		s.RoleAssignments = []snapshot.RoleAssignment{}
	}
	for _, u := range f.users {
		c := *cloneUser(*u)
		c.OnPremisesSyncBehavior = f.behaviorLocked(u.ID)
		c.OnPremisesObjectIdentifier = f.objectIDLocked(u.ID)
		s.Users = append(s.Users, c)
	}
	for _, g := range f.groups {
		c := *g
		c.ProxyAddresses = slices.Clone(g.ProxyAddresses)
		c.OnPremisesSyncBehavior = f.behaviorLocked(g.ID)
		s.Groups = append(s.Groups, c)
	}
	for _, ct := range f.contacts {
		c := *ct
		c.ProxyAddresses = slices.Clone(ct.ProxyAddresses)
		c.OnPremisesSyncBehavior = f.behaviorLocked(ct.ID)
		s.Contacts = append(s.Contacts, c)
	}
	for _, u := range f.deleted {
		c := *cloneUser(*u)
		c.OnPremisesObjectIdentifier = f.objectIDLocked(u.ID)
		s.DeletedUsers = append(s.DeletedUsers, c)
	}
	return s
}

func (f *Fake) behaviorLocked(id string) *snapshot.SyncBehavior {
	if f.cloudManaged[id] {
		return &snapshot.SyncBehavior{IsCloudManaged: true}
	}
	return nil
}

// User returns a copy of an active user.
func (f *Fake) User(id string) (snapshot.User, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tickLocked()
	i, ok := f.userIdx[id]
	if !ok {
		return snapshot.User{}, false
	}
	u := *cloneUser(*f.users[i])
	u.OnPremisesSyncBehavior = f.behaviorLocked(id)
	u.OnPremisesObjectIdentifier = f.objectIDLocked(id)
	return u, true
}

// AddUser adds (or replaces) an active user.
func (f *Fake) AddUser(u snapshot.User) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if u.OnPremisesSyncBehavior != nil && u.OnPremisesSyncBehavior.IsCloudManaged {
		f.cloudManaged[u.ID] = true
	}
	c := f.takeObjectID(cloneUser(u))
	c.OnPremisesSyncBehavior = nil
	if i, ok := f.userIdx[u.ID]; ok {
		f.users[i] = c
		return
	}
	f.userIdx[u.ID] = len(f.users)
	f.users = append(f.users, c)
}

// DeleteUser soft-deletes an active user at the fake's clock (as sync does for an object that
// left scope); it reports whether the user existed.
func (f *Fake) DeleteUser(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, ok := f.userIdx[id]
	if !ok {
		return false
	}
	u := f.users[i]
	f.removeUserLocked(i)
	t := f.now().UTC()
	u.DeletedDateTime = &t
	f.deleted = append(f.deleted, u)
	return true
}

func (f *Fake) removeUserLocked(i int) {
	id := f.users[i].ID
	f.users = slices.Delete(f.users, i, i+1)
	delete(f.userIdx, id)
	for j := i; j < len(f.users); j++ {
		f.userIdx[f.users[j].ID] = j
	}
}

// SetObjectIdentifier sets a user's onPremisesObjectIdentifier (served on beta only; "" means null).
func (f *Fake) SetObjectIdentifier(userID, v string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objectIDs[userID] = v
}

// ObjectIdentifier returns a user's onPremisesObjectIdentifier ("" when null or unknown).
func (f *Fake) ObjectIdentifier(userID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.objectIDs[userID]
}

// Writes returns the writes accepted so far, in order.
func (f *Fake) Writes() []AppliedWrite {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.writes)
}

// Throttled returns how many requests (or batch items) were answered 429 by the write limiter.
func (f *Fake) Throttled() int64 { return f.throttled.Load() }

// Requests returns how many HTTP requests reached the fake (batch envelopes count once).
func (f *Fake) Requests() int64 { return f.requests.Load() }

// tickLocked applies what the clock implies: a pending tenant disable completes; deleted users
// older than the restore window are purged.
func (f *Fake) tickLocked() {
	now := f.now()
	if !f.disableUntil.IsZero() && !now.Before(f.disableUntil) {
		f.disableUntil = time.Time{}
		for _, u := range f.users {
			if u.OnPremisesSyncEnabled != nil && *u.OnPremisesSyncEnabled {
				fls := false
				u.OnPremisesSyncEnabled = &fls
				// docs/entra-rules.md §4b: the disable clears these on-premises properties.
				u.OnPremisesDistinguishedName, u.OnPremisesSamAccountName, u.OnPremisesUserPrincipalName = "", "", ""
			}
		}
	}
	f.deleted = slices.DeleteFunc(f.deleted, func(u *snapshot.User) bool {
		return u.DeletedDateTime != nil && now.Sub(*u.DeletedDateTime) > RestoreWindow
	})
}

// takeWriteLocked takes one write token, or returns the wait before one is available.
func (f *Fake) takeWriteLocked() time.Duration {
	if f.rate == 0 {
		return 0
	}
	now := f.now()
	f.tokens = min(f.burst, f.tokens+now.Sub(f.last).Seconds()*f.rate)
	f.last = now
	if f.tokens >= 1 {
		f.tokens--
		return 0
	}
	return time.Duration((1 - f.tokens) / f.rate * float64(time.Second))
}

// readBody reads a request body, gunzipping it when the SDK compressed it.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	var rd io.Reader = r.Body
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, err
		}
		rd = zr
	}
	return io.ReadAll(io.LimitReader(rd, 4<<20))
}

// apiError is a Graph error answer.
type apiError struct {
	status     int
	code, msg  string
	retryAfter time.Duration
}

func (f *Fake) writeError(w http.ResponseWriter, reqID string, e apiError) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if e.retryAfter > 0 {
		secs := int((e.retryAfter + time.Second - 1) / time.Second)
		h.Set("Retry-After", strconv.Itoa(secs))
	}
	w.WriteHeader(e.status)
	w.Write(errorBody(e, reqID, f.now()))
}

func errorBody(e apiError, reqID string, now time.Time) []byte {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"code": e.code, "message": e.msg,
		"innerError": map[string]string{"request-id": reqID, "client-request-id": reqID, "date": now.UTC().Format("2006-01-02T15:04:05")}}})
	return b
}

func (f *Fake) newRequestID() string {
	n := f.reqSeq.Add(1)
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
}

// ServeHTTP serves the Graph subset.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	reqID := f.newRequestID()
	w.Header().Set("request-id", reqID)
	w.Header().Set("client-request-id", reqID)
	auth := r.Header.Get("Authorization")
	if tok, ok := strings.CutPrefix(auth, "Bearer "); !ok || strings.TrimSpace(tok) == "" {
		f.writeError(w, reqID, apiError{http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.", 0})
		return
	}
	body, err := readBody(r)
	if err != nil {
		f.writeError(w, reqID, apiError{http.StatusBadRequest, "BadRequest", "Unreadable request body: " + err.Error(), 0})
		return
	}
	version, path, ok := splitVersion(r.URL.Path)
	if !ok {
		f.writeError(w, reqID, apiError{http.StatusNotFound, "BadRequest", "Invalid version: " + r.URL.Path, 0})
		return
	}
	if r.Method == http.MethodPost && path == "/$batch" {
		f.serveBatch(w, r, reqID, version, body)
		return
	}
	res := f.serve(r, reqID, call{method: r.Method, version: version, path: path, query: r.URL.RawQuery,
		header: r.Header, body: body, base: baseOf(r, version)})
	if res.drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		w.WriteHeader(dropStatus)
		return
	}
	for k, v := range res.headers {
		w.Header().Set(k, v)
	}
	if res.err != nil {
		f.writeError(w, reqID, *res.err)
		return
	}
	if res.body == nil {
		w.WriteHeader(res.status)
		return
	}
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal")
	w.WriteHeader(res.status)
	w.Write(res.body)
}

func splitVersion(p string) (version, rest string, ok bool) {
	for _, v := range []string{"/v1.0", "/beta"} {
		if r, found := strings.CutPrefix(p, v); found && (r == "" || r[0] == '/') {
			return v[1:], r, true
		}
	}
	return "", "", false
}

func baseOf(r *http.Request, version string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/" + version
}

// call is one operation (a request, or a batch item).
type call struct {
	method, version, path, query string
	header                       http.Header
	body                         []byte
	base                         string
	inBatch                      bool
}

// result is an operation's answer.
type result struct {
	status  int
	body    []byte
	headers map[string]string
	err     *apiError
	drop    bool
}

func errResult(status int, code, msg string) result {
	return result{err: &apiError{status: status, code: code, msg: msg}}
}

func jsonResult(status int, v any) result {
	b, err := json.Marshal(v)
	if err != nil {
		return errResult(http.StatusInternalServerError, "InternalServerError", err.Error())
	}
	return result{status: status, body: b}
}
