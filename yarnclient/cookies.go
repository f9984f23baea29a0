package yarnclient

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HadoopAuthCookie is the cookie Hadoop's AuthenticationFilter sets after a successful SPNEGO
// exchange. Presenting it skips Kerberos on later requests until it expires
// (hadoop.http.authentication.token.validity, default 10 h).
const HadoopAuthCookie = "hadoop.auth"

// cookieJar keeps one hadoop.auth per RM (tokens are signed by each RM's secret unless the RMs
// share one, so they are not portable). Values are never logged.
type cookieJar struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]authCookie
}

type authCookie struct {
	value   string
	expires time.Time // zero: unknown, valid until the RM rejects it
}

func newCookieJar(now func() time.Time) *cookieJar {
	return &cookieJar{now: now, m: map[string]authCookie{}}
}

// get returns the RM's cookie if it is still valid (with a small margin so it does not expire in
// flight).
func (j *cookieJar) get(rm string) (string, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	c, ok := j.m[rm]
	if !ok {
		return "", false
	}
	if !c.expires.IsZero() && !j.now().Add(5*time.Second).Before(c.expires) {
		delete(j.m, rm)
		return "", false
	}
	return c.value, true
}

// update stores or clears the RM's cookie from a response's Set-Cookie headers. Hadoop clears
// the cookie (empty value) when authentication fails.
func (j *cookieJar) update(rm string, h http.Header) {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name != HadoopAuthCookie {
			continue
		}
		j.mu.Lock()
		if c.Value == "" || c.MaxAge < 0 {
			delete(j.m, rm)
		} else {
			j.m[rm] = authCookie{value: c.Value, expires: cookieExpiry(c)}
		}
		j.mu.Unlock()
	}
}

func (j *cookieJar) drop(rm string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	delete(j.m, rm)
}

// cookieExpiry prefers the cookie attributes and falls back to the token's own "e=" field
// (epoch ms), which Hadoop always includes even for session cookies.
func cookieExpiry(c *http.Cookie) time.Time {
	if c.MaxAge > 0 {
		return time.Now().Add(time.Duration(c.MaxAge) * time.Second)
	}
	if !c.Expires.IsZero() {
		return c.Expires
	}
	return tokenExpiry(c.Value)
}

// tokenExpiry reads e=<epoch ms> from a Hadoop AuthToken "u=..&p=..&t=..&e=..&s=..".
func tokenExpiry(v string) time.Time {
	for _, kv := range strings.Split(strings.Trim(v, `"`), "&") {
		if ms, ok := strings.CutPrefix(kv, "e="); ok {
			if n, err := strconv.ParseInt(ms, 10, 64); err == nil && n > 0 {
				return time.UnixMilli(n)
			}
		}
	}
	return time.Time{}
}
