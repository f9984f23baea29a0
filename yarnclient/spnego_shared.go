package yarnclient

import (
	"net/http"
	"time"
)

// SPNEGO makes SPNEGO Authorization headers from a keytab with the RM client's code path
// (kerberos.go: one gokrb5 login, TGT renewal, cached service tickets). Other clients of Hadoop
// HTTP endpoints use it, e.g. the guarder's NodeManager client (nmclient).
type SPNEGO struct{ k *kerberos }

// NewSPNEGO validates the options (keytab, krb5.conf, principal) without contacting the KDC.
func NewSPNEGO(o *KerberosOptions) (*SPNEGO, error) {
	k, err := newKerberos(o)
	if err != nil {
		return nil, err
	}
	return &SPNEGO{k: k}, nil
}

// Header returns "Negotiate <token>" for the service at host (its SPN is o.SPN(host),
// "HTTP/<host>" by default).
func (s *SPNEGO) Header(host string) (string, error) { return s.k.header(host) }

// Close ends the Kerberos session.
func (s *SPNEGO) Close() { s.k.close() }

// HadoopAuthCookies keeps one hadoop.auth cookie per endpoint, as the RM client does
// (cookies.go). Values are never logged.
type HadoopAuthCookies struct{ j *cookieJar }

// NewHadoopAuthCookies returns an empty jar.
func NewHadoopAuthCookies() *HadoopAuthCookies { return &HadoopAuthCookies{j: newCookieJar(time.Now)} }

// Get returns the endpoint's cookie while it is valid.
func (c *HadoopAuthCookies) Get(endpoint string) (string, bool) { return c.j.get(endpoint) }

// Update stores or clears the endpoint's cookie from a response's headers.
func (c *HadoopAuthCookies) Update(endpoint string, h http.Header) { c.j.update(endpoint, h) }

// Drop forgets the endpoint's cookie (it was rejected).
func (c *HadoopAuthCookies) Drop(endpoint string) { c.j.drop(endpoint) }
