// Package guardercontract checks that the guarder sidecars of a pool can do what the pool asks
// of them, and reports those that cannot: condition GuardersReady on the ElasticNodeManager,
// an Event when it changes, and the gauge elastic_yarn_guardercontract_guarders.
//
// A pinned spec.guarder.image may be older than the operator. Such a guarder starts (the
// operator passes only contract-1 flags, package guarder/contract) but may lack what the pool
// needs: the Hadoop 3 process trees (older guarders signal the NodeManager's process group)
// or a non-default signal policy. A guarder that is not ready cannot shed at all. Either way a
// drain would run to its deadline and delete pods that still hold containers, so the pool
// says so instead of failing silently.
package guardercontract

import (
	"fmt"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
)

// State is what one NodeManager pod's guarder is, as far as the pool is concerned.
type State string

const (
	StateCompatible  State = "compatible"
	StateTooOld      State = "tooOld"
	StateNotReady    State = "notReady"
	StateUnreachable State = "unreachable"
	// StateStarting: not ready yet, but within StartupGrace of the pod's creation.
	StateStarting State = "starting"
)

// AllStates lists every state, for metrics that must report zeros too.
var AllStates = []State{StateCompatible, StateTooOld, StateNotReady, StateUnreachable, StateStarting}

// Reasons of condition GuardersReady.
const (
	ReasonCompatible  = "GuardersCompatible"
	ReasonNoPods      = "NoNodeManagerPods"
	ReasonTooOld      = "GuarderTooOld"
	ReasonNotReady    = "GuarderNotReady"
	ReasonUnreachable = "GuarderUnreachable"
)

// StartupGrace is how long a new pod's guarder may take to become ready before it counts as
// not ready.
const StartupGrace = 2 * time.Minute

// Observation is one NodeManager pod's guarder as gathered by the reconciler.
type Observation struct {
	Pod       string
	CreatedAt time.Time
	// Ready is the guarder container's readiness from the pod status.
	Ready bool
	// Info is the guarder's GET /version answer (contract.Contract1Info for a 404); valid
	// when Ready and VersionErr is empty.
	Info       contract.Info
	VersionErr string
}

// Verdict is the pool's condition and counts.
type Verdict struct {
	Status  metav1.ConditionStatus
	Reason  string
	Message string
	Counts  map[State]int
}

// Required lists the capabilities the pool's spec needs from its guarders.
func Required(spec v1alpha1.ElasticNodeManagerSpec) []string {
	// Every pool needs guarders that never signal the NodeManager's process group.
	need := []string{contract.CapabilityProcessTrees}
	if p := spec.Guarder.SignalPolicy; p != "" && p != v1alpha1.SignalGraceful {
		// A guarder without the capability ignores the setting and behaves as Graceful.
		need = append(need, contract.CapabilitySignalPolicy)
	}
	if spec.Guarder.KoordletContainerEviction {
		need = append(need, contract.CapabilityKoordletContainerEviction)
	}
	if spec.YARN.Kerberos != nil {
		// A secure NM's web endpoint answers 401 to a guarder that cannot do SPNEGO.
		need = append(need, contract.CapabilityNodeManagerSPNEGO)
	}
	return need
}

// StateOf classifies one observation.
func StateOf(o Observation, need []string, now time.Time) (State, []string) {
	switch {
	case !o.Ready && now.Sub(o.CreatedAt) < StartupGrace:
		return StateStarting, nil
	case !o.Ready:
		return StateNotReady, nil
	case o.VersionErr != "":
		return StateUnreachable, nil
	}
	if missing := o.Info.Missing(need); len(missing) > 0 {
		return StateTooOld, missing
	}
	return StateCompatible, nil
}

// maxNamed bounds the pod names a message lists (the condition is a summary).
const maxNamed = 3

// Decide turns the observations of a pool into its GuardersReady condition. The worst state
// wins: too old (needs a new image), then not ready, then unreachable.
func Decide(obs []Observation, need []string, now time.Time) Verdict {
	v := Verdict{Counts: map[State]int{}}
	byState := map[State][]string{}
	missingAll := map[string]bool{}
	versions := map[string]bool{}
	for _, o := range obs {
		s, missing := StateOf(o, need, now)
		v.Counts[s]++
		byState[s] = append(byState[s], o.Pod)
		for _, m := range missing {
			missingAll[m] = true
		}
		if s == StateTooOld {
			versions[fmt.Sprintf("%s (contract %d)", o.Info.Version, o.Info.Contract)] = true
		}
	}
	total := len(obs)
	switch {
	case total == 0:
		v.Status, v.Reason, v.Message = metav1.ConditionTrue, ReasonNoPods, "no NodeManager pods to check"
	case v.Counts[StateTooOld] > 0:
		v.Status, v.Reason = metav1.ConditionFalse, ReasonTooOld
		v.Message = fmt.Sprintf("%d of %d guarders lack %s (running %s): %s; set spec.guarder.image to a current guarder",
			v.Counts[StateTooOld], total, strings.Join(sortedKeys(missingAll), ", "), strings.Join(sortedKeys(versions), ", "), named(byState[StateTooOld]))
	case v.Counts[StateNotReady] > 0:
		v.Status, v.Reason = metav1.ConditionFalse, ReasonNotReady
		v.Message = fmt.Sprintf("%d of %d guarders not ready for %s or more: %s; shedding on those nodes fails",
			v.Counts[StateNotReady], total, StartupGrace, named(byState[StateNotReady]))
	case v.Counts[StateUnreachable] > 0:
		v.Status, v.Reason = metav1.ConditionFalse, ReasonUnreachable
		v.Message = fmt.Sprintf("%d of %d guarders do not answer %s: %s",
			v.Counts[StateUnreachable], total, contract.VersionPath, named(byState[StateUnreachable]))
	default:
		v.Status, v.Reason = metav1.ConditionTrue, ReasonCompatible
		v.Message = fmt.Sprintf("%d guarders provide %s", v.Counts[StateCompatible], strings.Join(need, ", "))
		if n := v.Counts[StateStarting]; n > 0 {
			v.Message += fmt.Sprintf("; %d starting", n)
		}
	}
	return v
}

func named(pods []string) string {
	sort.Strings(pods)
	if len(pods) > maxNamed {
		return strings.Join(pods[:maxNamed], ", ") + fmt.Sprintf(" and %d more", len(pods)-maxNamed)
	}
	return strings.Join(pods, ", ")
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
