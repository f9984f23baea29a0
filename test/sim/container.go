package sim

import (
	"strconv"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/sim/workload"
)

// SignalKind is how a container was asked to leave.
type SignalKind int

const (
	// NotSignalled: running on its own.
	NotSignalled SignalKind = iota
	// SignalDecommission is SIGPWR to a JVM that handles it: it finishes its tasks and
	// leaves; the work done is kept.
	SignalDecommission
	// SignalTerminate is SIGTERM to the process group: shutdown hooks run, the work is lost.
	SignalTerminate
	// SignalKill is SIGKILL at once.
	SignalKill
)

// never is a time after any simulation.
const never = time.Duration(1<<63 - 1)

// Container is one running YARN container. Times are offsets from Config.Start.
type Container struct {
	Spec  workload.Spec
	ID    string
	Start time.Duration
	// End is when it finishes its work if left alone; each step the batch tier is throttled
	// pushes it back (Cluster.throttle).
	End time.Duration
	// Stalled is the time it has been held back by CPU throttling: its progress at t is
	// Runtime(t) - Stalled.
	Stalled time.Duration
	Signal  SignalKind
	// ExitAt is when it leaves after its signal; ForceAt is when it is killed if still there.
	ExitAt, ForceAt time.Duration
}

func newContainer(s workload.Spec, now time.Duration) *Container {
	id := "c" + strconv.FormatUint(s.ID, 10) + "_" + strconv.Itoa(s.Attempt)
	return &Container{Spec: s, ID: id, Start: now, End: now + s.Work, ExitAt: never, ForceAt: never}
}

// Leaving reports a container that was signalled.
func (c *Container) Leaving() bool { return c.Signal != NotSignalled }

// nextEvent is the earliest time something happens to it.
func (c *Container) nextEvent() time.Duration { return min(c.End, c.ExitAt, c.ForceAt) }

// Runtime at t.
func (c *Container) Runtime(t time.Duration) time.Duration { return t - c.Start }

// Progress is the work done by t: the runtime less the time throttling held it back.
func (c *Container) Progress(t time.Duration) time.Duration { return max(0, c.Runtime(t)-c.Stalled) }
