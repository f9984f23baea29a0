package signaller

import (
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
)

// State is where a container is on its way out.
type State string

const (
	StateRunning State = "running"
	// StateLeavingGraceful: SIGPWR sent to the JVM; it decommissions and exits by itself.
	StateLeavingGraceful State = "leavingGraceful"
	// StateLeavingTerminated: SIGTERM sent to the process group; shutdown hooks are running.
	StateLeavingTerminated State = "leavingTerminated"
	// StateKilled: SIGKILL sent after the grace period.
	StateKilled State = "killed"
	// StateGone: no process of the container is left (or none could be verified).
	StateGone State = "gone"
)

// Leaving reports whether the container was signalled and counts as removed.
func (s State) Leaving() bool { return s != StateRunning }

// AllStates lists every state, for metrics that must report zeros too.
var AllStates = []State{StateRunning, StateLeavingGraceful, StateLeavingTerminated, StateKilled, StateGone}

// Record is what the signaller remembers about a container it acted on.
type Record struct {
	ContainerID string               `json:"containerId"`
	State       State                `json:"state"`
	Reason      string               `json:"reason,omitempty"`
	PGID        int                  `json:"pgid"`
	Main        *discovery.Identity  `json:"main,omitempty"`
	Members     []discovery.Identity `json:"members"`
	SignalledAt time.Time            `json:"signalledAt"`
	KillAt      time.Time            `json:"killAt"`
	KilledAt    time.Time            `json:"killedAt,omitzero"`
	GoneAt      time.Time            `json:"goneAt,omitzero"`
}

// Action is one signal sent (or, in dry-run, that would have been sent).
type Action struct {
	ContainerID string `json:"containerId"`
	Signal      string `json:"signal"`
	// Target is "process" or "group".
	Target string `json:"target"`
	PID    int    `json:"pid"`
	DryRun bool   `json:"dryRun,omitempty"`
	Err    string `json:"error,omitempty"`
}
