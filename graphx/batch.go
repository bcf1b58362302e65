package graphx

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxBatch is Graph's limit of requests in one JSON batch (docs/entra-rules.md §6.4).
const MaxBatch = 20

type batchRequest struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

type batchResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// Batch sends writes in JSON batches of up to MaxBatch (POST /$batch). It returns one error per
// write, in the order given: nil for success, an *OpError otherwise. Items Graph throttles
// (429 per item) are resent after their Retry-After (or a backoff), up to the client's retry
// limit; each item counts against the write budget on every attempt. An item answered 503 or
// 504, or missing from the answer, and every item of a batch whose envelope got no definite
// answer, fail with ErrOutcomeUnknown and are not resent. The second result
// is non-nil only when ctx ended. Beta writes are sent alone (a batch has one version).
func (c *Client) Batch(ctx context.Context, writes []Write) ([]error, error) {
	errs := make([]error, len(writes))
	var pending []int
	for i, w := range writes {
		if w.beta {
			errs[i] = c.Apply(ctx, w)
			continue
		}
		pending = append(pending, i)
	}
	for len(pending) > 0 {
		n := min(MaxBatch, len(pending))
		chunk := pending[:n]
		pending = pending[n:]
		if err := c.batchChunk(ctx, writes, chunk, errs); err != nil {
			return errs, err
		}
	}
	return errs, nil
}

func (c *Client) batchChunk(ctx context.Context, writes []Write, chunk []int, errs []error) error {
	todo := chunk
	for attempt := 0; len(todo) > 0; attempt++ {
		if c.budget != nil {
			if err := c.budget.Wait(ctx, len(todo)); err != nil {
				return err
			}
		}
		reqs := make([]batchRequest, len(todo))
		for k, i := range todo {
			w := writes[i]
			reqs[k] = batchRequest{ID: strconv.Itoa(i), Method: w.method, URL: w.path, Body: w.body}
			if w.body != nil {
				reqs[k].Headers = map[string]string{"Content-Type": "application/json"}
			}
		}
		payload, _ := json.Marshal(map[string]any{"requests": reqs})
		body, err := c.do(ctx, request{op: "Batch", method: http.MethodPost, url: c.base + "/$batch", body: payload})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			for _, i := range todo {
				oe := *err.(*OpError)
				oe.Op, oe.Target = writes[i].Op, writes[i].Target
				errs[i] = &oe
			}
			return nil
		}
		var resp struct {
			Responses []batchResponse `json:"responses"`
		}
		if err := json.Unmarshal(body, &resp); err != nil {
			for _, i := range todo {
				errs[i] = &OpError{Op: writes[i].Op, Target: writes[i].Target, Status: http.StatusOK, Err: ErrOutcomeUnknown,
					Message: c.scrub("decoding batch response: " + err.Error())}
			}
			return nil
		}
		got := make(map[int]batchResponse, len(resp.Responses))
		for _, r := range resp.Responses {
			if i, err := strconv.Atoi(r.ID); err == nil {
				got[i] = r
			}
		}
		var retry []int
		var wait time.Duration
		for _, i := range todo {
			r, ok := got[i]
			w := writes[i]
			switch {
			case !ok:
				errs[i] = &OpError{Op: w.Op, Target: w.Target, Err: ErrOutcomeUnknown, Message: "no response for this item in the batch"}
			case r.Status < 300:
				errs[i] = nil
			default:
				oe := c.itemError(w, r)
				errs[i] = oe
				if r.Status >= 500 {
					oe.Err = ErrOutcomeUnknown // may have been made: never resent without a re-read
				}
				if r.Status == http.StatusTooManyRequests && attempt < c.maxRetries {
					retry = append(retry, i)
					wait = max(wait, oe.Wait)
				}
			}
		}
		if len(retry) == 0 {
			return nil
		}
		if wait <= 0 {
			wait = backoff(attempt)
		} else if c.budget != nil {
			c.budget.Pause(wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		todo = retry
	}
	return nil
}

func (c *Client) itemError(w Write, r batchResponse) *OpError {
	oe := &OpError{Op: w.Op, Target: w.Target, Status: r.Status}
	var e struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID string `json:"request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	if json.Unmarshal(r.Body, &e) == nil {
		oe.Code, oe.Message, oe.RequestID = c.scrub(e.Error.Code), c.scrub(e.Error.Message), c.scrub(e.Error.InnerError.RequestID)
	}
	for k, v := range r.Headers {
		switch strings.ToLower(k) {
		case "retry-after":
			oe.Wait = parseRetryAfter(v, time.Now())
		case "request-id":
			if oe.RequestID == "" {
				oe.RequestID = c.scrub(v)
			}
		}
	}
	oe.Err = classify(oe.Status, oe.Code, oe.Message)
	return oe
}
