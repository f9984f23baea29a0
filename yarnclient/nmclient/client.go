package nmclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// maxBody bounds what we read from the NM: thousands of containers fit in a few MiB.
const maxBody = 32 << 20

// Client talks to one NodeManager's web service.
type Client struct {
	// BaseURL is e.g. http://localhost:8042 (yarn.nodemanager.webapp.address).
	BaseURL string
	HTTP    *http.Client
}

// New returns a client with a bounded timeout.
func New(baseURL string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// Containers lists the containers the NM knows (all states; callers filter).
func (c *Client) Containers(ctx context.Context) ([]Container, error) {
	body, err := c.get(ctx, "/ws/v1/node/containers")
	if err != nil {
		return nil, err
	}
	return DecodeContainers(body)
}

func (c *Client) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("NM %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("NM %s: read: %w", path, err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("NM %s: response larger than %d bytes", path, maxBody)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("NM %s: HTTP %d: %s", path, resp.StatusCode, snippet(body))
	}
	return body, nil
}

func snippet(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	return strings.TrimSpace(string(b))
}
