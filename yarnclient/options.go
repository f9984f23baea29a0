package yarnclient

import (
	"net/http"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
)

// Options configure a Client. Only RMs is required.
type Options struct {
	// RMs are the ResourceManagers' web base URLs, e.g. https://rm1.example.com:8090. With more
	// than one, the client finds the active RM through /ws/v1/cluster/info and sticks to it.
	RMs []string
	// Timeout bounds one HTTP exchange (default 10s). The caller's context bounds the whole call.
	Timeout time.Duration
	// MaxAttempts bounds tries of an idempotent call (GET) on 5xx and connection errors
	// (default 3). Non-idempotent calls (POST) are sent at most once to an active RM.
	MaxAttempts int
	// InitialBackoff and MaxBackoff shape the exponential backoff between retries
	// (defaults 100ms and 2s).
	InitialBackoff, MaxBackoff time.Duration
	// MaxFailovers bounds how often one call moves to another RM (default 2 x len(RMs)).
	MaxFailovers int
	// MaxResponseBytes caps a response body (default 64 MiB): a runaway RM cannot exhaust
	// memory. A node listing is about 1.7 KiB per node (the fields of a Hadoop 3.3 RM), so 8 MiB (the former
	// default) failed at about 4,800 NodeManagers in test/scale; 64 MiB lists about 38,000.
	MaxResponseBytes int
	// ResizePollInterval and ResizeConfirmTimeout bound how UpdateNodeResource waits for the
	// new total to appear (defaults 250ms and 15s).
	ResizePollInterval, ResizeConfirmTimeout time.Duration
	// User is sent as user.name (Hadoop pseudo authentication) when Kerberos is off.
	User string
	// Kerberos turns SPNEGO on.
	Kerberos *KerberosOptions
	// Registerer receives the client's metrics; nil keeps them unregistered (never the global
	// registry implicitly). Several clients may share one Registerer.
	Registerer prometheus.Registerer
	// Logger gets structured debug/info logs; credentials are never logged.
	Logger logr.Logger
	// Transport replaces the HTTP transport (tests, proxies). Redirects are never followed
	// whatever the transport.
	Transport http.RoundTripper
}

// KerberosOptions configure SPNEGO. Give the keytab and krb5.conf either as bytes or paths.
type KerberosOptions struct {
	// Principal is the client principal, "name", "name/host" or with "@REALM".
	Principal string
	// Realm defaults to the principal's realm, then krb5.conf's default_realm.
	Realm string
	// Keytab (bytes) or KeytabPath holds the principal's keys.
	Keytab     []byte
	KeytabPath string
	// Krb5Conf (text) or Krb5ConfPath is the Kerberos configuration.
	Krb5Conf     string
	Krb5ConfPath string
	// SPN maps an RM URL host to its service principal; default "HTTP/<host>" (Hadoop requires
	// the RM's FQDN: an IP or alias fails).
	SPN func(host string) string
	// DisableCookieReuse makes every request do a Kerberos exchange. Only for benchmarks and
	// diagnostics: real clients must reuse hadoop.auth.
	DisableCookieReuse bool
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 3
	}
	if o.InitialBackoff <= 0 {
		o.InitialBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 2 * time.Second
	}
	if o.MaxFailovers <= 0 {
		o.MaxFailovers = 2 * len(o.RMs)
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = 64 << 20
	}
	if o.ResizePollInterval <= 0 {
		o.ResizePollInterval = 250 * time.Millisecond
	}
	if o.ResizeConfirmTimeout <= 0 {
		o.ResizeConfirmTimeout = 15 * time.Second
	}
	return o
}
