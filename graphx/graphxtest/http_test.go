package graphxtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hybridid/hybridid/graphx/graphxtest"
)

// TestGraphShapes checks wire-level behaviours that graphx never provokes on purpose.
func TestGraphShapes(t *testing.T) {
	t.Parallel()
	batch := func(n int) string {
		var items []string
		for i := range n {
			items = append(items, fmt.Sprintf(`{"id":"%d","method":"GET","url":"/organization"}`, i))
		}
		return `{"requests":[` + strings.Join(items, ",") + `]}`
	}
	cases := []struct {
		name       string
		method     string
		path, body string
		header     map[string]string
		wantStatus int
		wantCode   string
		check      func(t *testing.T, body map[string]any)
	}{
		{name: "default user properties exclude on-premises ones (§6.1)", method: "GET", path: "/users/u-synced", wantStatus: 200,
			check: func(t *testing.T, b map[string]any) {
				assert.Contains(t, b, "userPrincipalName")
				assert.NotContains(t, b, "onPremisesImmutableId")
				assert.Contains(t, b, "@odata.context")
			}},
		{name: "selected but unset property is null", method: "GET", path: "/users/u-cloud?$select=id,onPremisesImmutableId", wantStatus: 200,
			check: func(t *testing.T, b map[string]any) {
				v, ok := b["onPremisesImmutableId"]
				assert.True(t, ok)
				assert.Nil(t, v)
			}},
		{name: "proxyAddresses any() without ConsistencyLevel is refused", method: "GET",
			path: "/users?$filter=proxyAddresses/any(p:p%20eq%20'smtp:x@y')", wantStatus: 400, wantCode: "Request_UnsupportedQuery"},
		{name: "$count without ConsistencyLevel is refused", method: "GET", path: "/users?$count=true", wantStatus: 400},
		{name: "$count with eventual consistency", method: "GET", path: "/users?$count=true&$top=1", header: map[string]string{"ConsistencyLevel": "eventual"}, wantStatus: 200,
			check: func(t *testing.T, b map[string]any) {
				assert.EqualValues(t, 3, b["@odata.count"])
				assert.Contains(t, b, "@odata.nextLink")
			}},
		{name: "$top above 999 is refused", method: "GET", path: "/users?$top=1000", wantStatus: 400},
		{name: "deleted items need a type cast (§6.2)", method: "GET", path: "/directory/deletedItems", wantStatus: 400},
		{name: "batch of 20 is accepted", method: "POST", path: "/$batch", body: batch(20), wantStatus: 200,
			check: func(t *testing.T, b map[string]any) { assert.Len(t, b["responses"], 20) }},
		{name: "batch of 21 is refused (§6.4)", method: "POST", path: "/$batch", body: batch(21), wantStatus: 400},
		{name: "batch ids must be unique", method: "POST", path: "/$batch",
			body: `{"requests":[{"id":"1","method":"GET","url":"/organization"},{"id":"1","method":"GET","url":"/organization"}]}`, wantStatus: 400},
		{name: "batch item with body needs Content-Type", method: "POST", path: "/$batch",
			body: `{"requests":[{"id":"1","method":"PATCH","url":"/users/u-cloud","body":{"displayName":"x"}}]}`, wantStatus: 200,
			check: func(t *testing.T, b map[string]any) {
				item := b["responses"].([]any)[0].(map[string]any)
				assert.EqualValues(t, 400, item["status"])
			}},
		{name: "read-only property", method: "PATCH", path: "/users/u-cloud", body: `{"proxyAddresses":["SMTP:x@y"]}`, wantStatus: 400},
		{name: "immutable id with '_' is refused (§1.7)", method: "PATCH", path: "/users/u-cloud", body: `{"onPremisesImmutableId":"a_b"}`, wantStatus: 400},
		{name: "object identifier only on beta, only null", method: "PATCH", path: "/users/u-cloud", body: `{"onPremisesObjectIdentifier":null}`, wantStatus: 400},
		{name: "unknown segment", method: "GET", path: "/nothing", wantStatus: 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := graphxtest.NewServer(t, graphxtest.WithSeed(seed(time.Now())))
			req, err := http.NewRequestWithContext(t.Context(), tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer t")
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			raw, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			require.Equal(t, tc.wantStatus, res.StatusCode, "%s", raw)
			assert.NotEmpty(t, res.Header.Get("request-id"))
			var body map[string]any
			if len(raw) > 0 {
				require.NoError(t, json.Unmarshal(raw, &body))
			}
			if tc.wantStatus >= 400 {
				e, ok := body["error"].(map[string]any)
				require.True(t, ok, "Graph error body: %s", raw)
				assert.NotEmpty(t, e["message"])
				assert.NotEmpty(t, e["innerError"].(map[string]any)["request-id"])
				if tc.wantCode != "" {
					assert.Equal(t, tc.wantCode, e["code"])
				}
			}
			if tc.check != nil {
				tc.check(t, body)
			}
		})
	}
}
