package yarnclient

import (
	"context"
	"net/http"
	"strings"
	"sync"
)

// haState remembers the active RM (sticky) until an exchange with it fails.
type haState struct {
	mu     sync.Mutex
	active int // index into Client.rms; -1 unknown
	last   int // the RM that failed last, tried last during discovery
}

func (h *haState) get() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.active
}

func (h *haState) set(i int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.active = i
}

// forget clears the sticky RM if it is still i (a concurrent call may already have moved on).
func (h *haState) forget(i int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.active == i {
		h.active = -1
	}
	h.last = i
}

// activeRM returns the index of the RM to talk to. With a single RM there is nothing to find:
// a standby answers 307 and the call reports ErrStandby. With several, each is asked for
// /ws/v1/cluster/info (never redirected) until one says haState ACTIVE, starting after the one
// that failed last.
func (c *Client) activeRM(ctx context.Context) (int, *Error) {
	if len(c.rms) == 1 {
		return 0, nil
	}
	if i := c.ha.get(); i >= 0 {
		return i, nil
	}
	c.ha.mu.Lock()
	start := c.ha.last + 1
	c.ha.mu.Unlock()
	var unreachable int
	var lastErr, authErr *Error
	for n := 0; n < len(c.rms); n++ {
		i := (start + n) % len(c.rms)
		body, err := c.exchangeOnce(ctx, i, request{op: "DiscoverActive", method: http.MethodGet, path: pathClusterInfo})
		if err != nil {
			lastErr = err
			if err.Kind == KindUnavailable {
				unreachable++
			}
			if err.Is(ErrAuthentication) {
				authErr = err
			}
			if ctx.Err() != nil {
				return -1, err
			}
			continue
		}
		info, derr := DecodeClusterInfo(body)
		if derr != nil {
			lastErr = &Error{Kind: KindProtocol, Op: "DiscoverActive", Message: "cluster info", Err: derr}
			continue
		}
		if strings.EqualFold(info.HAState, "ACTIVE") {
			c.ha.set(i)
			c.log.V(1).Info("active resourcemanager found", "rmIndex", i)
			return i, nil
		}
	}
	if unreachable == len(c.rms) {
		return -1, &Error{Kind: KindUnavailable, Op: "DiscoverActive", Message: "no resourcemanager reachable", Err: lastErr}
	}
	if authErr != nil {
		// A credentials problem is what the operator must fix; do not hide it as "standby".
		return -1, authErr
	}
	return -1, &Error{Kind: KindStandby, Op: "DiscoverActive", Message: "no active resourcemanager among the configured ones"}
}
