package graphx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	abs "github.com/microsoft/kiota-abstractions-go"
	khttp "github.com/microsoft/kiota-http-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	core "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/hybridid/hybridid/internal/redact"
)

// DefaultBaseURL is the Microsoft Graph v1.0 endpoint.
const DefaultBaseURL = "https://graph.microsoft.com/v1.0"

// Graph's documented write limit per application per tenant (docs/entra-rules.md §6.5): 3,000 writes
// per 2 min 30 s.
const (
	DefaultWriteBudget       = 3000
	DefaultWriteBudgetPeriod = 150 * time.Second
)

// Client reads and changes one tenant through Microsoft Graph. It is safe for concurrent use.
type Client struct {
	adapter    *core.GraphRequestAdapterBase
	base       string // v1.0 base URL, no trailing slash
	beta       string // beta base URL, no trailing slash
	log        *slog.Logger
	budget     *Budget
	maxRetries int
	pageSize   int
	auth       *tokenAuth
}

type config struct {
	base        string
	log         *slog.Logger
	budgetN     int
	budgetPer   time.Duration
	httpClient  *http.Client
	maxRetries  int
	pageSize    int
	allowHTTP   bool
	budgetGiven bool
}

// Option configures New.
type Option func(*config) error

// WithBaseURL sets the Graph v1.0 base URL (default DefaultBaseURL). It must be an absolute
// http(s) URL whose path ends in /v1.0; the beta base is the same URL ending in /beta.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		p, err := url.Parse(strings.TrimRight(u, "/"))
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return fmt.Errorf("graphx: base URL %q: want an absolute http(s) URL", u)
		}
		if !strings.HasSuffix(p.Path, "/v1.0") {
			return fmt.Errorf("graphx: base URL %q: path must end in /v1.0", u)
		}
		c.base = p.String()
		return nil
	}
}

// WithLogger sets the logger (nil discards). Keys: op, status, objectGUID, immutableID. Tokens
// are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.log = l; return nil }
}

// WithWriteBudget limits the client to n writes per period (token bucket, burst n/10, see
// Budget). Default:
// DefaultWriteBudget per DefaultWriteBudgetPeriod (docs/entra-rules.md §6.5). n <= 0 disables the budget.
func WithWriteBudget(n int, per time.Duration) Option {
	return func(c *config) error {
		if n > 0 && per <= 0 {
			return fmt.Errorf("graphx: write budget period %s: must be positive", per)
		}
		c.budgetN, c.budgetPer, c.budgetGiven = n, per, true
		return nil
	}
}

// WithHTTPClient sets the HTTP client whose transport carries the requests (the SDK's
// middleware is layered on top of its Transport). Default: a client with no timeout of its own;
// use ctx deadlines.
func WithHTTPClient(h *http.Client) Option {
	return func(c *config) error {
		if h == nil {
			return errors.New("graphx: nil HTTP client")
		}
		c.httpClient = h
		return nil
	}
}

