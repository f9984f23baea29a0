package yarnclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-resty/resty/v2"
)

// Client talks to a (possibly HA) YARN ResourceManager over REST. It is safe for concurrent use.
type Client struct {
	opts    Options
	rms     []string // normalised base URLs, no trailing slash
	rc      *resty.Client
	krb     *kerberos
	cookies *cookieJar
	ha      haState
	metrics *metrics
	log     logr.Logger
}

// request is one logical RM call.
type request struct {
	op         string
	method     string
	path       string
	query      url.Values
	body       any
	idempotent bool
	// resize marks POST /nodes/{id}/resource, where a plain 404 means "RM too old".
	resize bool
}

// maxIdleConnsPerRM is how many idle connections to one RM the client keeps: at least as
// many as calls run at once against it. The capacity controller sends up to 16 RM writes at
// a time per pool (capacity.defaultMaxConcurrentCalls), the nodemanager controller's
// reconciles (4 at once) and the StaticIP controller list and poll meanwhile. net/http's
// default keeps 2 per host, so all but 2 of 16 parallel writes closed their connection after
// the answer and the next write dialled again: with HTTPS, a TLS handshake per RM write.
const maxIdleConnsPerRM = 32

// newTransport is net/http's default transport, keeping enough idle connections to the RM.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = maxIdleConnsPerRM
	return t
}

// New builds a client. It does not contact the RM or the KDC; Kerberos logs in on first use.
func New(opts Options) (*Client, error) {
	if len(opts.RMs) == 0 {
		return nil, errors.New("yarnclient: at least one RM URL is required")
	}
	opts = opts.withDefaults()
	c := &Client{opts: opts, log: opts.Logger, ha: haState{active: -1, last: -1}}
	for _, raw := range opts.RMs {
		u, err := url.Parse(strings.TrimRight(raw, "/"))
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("yarnclient: invalid RM URL %q", raw)
		}
		c.rms = append(c.rms, u.String())
	}
	transport := opts.Transport
	if transport == nil {
		transport = newTransport()
	}
	hc := &http.Client{
		Transport: capBodies{next: transport, max: int64(opts.MaxResponseBytes)},
		// Never follow redirects: a standby's 307 means "ask the active RM", which we find
		// ourselves, and a SPNEGO token is bound to the host it was made for.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c.rc = resty.NewWithClient(hc).
		SetTimeout(opts.Timeout).
		SetCookieJar(nil). // hadoop.auth is handled per RM by cookieJar
		SetLogger(quietLogger{}).
		SetHeader("Accept", "application/json")
	c.rc.SetRedirectPolicy(resty.RedirectPolicyFunc(func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}))
	c.cookies = newCookieJar(time.Now)
	c.metrics = newMetrics(opts.Registerer)
	if opts.Kerberos != nil {
		k, err := newKerberos(opts.Kerberos)
		if err != nil {
			return nil, err
		}
		c.krb = k
	}
	return c, nil
}

// Close releases the Kerberos session (stops TGT renewal) and the idle connections to the
// RMs: each client has its own transport, whose idle connections would otherwise hold two
// goroutines each until they time out.
func (c *Client) Close() {
	if c.krb != nil {
		c.krb.close()
	}
	c.rc.GetClient().CloseIdleConnections()
}

// ActiveRM returns the base URL the client currently sticks to, or "" when unknown.
func (c *Client) ActiveRM() string {
	if len(c.rms) == 1 {
		return c.rms[0]
	}
	if i := c.ha.get(); i >= 0 {
		return c.rms[i]
	}
	return ""
}

// do runs a logical call: find the active RM, exchange, and retry or fail over as decideNext
// says. It returns the response body of the successful exchange.
func (c *Client) do(ctx context.Context, r request) ([]byte, error) {
	start := time.Now()
	defer func() { c.metrics.duration.WithLabelValues(r.op).Observe(time.Since(start).Seconds()) }()
	b := budget{maxAttempts: c.opts.MaxAttempts, maxFailovers: c.opts.MaxFailovers}
	retries, failovers := 0, 0
	for {
		i, derr := c.activeRM(ctx)
		var body []byte
		var err *Error
		if derr != nil {
			err = derr
		} else {
			body, err = c.exchangeOnce(ctx, i, r)
			if err == nil {
				return body, nil
			}
		}
		if ctx.Err() != nil {
			return nil, err
		}
		next := decideNext(outcome{kind: err.Kind, notSent: err.notSent, idempotent: r.idempotent,
			multiRM: len(c.rms) > 1, retries: retries, failovers: failovers}, b)
		switch next {
		case stepRetry:
			retries++
			c.log.V(1).Info("retrying resourcemanager call", "operation", r.op, "retry", retries, "kind", err.Kind.String())
			if sleepCtx(ctx, backoff(c.opts.InitialBackoff, c.opts.MaxBackoff, retries-1)) != nil {
				return nil, err
			}
		case stepFailover:
			failovers++
			if i >= 0 {
				c.ha.forget(i)
			}
			c.metrics.failovers.Inc()
			c.log.Info("resourcemanager failover", "operation", r.op, "failover", failovers, "kind", err.Kind.String())
			// The first move is immediate (another RM may be active); later ones wait, as an
			// election may be in progress.
			if failovers > 1 {
				if sleepCtx(ctx, backoff(c.opts.InitialBackoff, c.opts.MaxBackoff, failovers-2)) != nil {
					return nil, err
				}
			}
		default:
			err.Op = r.op
			return nil, err
		}
	}
}

