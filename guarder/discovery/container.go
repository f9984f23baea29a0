package discovery

import "time"

// Container is one YARN container as found in /proc.
type Container struct {
	ID ContainerID
	// Processes are the container's own processes, sorted by pid: what YARN would kill when
	// it kills the container. Launchers are not among them.
	Processes []Process
	// Launchers carry the container's markers but belong to the NodeManager's launch chain: a
	// container-executor parent waiting for its setsid child, the DefaultContainerExecutor
	// wrapper script, the docker client, the localizer. They share the NM's session and
	// process group, so they are never signalled (see doc.go).
	Launchers []Process
	// Leader leads the session YARN created for the container: the process whose pid YARN
	// wrote to the container's pid file and signals as a group (kill(-pid)). It is nil when no
	// member leads a session (the leader exited and left orphans, or the launch has not got
	// that far).
	Leader *Process
	// Session is Leader's session id, 0 when there is no leader.
	Session int
	// Main is the JVM doing the work (the process with a known main class, else the first
	// java process, else the leader).
	Main *Process
	// PGID is the process group the guarder may signal as a whole, or 0 when none may be: a
	// group qualifies only when every live process in it is one of Processes. With PGID 0,
	// every signal goes to the verified processes one by one.
	PGID int
	// Unreachable says why the container's processes cannot be signalled from this PID
	// namespace; empty when they can.
	Unreachable UnreachableReason
	Classification
	// HandlesSIGPWR: Main has a SIGPWR handler (Spark with decommission enabled).
	HandlesSIGPWR bool
	// StartedAt is the start of the oldest process, i.e. when the container launched.
	StartedAt time.Time
	// StartTicks is StartedAt in clock ticks after boot.
	StartTicks uint64
	// CPUTime is user+system time of all live processes.
	CPUTime time.Duration
	// RSSBytes is the sum of resident set sizes (shared pages counted per process).
	RSSBytes int64
}

// UnreachableReason explains why a container seen in /proc has no process the guarder can
// signal.
type UnreachableReason string

const (
	// UnreachableDockerRuntime: the container runs in YARN's Docker runtime. Its processes
	// live in the Docker container's own PID namespace; only container-executor and the
	// docker client are visible here.
	UnreachableDockerRuntime UnreachableReason = "dockerRuntime"
	// UnreachableNotLaunched: only the launch chain is visible; the container's session does
	// not exist yet (localization, or container-executor before its fork).
	UnreachableNotLaunched UnreachableReason = "notLaunched"
)

// AllUnreachableReasons lists every reason, for metrics that must report zeros too.
var AllUnreachableReasons = []UnreachableReason{UnreachableDockerRuntime, UnreachableNotLaunched}

// MainIdentity is the identity of Main, or false when there is none.
func (c Container) MainIdentity() (Identity, bool) {
	if c.Main == nil {
		return Identity{}, false
	}
	return c.Main.Identity(), true
}

// MemberIdentities returns the identities of every process of the container.
func (c Container) MemberIdentities() []Identity {
	out := make([]Identity, 0, len(c.Processes))
	for _, p := range c.Processes {
		id := p.Identity()
		id.ContainerID = c.ID.String()
		out = append(out, id)
	}
	return out
}
