package rmemulator

import (
	"time"

	"github.com/jcmturner/gokrb5/v8/keytab"
)

// Config shapes an Emulator. The zero value is one active Hadoop 3.3.6 RM without security.
type Config struct {
	// RMs is the number of ResourceManagers sharing the state (HA); default 1. RM 0 starts active.
	RMs int
	// Version is reported as resourceManagerVersion; default "3.3.6" ("3.2.4" with Pre33).
	Version string
	// Pre33 removes the node resource endpoint (plain 404 page) and the totalResource,
	// usedResource and availableResource node fields, as RMs before Hadoop 3.3.
	Pre33 bool
	// ResizeDelay is how long after the POST a new node total becomes visible. Even 0 applies it
	// after the answer, never in it.
	ResizeDelay time.Duration
	// AdminUsers may mutate labels (yarn.admin.acl); empty means everyone ("*").
	AdminUsers []string
	// ClusterTimestamp appears in application and container ids; default 1700000000000.
	ClusterTimestamp int64
	// Now is the clock for timestamps (lastHealthUpdate, startedTime). Default time.Now. The
	// workload moves only when Tick is called, with whatever time the caller passes.
	Now func() time.Time
	// SPNEGO, when set, requires Kerberos authentication on /ws/v1 and /isActive.
	SPNEGO *SPNEGOConfig
	// Workload, when set, keeps a backlog of applications so nodes fill up as Tick runs.
	Workload *WorkloadConfig
}

// SPNEGOConfig turns on Hadoop-style SPNEGO authentication.
type SPNEGOConfig struct {
	// Keytab holds the HTTP/<rm-host> keys.
	Keytab *keytab.Keytab
	// ClockOffset shifts the RM's clock for authenticator checks: with an offset above
	// MaxClockSkew every handshake fails with KRB_AP_ERR_SKEW, as on an RM whose clock drifted.
	ClockOffset time.Duration
	// MaxClockSkew defaults to 5 minutes (MIT and Java default).
	MaxClockSkew time.Duration
	// CookieValidity is the hadoop.auth lifetime (hadoop.http.authentication.token.validity);
	// default 10 hours.
	CookieValidity time.Duration
}

// WorkloadConfig describes the backlog the workload keeps queued.
type WorkloadConfig struct {
	// Backlog is how many unfinished applications are kept submitted; default 4.
	Backlog int
	// App is the template for generated applications; zero fields get defaults (8 containers
	// of 2048 MB / 1 vCore for 10 minutes, AM 1024 MB / 1 vCore).
	App AppSpec
	// Priorities, when set, are cycled through for generated applications.
	Priorities []int
}

func (c Config) withDefaults() Config {
	if c.RMs <= 0 {
		c.RMs = 1
	}
	if c.Version == "" {
		c.Version = "3.3.6"
		if c.Pre33 {
			c.Version = "3.2.4"
		}
	}
	if c.ClusterTimestamp == 0 {
		c.ClusterTimestamp = 1700000000000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.SPNEGO != nil {
		s := *c.SPNEGO
		if s.MaxClockSkew <= 0 {
			s.MaxClockSkew = 5 * time.Minute
		}
		if s.CookieValidity <= 0 {
			s.CookieValidity = 10 * time.Hour
		}
		c.SPNEGO = &s
	}
	if c.Workload != nil {
		w := *c.Workload
		if w.Backlog <= 0 {
			w.Backlog = 4
		}
		w.App = w.App.withDefaults()
		c.Workload = &w
	}
	return c
}
