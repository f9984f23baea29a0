package nmclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// maxBody bounds what we read from the NM: thousands of containers fit in a few MiB.
const maxBody = 32 << 20

// Client talks to one NodeManager's web service.
type Client struct {
	// BaseURL is e.g. http://localhost:8042 (yarn.nodemanager.webapp.address).
	BaseURL string
	HTTP    *http.Client
	// SPNEGO, when set, authenticates every request (hadoop.http.authentication.type=kerberos
	// covers the NM's web endpoint too) with the RM client's Kerberos code path, and the
	// hadoop.auth cookie the NM returns is reused until it expires or is refused.
	SPNEGO  *yarnclient.SPNEGO
	cookies *yarnclient.HadoopAuthCookies
}

// New returns a client with a bounded timeout.
func New(baseURL string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// NewKerberos returns a client that authenticates with SPNEGO. The service principal comes
// from opts.SPN: the NM's HTTP/<fqdn>, which the URL (usually localhost) does not name.
func NewKerberos(baseURL string, opts *yarnclient.KerberosOptions) (*Client, error) {
	s, err := yarnclient.NewSPNEGO(opts)
	if err != nil {
		return nil, err
	}
	c := New(baseURL)
	c.SPNEGO, c.cookies = s, yarnclient.NewHadoopAuthCookies()
	return c, nil
}

// Close ends the Kerberos session, if any.
func (c *Client) Close() {
	if c.SPNEGO != nil {
		c.SPNEGO.Close()
	}
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
	resp, usedCookie, err := c.send(ctx, path, true)
	if err == nil && usedCookie && resp.StatusCode == http.StatusUnauthorized && strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Negotiate") {
		// The NM no longer accepts the cookie (expired, or its secret rotated): authenticate anew.
		resp.Body.Close()
		c.cookies.Drop(c.BaseURL)
		resp, _, err = c.send(ctx, path, false)
	}
	if err != nil {
		return nil, fmt.Errorf("NM %s: %w", path, err)
	}
	defer resp.Body.Close()
	if c.cookies != nil {
		c.cookies.Update(c.BaseURL, resp.Header)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("NM %s: read: %w", path, err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("NM %s: response larger than %d bytes", path, maxBody)
	}
	if resp.StatusCode != http.StatusOK {
		if c.cookies != nil && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
			c.cookies.Drop(c.BaseURL)
		}
		return nil, fmt.Errorf("NM %s: HTTP %d: %s", path, resp.StatusCode, snippet(body))
	}
	return body, nil
}

// send performs one exchange; with SPNEGO it presents the stored hadoop.auth cookie when
// useCookie allows and one is held, else a fresh Negotiate token.
func (c *Client) send(ctx context.Context, path string, useCookie bool) (*http.Response, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Accept", "application/json")
	usedCookie := false
	if c.SPNEGO != nil {
		if cookie, ok := c.cookies.Get(c.BaseURL); ok && useCookie {
			req.Header.Set("Cookie", yarnclient.HadoopAuthCookie+`="`+cookie+`"`)
			usedCookie = true
		} else {
			u, _ := url.Parse(c.BaseURL)
			h, err := c.SPNEGO.Header(u.Hostname())
			if err != nil {
				return nil, false, err
			}
			req.Header.Set("Authorization", h)
		}
	}
	resp, err := c.HTTP.Do(req)
	return resp, usedCookie, err
}

func snippet(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	return strings.TrimSpace(string(b))
}
