package sim

import (
	"strconv"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

// guarderModel is the guarder sidecar of every NM: it keeps the last target the operator
// posted, and every scan (every step) decides through the guarder worker's own
// selection.Shed (an ApplicationMaster is held back while its application's tasks on the node
// leave, until the deadline allows no more) and applies the guarder's signal policy: SIGPWR to
// containers that handle it (decommission, work kept), SIGTERM to the others, SIGKILL at the
// signaller's KillAt. Containers already signalled count as leaving.
type guarderModel struct {
	weights selection.Weights
	grace   time.Duration
	nodes   []guarderState
	cands   []selection.Candidate
}

type guarderState struct {
	has         bool
	target      selection.Target
	deadline    time.Time
	incarnation int
}

func newGuarderModel(nodes int, weights selection.Weights, grace time.Duration) *guarderModel {
	return &guarderModel{weights: weights, grace: grace, nodes: make([]guarderState, nodes)}
}

// setTarget is the operator's POST /v1/target.
func (g *guarderModel) setTarget(n *Node, r Resources, deadline time.Time) {
	g.nodes[n.Index] = guarderState{has: true, target: selection.Target{VCores: r.VCores, MemoryMB: r.MemoryMB},
		deadline: deadline, incarnation: n.Incarnation}
}

// cycle runs one scan on every node.
func (g *guarderModel) cycle(c *Cluster) {
	for _, n := range c.Nodes {
		st := &g.nodes[n.Index]
		if st.has && st.incarnation != n.Incarnation {
			*st = guarderState{} // the pod was replaced: a new sidecar starts without a target
		}
		if !st.has || n.Down {
			continue
		}
		staying := n.Staying()
		if staying.VCores <= st.target.VCores && staying.MemoryMB <= st.target.MemoryMB {
			continue // Decide would select nothing; skip building its input
		}
		g.shed(c, n, st)
	}
}

func (g *guarderModel) shed(c *Cluster, n *Node, st *guarderState) {
	g.cands = g.cands[:0]
	for _, ct := range n.Containers {
		g.cands = append(g.cands, candidate(c, ct))
	}
	now := c.Time(c.Now)
	staged := selection.Shed(g.cands, st.target, now, st.deadline, g.grace, g.weights)
	forceAt := c.Offset(signaller.KillAt(now, st.deadline, g.grace))
	for _, choice := range staged.Signal {
		ct := findContainer(n, choice.ID)
		if ct == nil {
			continue
		}
		kind := SignalTerminate
		if choice.Graceful {
			kind = SignalDecommission
		}
		c.Signal(n, ct, kind, forceAt)
	}
}

func candidate(c *Cluster, ct *Container) selection.Candidate {
	return selection.Candidate{
		ID: ct.ID, VCores: ct.Spec.VCores, MemoryMB: ct.Spec.MemoryMB,
		GracefulCapable: ct.Spec.Class.GracefulCapable(), StartedAt: c.Time(ct.Start),
		AM: ct.Spec.Class.AM(), Streaming: ct.Spec.Class.Streaming(), Leaving: ct.Leaving(), App: appOf(ct),
	}
}

// appOf is the container's YARN application id as the guarder reads it from the container
// id; empty when the workload does not know it.
func appOf(ct *Container) string {
	if ct.Spec.App == 0 {
		return ""
	}
	return "app" + strconv.FormatUint(ct.Spec.App, 10)
}

func findContainer(n *Node, id string) *Container {
	for _, ct := range n.Containers {
		if ct.ID == id {
			return ct
		}
	}
	return nil
}
