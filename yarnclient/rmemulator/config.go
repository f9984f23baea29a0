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
	// Line is the Hadoop code line whose error shapes the RM reproduces: Hadoop33 (the
	// default, Jersey 1) or Trunk (Jersey 2). See doc.go for what differs.
	Line Line
	// ForgetResizeOnRMRestart makes an RM restart or failover lose runtime resizes, as RMs
	// without the heartbeat sync-back (the pessimistic direction). The default is Hadoop
	// 3.3's: the RM hands a resized total to the NM in the next heartbeat response, the NM
	// keeps it (NodeStatusUpdaterImpl.updateNMResource) and re-registers with it, so the
	// resize survives a failover once one heartbeat has passed. An NM process restart loses
	// it either way.
	ForgetResizeOnRMRestart bool
	// HeartbeatInterval is the NM heartbeat period, after which a resize has reached the NM
	// (yarn.resourcemanager.nodemanagers.heartbeat-interval-ms, default 1 s).
	HeartbeatInterval time.Duration
	// ReregistrationDelay is how long after an RM restart or failover each NodeManager takes
	// to re-register with the new active RM. Until then the RM does not list the node, GET
	// answers 404 and a resize answers 404. Zero means DefaultReregistrationDelay; negative
	// means never by itself: the test ends the gap with ReregisterAll or ReRegisterNode.
	ReregistrationDelay time.Duration
	// SchedulingWait is how long a recovered RM places no new container
	// (yarn.resourcemanager.work-preserving-recovery.scheduling-wait-ms, default 10 s), so the
	// NMs can report what still runs. Zero means the default; negative means none.
	SchedulingWait time.Duration
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

// DefaultReregistrationDelay: an NM learns of the new RM at its next heartbeat (RESYNC), then
// registers again; a few heartbeats at the default 1 s interval.
const DefaultReregistrationDelay = 3 * time.Second

// Line is a Hadoop code line with its own REST error shapes.
type Line int

const (
	// Hadoop33 is branch-3.3 (Jersey 1): GenericExceptionHandler answers 500 for an
	// unmapped exception, with the outer exception's message.
	Hadoop33 Line = iota
	// Trunk is trunk/3.5 (Jersey 2): an unmapped exception answers 503, with the message of
	// its cause when it has one.
	Trunk
)

func (c Config) withDefaults() Config {
	if c.HeartbeatInterval <= 0 {
		c.HeartbeatInterval = time.Second
	}
	if c.ReregistrationDelay == 0 {
		c.ReregistrationDelay = DefaultReregistrationDelay
	}
	if c.SchedulingWait == 0 {
		c.SchedulingWait = 10 * time.Second
	}
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