// WithMaxRetries sets how many times a throttled (429) request, or a read answered 503/504 or
// dropped, is retried before the error is returned (default 6; 0 disables retries). A write is
// never resent after a 503, a 504 or a lost answer (ErrOutcomeUnknown).
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("graphx: max retries %d: must not be negative", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithPageSize sets $top for list requests (1..999; default 999).
func WithPageSize(n int) Option {
	return func(c *config) error {
		if n < 1 || n > 999 {
			return fmt.Errorf("graphx: page size %d: want 1..999", n)
		}
		c.pageSize = n
		return nil
	}
}

// New returns a Client that authenticates with cred. Requests go through msgraph-sdk-go's
// request adapter (msgraph-sdk-go-core GraphRequestAdapterBase and its default middleware,
// minus kiota's RetryHandler: graphx retries itself, see the package doc).
//
// A bearer token is sent over plain http only to a loopback host (127.0.0.0/8, ::1,
// localhost): New refuses a StaticToken with a plain-http base URL to any other host, naming
// the endpoint, and every request (a followed @odata.nextLink included) is checked again.
func New(cred azcore.TokenCredential, opts ...Option) (*Client, error) {
	if cred == nil {
		return nil, errors.New("graphx: nil credential")
	}
	cfg := config{base: DefaultBaseURL, maxRetries: 6, pageSize: 999}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if !cfg.budgetGiven {
		cfg.budgetN, cfg.budgetPer = DefaultWriteBudget, DefaultWriteBudgetPeriod
	}
	st, static := cred.(staticToken)
	if u, _ := url.Parse(cfg.base); u != nil && u.Scheme != "https" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("graphx: refusing to send a bearer token over plain http to %s (endpoint %s): use https, or a loopback host (127.0.0.1, ::1, localhost)",
			u.Host, cfg.base)
	}
	auth := &tokenAuth{cred: cred, scopes: []string{scopeFor(cfg.base)}}
	if static {
		auth.static = string(st)
	}

	opt := core.GraphClientOptions{GraphServiceVersion: "", GraphServiceLibraryVersion: "hybridid-graphx"}
	var mws []khttp.Middleware
	for _, m := range core.GetDefaultMiddlewaresWithOptions(&opt) {
		if _, isRetry := m.(*khttp.RetryHandler); isRetry {
			continue // graphx retries itself, once per budgeted attempt
		}
		mws = append(mws, m)
	}
	var hc *http.Client
	if cfg.httpClient != nil {
		cp := *cfg.httpClient
		parent := cp.Transport
		if parent == nil {
			parent = http.DefaultTransport
		}
		cp.Transport = khttp.NewCustomTransportWithParentTransport(statusTransport{parent}, mws...)
		hc = &cp
	} else {
		// As core.GetDefaultClient, without its 100 s timeout (use ctx deadlines).
		hc = &http.Client{
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport:     khttp.NewCustomTransportWithParentTransport(statusTransport{khttp.GetDefaultTransport()}, mws...),
		}
	}
	adapter, err := core.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, opt,
		jsonser.NewJsonParseNodeFactory(), jsonser.NewJsonSerializationWriterFactory(), hc)
	if err != nil {
		return nil, fmt.Errorf("graphx: request adapter: %v", err)
	}
	adapter.SetBaseUrl(cfg.base)
	log := cfg.log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Client{
		adapter:    adapter,
		base:       cfg.base,
		beta:       strings.TrimSuffix(cfg.base, "/v1.0") + "/beta",
		log:        log,
		maxRetries: cfg.maxRetries,
		pageSize:   cfg.pageSize,
		auth:       auth,
	}
	if cfg.budgetN > 0 {
		c.budget = NewBudget(cfg.budgetN, cfg.budgetPer)
	}
	return c, nil
}

// BaseURL returns the v1.0 base URL the client talks to.
func (c *Client) BaseURL() string { return c.base }

func scopeFor(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "https" {
		return "https://graph.microsoft.com/.default"
	}
	return "https://" + u.Host + "/.default"
}

// StaticToken returns a credential that always presents token as the bearer token (for the
// fake tenant, for scripts that obtained a token elsewhere). Its String form hides the token.
func StaticToken(token string) azcore.TokenCredential { return staticToken(token) }

type staticToken string

func (s staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if s == "" {
		return azcore.AccessToken{}, errors.New("graphx: empty static token")
	}
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func (s staticToken) String() string   { return "graphx.StaticToken(<redacted>)" }
func (s staticToken) GoString() string { return s.String() }

// tokenAuth is the kiota AuthenticationProvider: it adds the bearer token, and remembers the
// tokens it sent so that server text echoing one can be scrubbed.
type tokenAuth struct {
	cred   azcore.TokenCredential
	static string // the StaticToken, "" for other credentials
	scopes []string
	last   atomic.Pointer[string] // the last token obtained from cred
}

func (a *tokenAuth) AuthenticateRequest(ctx context.Context, ri *abs.RequestInformation, _ map[string]any) error {
	u, err := ri.GetUri()
	if err != nil {
		return err
	}
	if u.Scheme != "https" && !isLoopback(u.Hostname()) {
		return &authError{msg: "refusing to send a bearer token over plain " + u.Scheme + " to " + u.Host +
			": use https, or a loopback host (127.0.0.1, ::1, localhost)", insecure: true}
	}
	tok, err := a.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: a.scopes})
	if err != nil {
		return &authError{msg: "get token: " + err.Error()}
	}
	if tok.Token != a.static {
		t := tok.Token
		a.last.Store(&t)
	}
	ri.Headers.Add("Authorization", "Bearer "+tok.Token)
	return nil
}

