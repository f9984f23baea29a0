package discovery

import "time"

// Container is one YARN container as found in /proc.
type Container struct {
	ID ContainerID
	// Processes are every process of the container, sorted by pid.
	Processes []Process
	// Leader is the launch process: the bash wrapper the NM starts as a process-group leader.
	// It is nil when no member leads a group (the wrapper exited, leaving an orphaned JVM).
	Leader *Process
	// Main is the JVM doing the work (the process with a known main class, else the first
	// java process, else the leader).
	Main *Process
	// PGID is the process group YARN itself signals on container kill.
	PGID int
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
