package plan

import (
	"sort"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// NodeAction is the decision for one node (and its NodeManager pod, if any).
type NodeAction string

const (
	ActionCreate        NodeAction = "Create"
	ActionKeep          NodeAction = "Keep"
	ActionStartDrain    NodeAction = "StartDrain"
	ActionContinueDrain NodeAction = "ContinueDrain"
	ActionCancelDrain   NodeAction = "CancelDrain"
	ActionDelete        NodeAction = "Delete"
	// ActionWaitGone: the pod is terminating; the node stays taken until it is gone.
	ActionWaitGone NodeAction = "WaitGone"
)

// Node is a Kubernetes node that matches the pool's placement.
type Node struct {
	Name        string
	Ready       bool
	Schedulable bool
	// Sticky: the node held one of the pool's StaticIPs before (StaticIP lastNodeName), so
	// choosing it again gives YARN the same NodeId back.
	Sticky bool
}

// Pod is one of the pool's NodeManager pods.
type Pod struct {
	Name string
	// Node the pod was made for.
	Node string
	// Terminating: deletionTimestamp is set.
	Terminating bool
	// Dead: phase Failed or Succeeded; it is deleted so a new one can start.
	Dead bool
	// NeverStarted: phase Pending: no NodeManager process ever ran in the pod, so no YARN work
	// can be lost with it (positive evidence from the kubelet, unlike the RM's silence).
	NeverStarted bool
	// Drain is nil unless the pod is draining.
	Drain *DrainState
	RM    RMNode
	// Replace: the pod must drain, go and start again on its node even though the pool
	// still wants a NodeManager there: someone requested a drain, or its StaticIP is being
	// deleted (the new pod then takes another address).
	Replace bool
	// NodeID is the NodeManager's YARN NodeId (host:port) and YARNHost its host, as the pod
	// records them.
	NodeID, YARNHost string
	// HoldsStaticIPFinalizer: the pod still carries the finalizer that keeps its StaticIP
	// until YARN no longer lists the node.
	HoldsStaticIPFinalizer bool
}

// Input is everything the desired-set decision looks at.
type Input struct {
	Now    time.Time
	Demand Demand
	// Nodes that match the placement. A pod whose node is missing here left the placement or
	// the cluster; see NodeExists.
	Nodes []Node
	// NodeExists says whether a node object exists at all (matching or not).
	NodeExists func(name string) bool
	Pods       []Pod
	// MaxNodes caps running NodeManagers; negative means no cap.
	MaxNodes int32
	// FreeStaticIPs is how many valid StaticIPs are not bound; each Create takes one.
	FreeStaticIPs int
	// NewDrainDeadline is the deadline of a drain that starts now (see DrainDeadline).
	NewDrainDeadline time.Time
	Drain            DrainPolicy
	RMReachable      bool
	// Capacity is the pool's capacity: a Static pool's NodeManagers are kept at it.
	Capacity v1alpha1.CapacitySpec
	// ExcludeFile is the state of the RM's exclude file (YarnGraceful); nil for other
	// strategies.
	ExcludeFile *ExcludeFileInput
	// NodeLabel is the pool's YARN partition; nil when the pool has none or the RM's labels
	// could not be read.
	NodeLabel *NodeLabelInput
}

// Decision is the action for one node or pod.
type Decision struct {
	Action NodeAction
	Node   string
	// Pod is empty for Create.
	Pod string
	// DrainDeadline for StartDrain.
	DrainDeadline time.Time
	// Drain is the next drain steps for StartDrain, ContinueDrain and CancelDrain.
	Drain DrainPlan
	// SetCapacity is the RM resize to send, nil for none: Keep re-applies a Static pool's
	// capacity the RM forgot; CancelDrain gives the static capacity back.
	SetCapacity *v1alpha1.Resources
	// ShedTarget (CancelDrain) replaces the guarder's zero target with the static capacity.
	ShedTarget *v1alpha1.Resources
	// ReleaseStaticIP (WaitGone): YARN no longer lists the node, so the pod's StaticIP
	// finalizer goes and its address (and YARN NodeId) may be reused.
	ReleaseStaticIP bool
}

// Result is the decision for the whole pool.
type Result struct {
	Decisions []Decision
	// Eligible nodes: ready, schedulable and matching the placement.
	Eligible int32
	// Desired is how many NodeManagers should run now.
	Desired int32
	// ShortOfStaticIPs is how many of the desired NodeManagers cannot start for lack of a
	// free StaticIP; ShortOfNodes for lack of eligible nodes (on-demand asks for more).
	ShortOfStaticIPs, ShortOfNodes int32
	// WakeAt is the earliest drain wake-up or exclude-Job retry (zero when none).
	WakeAt time.Time
	// Exclude is the exclude-file Job to create (YarnGraceful).
	Exclude ExcludeDecision
	// Labels is what to write to the RM's node labels.
	Labels LabelDecision
}

// Count returns how many decisions have action a.
func (r Result) Count(a NodeAction) int32 {
	var n int32
	for _, d := range r.Decisions {
		if d.Action == a {
			n++
		}
	}
	return n
}

// Decide chooses, per node, what to do. The choice is stable so pools do not churn: nodes
// that already run a NodeManager come first (running before draining), then nodes that held
// a StaticIP before, then by name.
func Decide(in Input) Result {
	var res Result
	podsByNode := groupByNode(in.Pods)
	candidates := candidatesOf(in.Nodes)
	res.Eligible = int32(len(candidates))

	target := res.Eligible
	if in.Demand.Want != AllEligible {
		target = in.Demand.Want
	}
	if in.MaxNodes >= 0 && target > in.MaxNodes {
		target = in.MaxNodes
	}
	res.Desired = target
	if target > res.Eligible {
		res.ShortOfNodes = target - res.Eligible
	}

	rankCandidates(candidates, podsByNode)
	chosen := make(map[string]bool, min(int(target), len(candidates)))
	free := in.FreeStaticIPs
	var taken int32
	for _, n := range candidates {
		if taken >= target {
			break
		}
		switch {
		case hasAnyPod(podsByNode[n.Name]):
			// Running, draining, terminating or dead: the node already holds an address.
		case free > 0:
			free--
		default:
			res.ShortOfStaticIPs++
			continue
		}
		chosen[n.Name] = true
		taken++
	}

	res.Decisions = make([]Decision, 0, len(chosen)+len(in.Pods))
	for _, n := range candidates {
		if chosen[n.Name] && !hasAnyPod(podsByNode[n.Name]) {
			res.Decisions = append(res.Decisions, Decision{Action: ActionCreate, Node: n.Name})
		}
	}
	excluded := excludedHosts{now: in.Now}
	res.Labels = labelsFor(in)
	for _, p := range in.Pods {
		d := decidePod(in, p, chosen[p.Node], podsByNode[p.Node])
		res.Decisions = append(res.Decisions, d)
		res.WakeAt = earliest(res.WakeAt, d.Drain.WakeAt)
		excluded.add(p, d)
		res.Labels.add(p, d)
	}
	if in.ExcludeFile != nil {
		res.Exclude = excluded.decide(*in.ExcludeFile)
		res.WakeAt = earliest(res.WakeAt, res.Exclude.RetryAt)
	}
	sort.SliceStable(res.Decisions, func(i, j int) bool {
		if res.Decisions[i].Node != res.Decisions[j].Node {
			return res.Decisions[i].Node < res.Decisions[j].Node
		}
		return res.Decisions[i].Pod < res.Decisions[j].Pod
	})
	return res
}

// earliest of two instants, zero meaning none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func decidePod(in Input, p Pod, chosen bool, sameNode []Pod) Decision {
	d := Decision{Node: p.Node, Pod: p.Name}
	live, _ := livePod(sameNode)
	switch {
	case p.Terminating:
		d.Action = ActionWaitGone
		d.ReleaseStaticIP = staticIPReleasable(in, p)
	case p.Dead:
		d.Action = ActionDelete
	case in.NodeExists != nil && !in.NodeExists(p.Node):
		// The node is gone: the pod cannot run anywhere; free its StaticIP.
		d.Action = ActionDelete
	case live != nil && live.Name != p.Name:
		// A second live pod for one node (should not happen): keep the first only.
		d.Action = ActionDelete
	case chosen && p.Drain == nil && !p.Replace:
		d.Action = ActionKeep
		d.SetCapacity = capacityDrift(in, p)
	case chosen && !p.Replace:
		// A YarnGraceful host leaves the exclude file with the next exclude Job, which
		// recommissions it (see DecideExcludeFile).
		d.Action = ActionCancelDrain
		d.SetCapacity, d.ShedTarget = restoredCapacity(in)
	case p.NeverStarted:
		d.Action = ActionDelete
	case p.Drain == nil:
		d.Action = ActionStartDrain
		d.DrainDeadline = in.NewDrainDeadline
		st := DrainState{Started: in.Now, Deadline: in.NewDrainDeadline}
		d.Drain = NextDrainSteps(in.Drain, st, p.RM, in.RMReachable, in.Now)
		if d.Drain.Has(StepDeletePod) {
			// The RM says the node left YARN, or the window's drain period is already over.
			d.Action = ActionDelete
		}
	default:
		d.Drain = NextDrainSteps(in.Drain, *p.Drain, p.RM, in.RMReachable, in.Now)
		d.Action = ActionContinueDrain
		if d.Drain.Has(StepDeletePod) {
			d.Action = ActionDelete
		}
	}
	return d
}

