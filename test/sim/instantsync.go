package sim

import "math"

// InstantSync sets every NM to Koordinator's published batch allocatable at every step, with
// no damping and no shedding: a shrink only stops new containers (koordinator-sh/yarn-copilot,
// which never kills on shrink).
type InstantSync struct{}

// NewInstantSync is the Factory for InstantSync.
func NewInstantSync() Strategy { return InstantSync{} }

func (InstantSync) Name() string { return "instant-sync" }

func (InstantSync) Control(c *Cluster) {
	syncRM(c, func(n *Node) Resources { return wholeUnits(n.Obs.BatchCPUCores, n.Obs.BatchMemoryMB) })
}

// syncRM sets every registered NodeManager's RM size to offer(n) wherever it differs.
func syncRM(c *Cluster, offer func(*Node) Resources) {
	for _, n := range c.Nodes {
		if !n.RM.Registered {
			continue
		}
		if target := offer(n); target != n.RM.Effective() {
			c.SetRM(n, target)
		}
	}
}

// wholeUnits rounds a batch offer down to whole vcores and GiB (YARN's increments).
func wholeUnits(cpuCores, memoryMB float64) Resources {
	return Resources{
		VCores:   int64(math.Floor(cpuCores + 1e-9)),
		MemoryMB: int64(math.Floor(memoryMB/minContainerMB)) * minContainerMB,
	}
}
