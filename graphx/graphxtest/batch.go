package graphxtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

type batchItem struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

type batchAnswer struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// serveBatch answers POST /$batch (docs/entra-rules.md §6.4): at most 20 items, each evaluated (and
// throttled) on its own; the envelope answers 200 even when items fail.
func (f *Fake) serveBatch(w http.ResponseWriter, r *http.Request, reqID, version string, body []byte) {
	var req struct {
		Requests []batchItem `json:"requests"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		f.writeError(w, reqID, apiError{http.StatusBadRequest, "BadRequest", "Invalid batch payload: " + err.Error(), 0})
		return
	}
	if len(req.Requests) == 0 || len(req.Requests) > MaxBatch {
		f.writeError(w, reqID, apiError{http.StatusBadRequest, "BadRequest", "Invalid batch payload format: a batch must hold 1 to 20 requests.", 0})
		return
	}
	seen := map[string]bool{}
	for _, it := range req.Requests {
		// Ids are compared case-insensitively ("a" and "A" collide), the stricter reading.
		key := strings.ToLower(it.ID)
		if it.ID == "" || seen[key] {
			f.writeError(w, reqID, apiError{http.StatusBadRequest, "BadRequest", "Batch request ids must be present and unique: '" + it.ID + "'.", 0})
			return
		}
		seen[key] = true
	}
	var partial bool
	partialStatus := http.StatusServiceUnavailable
	if ft := f.fault(OpBatch, ""); ft != nil {
		if ft.Delay > 0 {
			time.Sleep(ft.Delay)
		}
		switch {
		case ft.Drop:
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			w.WriteHeader(dropStatus)
			return
		case ft.PartialBatch:
			if ft.Status != 0 {
				partialStatus = ft.Status
			}
		case ft.Status != 0:
			code := ft.Code
			if code == "" {
				code = defaultCode(ft.Status)
			}
			f.writeError(w, reqID, apiError{ft.Status, code, "Injected fault.", ft.RetryAfter})
			return
		}
		partial = ft.PartialBatch
	}
	base := baseOf(r, version)
	answers := make([]batchAnswer, 0, len(req.Requests))
	for i, it := range req.Requests {
		a := batchAnswer{ID: it.ID}
		itemID := f.newRequestID()
		if partial && i >= len(req.Requests)/2 {
			a.Status = partialStatus
			a.Headers = map[string]string{"Retry-After": "1", "Content-Type": "application/json"}
			a.Body = errorBody(apiError{status: partialStatus, code: defaultCode(partialStatus), msg: "Injected partial batch failure."}, itemID, f.now())
			answers = append(answers, a)
			continue
		}
		u, err := url.Parse(it.URL)
		if err != nil || u.IsAbs() {
			a.Status = http.StatusBadRequest
			a.Body = errorBody(apiError{status: 400, code: "BadRequest", msg: "Batch item url must be relative."}, itemID, f.now())
			answers = append(answers, a)
			continue
		}
		path := u.Path
		if len(path) == 0 || path[0] != '/' {
			path = "/" + path
		}
		h := http.Header{}
		for k, v := range it.Headers {
			h.Set(k, v) // header names are case-insensitive
		}
		if len(it.Body) > 0 && h.Get("Content-Type") == "" {
			a.Status = http.StatusBadRequest
			a.Body = errorBody(apiError{status: 400, code: "BadRequest", msg: "Content-Type header is required for a batch item with a body."}, itemID, f.now())
			answers = append(answers, a)
			continue
		}
		res := f.serve(r, itemID, call{method: it.Method, version: version, path: path, query: u.RawQuery,
			header: h, body: it.Body, base: base, inBatch: true})
		// Every item answer carries its own headers, as Graph's do.
		a.Headers = map[string]string{"Cache-Control": "no-cache", "x-ms-resource-unit": "1"}
		for k, v := range res.headers {
			a.Headers[k] = v
		}
		switch {
		case res.drop:
			a.Status = http.StatusGatewayTimeout
			a.Body = errorBody(apiError{status: 504, code: "gatewayTimeout", msg: "Injected dropped item."}, itemID, f.now())
		case res.err != nil:
			a.Status = res.err.status
			if res.err.retryAfter > 0 {
				a.Headers["Retry-After"] = strconv.Itoa(int((res.err.retryAfter + time.Second - 1) / time.Second))
			}
			a.Headers["Content-Type"] = "application/json"
			a.Body = errorBody(*res.err, itemID, f.now())
		default:
			a.Status = res.status
			if res.body != nil {
				a.Headers["Content-Type"] = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
				a.Headers["OData-Version"] = "4.0"
				a.Body = res.body
			}
		}
		answers = append(answers, a)
	}
	// Graph may answer items out of order; the fake answers them in reverse to keep clients honest.
	for i, j := 0, len(answers)-1; i < j; i, j = i+1, j-1 {
		answers[i], answers[j] = answers[j], answers[i]
	}
	b, _ := json.Marshal(map[string]any{"responses": answers})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