// secrets are the tokens this client has sent (the static one, the last one obtained).
func (a *tokenAuth) secrets() []string {
	out := []string{a.static}
	if p := a.last.Load(); p != nil {
		out = append(out, *p)
	}
	return out
}

// scrub makes server-supplied (or SDK) text safe for an error or a log: the client's tokens
// and any credential are masked, control characters escaped (internal/redact).
func (c *Client) scrub(s string) string {
	if s == "" {
		return s
	}
	return redact.Text(s, c.auth.secrets()...)
}

// authError is a failure to authenticate a request before it was sent.
type authError struct {
	msg      string
	insecure bool
}

func (e *authError) Error() string { return e.msg }

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// request is one Graph call.
type request struct {
	op      string
	target  string
	method  string
	url     string // absolute
	body    []byte
	headers map[string]string
	writes  int // writes the call costs against the budget
}

var errorMapping = abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

// do sends r through the SDK adapter with budget, retry and error mapping, and returns the
// response body (nil for 204).
func (c *Client) do(ctx context.Context, r request) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		if r.writes > 0 && c.budget != nil {
			if err := c.budget.Wait(ctx, r.writes); err != nil {
				return nil, &OpError{Op: r.op, Target: r.target, Err: err, Message: "waiting for write budget"}
			}
		}
		body, err := c.send(ctx, r)
		if err == nil {
			return body, nil
		}
		oe := c.opError(r, err)
		if ctx.Err() != nil {
			oe.Err = ctx.Err()
			return nil, oe
		}
		if r.method != http.MethodGet && sentWithoutAnswer(oe, err) {
			// The write may have been made: never resend it without a re-read (the caller's).
			oe.Err = ErrOutcomeUnknown
			c.log.LogAttrs(ctx, slog.LevelWarn, "graph write outcome unknown; not resent", slog.String("op", r.op),
				slog.Int("status", oe.Status), slog.Int("attempt", attempt+1))
			return nil, oe
		}
		if !c.retryable(r, oe) || attempt >= c.maxRetries {
			c.log.LogAttrs(ctx, slog.LevelDebug, "graph request failed", slog.String("op", r.op),
				slog.Int("status", oe.Status), slog.String("code", oe.Code), slog.Int("attempt", attempt+1))
			return nil, oe
		}
		wait := oe.Wait
		if wait <= 0 {
			wait = backoff(attempt)
		}
		if oe.Status == http.StatusTooManyRequests && c.budget != nil {
			c.budget.Pause(wait)
		}
		c.log.LogAttrs(ctx, slog.LevelInfo, "graph request retried", slog.String("op", r.op),
			slog.Int("status", oe.Status), slog.Duration("wait", wait), slog.Int("attempt", attempt+1))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			oe.Err = ctx.Err()
			return nil, oe
		case <-t.C:
		}
	}
}

// retryable: a 429 is resent (Graph did not carry the request out); a read is resent after a
// 503, a 504 or no answer; a write only after a 429 (see sentWithoutAnswer).
func (c *Client) retryable(r request, e *OpError) bool {
	switch e.Status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return r.method == http.MethodGet
	case 0:
		return r.method == http.MethodGet && errors.Is(e.Err, ErrUnavailable)
	}
	return false
}

// sentWithoutAnswer reports a failure after which a request may have been carried out: a 5xx
// (a gateway or the service gave up, perhaps after applying it), or a transport failure other
// than a failed dial (a timeout, a dropped connection).
func sentWithoutAnswer(e *OpError, err error) bool {
	switch {
	case e.Status >= 500:
		return true
	case e.Status == 0:
		var ae *authError
		if errors.As(err, &ae) {
			return false
		}
		var ne *net.OpError
		return !(errors.As(err, &ne) && ne.Op == "dial")
	}
	return false
}

