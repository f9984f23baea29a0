package sim

import (
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/trace"
)

// Node is one Kubernetes node with its NM pod.
type Node struct {
	Index    int
	Name     string
	CPUCores float64
	MemoryMB float64
	RM       RMNode
	// Containers holds the running containers, those leaving included.
	Containers []*Container
	// Obs is Koordinator's view at this step.
	Obs koordinator.Observation
	// ThirdParty is YARN's entry in the Node's thirdPartyAllocations annotation, which
	// koord-manager subtracts from the published batch allocatable. Only a strategy that
	// writes the ledger (the operator does, every cycle) sets it.
	ThirdParty Resources
	// Incarnation counts NM pod (re)starts: a strategy resets per-pod state (the guarder
	// sidecar) when it changes.
	Incarnation int
	// Down is true while an evicted NM pod is gone; it comes back at DownUntil.
	Down      bool
	DownUntil time.Duration

	series    *trace.Series
	koord     *koordinator.Node
	nextEvent time.Duration
}

func newNode(i int, s *trace.Series, cfg Config) *Node {
	n := &Node{Index: i, Name: s.Node, CPUCores: s.CPUCores, MemoryMB: s.MemoryMB, series: s,
		koord: koordinator.NewNode(cfg.Koord, s.CPUCores, s.MemoryMB, s.Step), nextEvent: never}
	n.RM.register(cfg.NMConfigured)
	return n
}

// Allocated sums the allocations of every container on the node, leaving ones included:
// YARN holds a container's resources until it has exited.
func (n *Node) Allocated() Resources {
	var r Resources
	for _, c := range n.Containers {
		r.VCores += c.Spec.VCores
		r.MemoryMB += c.Spec.MemoryMB
	}
	return r
}

// Staying sums the allocations of the containers not asked to leave.
func (n *Node) Staying() Resources {
	var r Resources
	for _, c := range n.Containers {
		if !c.Leaving() {
			r.VCores += c.Spec.VCores
			r.MemoryMB += c.Spec.MemoryMB
		}
	}
	return r
}

// Online is the trace's online CPU cores and memory at step k.
func (n *Node) Online(k int) (cpu, memoryMB float64) {
	return float64(n.series.CPU[k]) * n.CPUCores, float64(n.series.Memory[k]) * n.MemoryMB
}

func (n *Node) add(c *Container) {
	n.Containers = append(n.Containers, c)
	n.nextEvent = min(n.nextEvent, c.nextEvent())
}
