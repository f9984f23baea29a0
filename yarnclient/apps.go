package yarnclient

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// ListApps lists applications in the given states (e.g. "RUNNING"); none means all. Used to
// order shedding by application priority.
func (c *Client) ListApps(ctx context.Context, states ...string) ([]App, error) {
	q := url.Values{}
	if len(states) > 0 {
		q.Set("states", strings.Join(states, ","))
	}
	body, err := c.do(ctx, request{op: "ListApps", method: http.MethodGet, path: pathApps, query: q, idempotent: true})
	if err != nil {
		return nil, err
	}
	apps, derr := DecodeApps(body)
	if derr != nil {
		return nil, &Error{Kind: KindProtocol, Op: "ListApps", Err: derr}
	}
	return apps, nil
}