// exchangeOnce sends r to RM i once (plus one re-authentication if the RM rejected our
// cookie) and classifies the answer.
func (c *Client) exchangeOnce(ctx context.Context, i int, r request) ([]byte, *Error) {
	base := c.rms[i]
	resp, err := c.send(ctx, base, r, true)
	if err == nil && c.krb != nil && resp.StatusCode() == http.StatusUnauthorized && isNegotiate(resp.Header()) && resp.Request.Header.Get("Authorization") == "" {
		// The RM no longer accepts our cookie (expired, or its secret rotated): authenticate anew.
		c.cookies.drop(base)
		resp, err = c.send(ctx, base, r, false)
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) { // Kerberos failure before sending
			c.metrics.requests.WithLabelValues(r.op, "auth_error").Inc()
			e.Op = r.op
			return nil, e
		}
		if errors.Is(err, resty.ErrResponseBodyTooLarge) {
			c.metrics.requests.WithLabelValues(r.op, "too_large").Inc()
			return nil, &Error{Kind: KindProtocol, Op: r.op, Message: fmt.Sprintf("response larger than %d bytes", c.opts.MaxResponseBytes), Err: err}
		}
		notSent, code := transportKind(err)
		c.metrics.requests.WithLabelValues(r.op, code).Inc()
		e = &Error{Kind: KindUnavailable, Op: r.op, Message: code, Err: err}
		e.notSent = notSent
		return nil, e
	}
	c.metrics.requests.WithLabelValues(r.op, strconv.Itoa(resp.StatusCode())).Inc()
	if c.krb != nil && !c.opts.Kerberos.DisableCookieReuse {
		c.cookies.update(base, resp.Header())
	}
	if e := classify(r.op, response{status: resp.StatusCode(), header: resp.Header(), body: resp.Body()}, r.resize); e != nil {
		if e.Kind == KindAuthentication || e.Kind == KindClockSkew {
			c.cookies.drop(base)
		}
		return nil, e
	}
	return resp.Body(), nil
}

// send performs the HTTP exchange; useCookie lets it present a stored hadoop.auth instead of a
// fresh Kerberos token.
func (c *Client) send(ctx context.Context, base string, r request, useCookie bool) (*resty.Response, error) {
	req := c.rc.R().SetContext(ctx)
	q := url.Values{}
	for k, v := range r.query {
		q[k] = v
	}
	if c.krb == nil && c.opts.User != "" {
		q.Set("user.name", c.opts.User)
	}
	req.SetQueryParamsFromValues(q)
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, &Error{Kind: KindProtocol, Op: r.op, Message: "encode body", Err: err}
		}
		req.SetHeader("Content-Type", "application/json").SetBody(b)
	}
	if r.method != http.MethodGet {
		// Harmless without the CSRF filter, required with it.
		req.SetHeader("X-XSRF-HEADER", "elastic-yarn-operator")
	}
	if c.krb != nil {
		cookie, ok := "", false
		if useCookie && !c.opts.Kerberos.DisableCookieReuse {
			cookie, ok = c.cookies.get(base)
		}
		if ok {
			req.SetHeader("Cookie", HadoopAuthCookie+`="`+cookie+`"`)
		} else {
			u, _ := url.Parse(base)
			h, err := c.krb.header(u.Hostname())
			if err != nil {
				return nil, err
			}
			req.SetHeader("Authorization", h)
		}
	}
	return req.Execute(r.method, base+r.path)
}

func isNegotiate(h http.Header) bool {
	return strings.HasPrefix(h.Get("WWW-Authenticate"), "Negotiate")
}

// quietLogger keeps resty from printing request details (which could include headers) to stderr;
// errors are returned to the caller instead.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...interface{}) {}
func (quietLogger) Warnf(string, ...interface{})  {}
func (quietLogger) Debugf(string, ...interface{}) {}