// backoff is exponential (1 s doubling, capped at 32 s) with jitter in [d/2, d).
func backoff(attempt int) time.Duration {
	d := time.Second << min(attempt, 5)
	return d/2 + rand.N(d/2)
}

// statusKey carries a *statusBox in a request's context: statusTransport records there the
// status of the answer, so that an error the SDK could not parse (an error body that is not
// Graph's JSON) still has its HTTP status.
type statusKey struct{}

type statusBox struct{ status atomic.Int32 }

type statusTransport struct{ next http.RoundTripper }

func (t statusTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(r)
	if err == nil {
		if b, ok := r.Context().Value(statusKey{}).(*statusBox); ok {
			b.status.Store(int32(res.StatusCode))
		}
	}
	return res, err
}

// sendError is an SDK error together with the HTTP status of the answer (0: none arrived).
type sendError struct {
	err    error
	status int
}

func (e *sendError) Error() string { return e.err.Error() }
func (e *sendError) Unwrap() error { return e.err }

func (c *Client) send(ctx context.Context, r request) ([]byte, error) {
	box := &statusBox{}
	ctx = context.WithValue(ctx, statusKey{}, box)
	ri := abs.NewRequestInformation()
	ri.Method = methodOf(r.method)
	u, err := url.Parse(r.url)
	if err != nil {
		return nil, err
	}
	ri.SetUri(*u)
	ri.Headers.Add("Accept", "application/json")
	for k, v := range r.headers {
		ri.Headers.Add(k, v)
	}
	if r.body != nil {
		ri.Content = r.body
		ri.Headers.Add("Content-Type", "application/json")
	}
	res, err := c.adapter.SendPrimitive(ctx, ri, "[]byte", errorMapping)
	if err != nil {
		return nil, &sendError{err: err, status: int(box.status.Load())}
	}
	b, _ := res.([]byte)
	return b, nil
}

func methodOf(m string) abs.HttpMethod {
	switch m {
	case http.MethodPost:
		return abs.POST
	case http.MethodPatch:
		return abs.PATCH
	case http.MethodDelete:
		return abs.DELETE
	case http.MethodPut:
		return abs.PUT
	default:
		return abs.GET
	}
}

// opError converts an SDK or transport error into an *OpError. The SDK error's text goes into
// Message; the SDK error itself is not wrapped.
func (c *Client) opError(r request, err error) *OpError {
	oe := &OpError{Op: r.op, Target: r.target}
	var headers *abs.ResponseHeaders
	var od *odataerrors.ODataError
	var api *abs.ApiError
	var ae *authError
	switch {
	case errors.As(err, &ae):
		oe.Message = c.scrub(ae.msg)
		oe.Err = ErrForbidden
		if ae.insecure {
			oe.Err = ErrBadRequest
		}
		return oe
	case errors.As(err, &od):
		oe.Status = od.ResponseStatusCode
		headers = od.ResponseHeaders
		if me := od.GetErrorEscaped(); me != nil {
			oe.Code = c.scrub(deref(me.GetCode()))
			oe.Message = c.scrub(deref(me.GetMessage()))
			if ie := me.GetInnerError(); ie != nil {
				oe.RequestID = c.scrub(deref(ie.GetRequestId()))
			}
		}
	case errors.As(err, &api):
		oe.Status = api.ResponseStatusCode
		headers = api.ResponseHeaders
		oe.Message = c.scrub(api.Message)
	default:
		oe.Message = c.scrub(err.Error())
		var se *sendError
		if errors.As(err, &se) && se.status >= 300 {
			// An answer came but its body was not Graph's error JSON.
			oe.Status = se.status
			oe.Message = c.scrub("unreadable error body: " + se.err.Error())
		}
	}
	if headers != nil {
		if v := headers.Get("retry-after"); len(v) > 0 {
			oe.Wait = parseRetryAfter(v[0], time.Now())
		}
		if oe.RequestID == "" {
			if v := headers.Get("request-id"); len(v) > 0 {
				oe.RequestID = c.scrub(v[0])
			}
		}
	}
	oe.Err = classify(oe.Status, oe.Code, oe.Message)
	return oe
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