// groupByNode maps each node to its pods, in their order, as slices of one array (one
// allocation for the pool instead of one per node).
func groupByNode(pods []Pod) map[string][]Pod {
	byNode := make([]Pod, len(pods))
	copy(byNode, pods)
	sort.SliceStable(byNode, func(i, j int) bool { return byNode[i].Node < byNode[j].Node })
	out := make(map[string][]Pod, len(pods))
	for start := 0; start < len(byNode); {
		end := start + 1
		for end < len(byNode) && byNode[end].Node == byNode[start].Node {
			end++
		}
		out[byNode[start].Node] = byNode[start:end:end]
		start = end
	}
	return out
}

func candidatesOf(nodes []Node) []Node {
	out := make([]Node, 0, len(nodes))
	for _, n := range nodes {
		if n.Ready && n.Schedulable {
			out = append(out, n)
		}
	}
	return out
}

func rankCandidates(nodes []Node, podsByNode map[string][]Pod) {
	rank := func(n Node) int {
		live, draining := livePod(podsByNode[n.Name])
		switch {
		case live != nil && !draining:
			return 0
		case live != nil:
			return 1
		case hasAnyPod(podsByNode[n.Name]):
			return 2 // terminating or dead: it held an IP a moment ago
		case n.Sticky:
			return 3
		}
		return 4
	}
	sort.SliceStable(nodes, func(i, j int) bool {
		ri, rj := rank(nodes[i]), rank(nodes[j])
		if ri != rj {
			return ri < rj
		}
		return nodes[i].Name < nodes[j].Name
	})
}

// livePod is the first (by name) pod that is neither terminating nor dead.
func livePod(pods []Pod) (*Pod, bool) {
	var best *Pod
	for i := range pods {
		p := &pods[i]
		if p.Terminating || p.Dead {
			continue
		}
		if best == nil || p.Name < best.Name {
			best = p
		}
	}
	if best == nil {
		return nil, false
	}
	return best, best.Drain != nil
}

func hasAnyPod(pods []Pod) bool { return len(pods) > 0 }
