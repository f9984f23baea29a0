package signaller

import (
	"syscall"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
)

// Signal targets, as reported in Action.Target.
const (
	TargetProcess = "process"
	TargetGroup   = "group"
	// TargetProcesses: each verified process of the container, because no process group
	// holds the container alone.
	TargetProcesses = "processes"
)

// First is the signal that starts a container's exit.
type First struct {
	Signal syscall.Signal
	// Target is TargetProcess (the JVM alone) or TargetGroup (the wrapper's process group).
	Target string
}

// Graceful reports whether the container is asked to decommission rather than to stop.
func (f First) Graceful() bool { return f.Signal == syscall.SIGPWR }

// FirstSignal decides how c is asked to leave under policy p (see the package doc). It is
// pure so that the signaller and the worker's ranking (which prefers containers that leave
// gracefully) cannot disagree about which containers get SIGPWR.
//
// Only PolicyGraceful allows SIGPWR; any other value, including one New did not resolve, is
// treated as TermOnly: an unexpected SIGPWR can kill a JVM without its shutdown hooks, an
// unexpected SIGTERM cannot.
func FirstSignal(p Policy, c discovery.Container) First {
	if p == PolicyGraceful && c.HandlesSIGPWR && c.Main != nil && discovery.IsJava(c.Main.Argv) {
		return First{Signal: syscall.SIGPWR, Target: TargetProcess}
	}
	return First{Signal: syscall.SIGTERM, Target: TargetGroup}
}
