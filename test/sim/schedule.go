package sim

import "github.com/elasticyarn/elastic-yarn-operator/test/sim/workload"

// minContainerMB is YARN's minimum allocation: a node with less free memory takes nothing.
const minContainerMB = 1024

// schedule is the RM's scheduler: on every registered NM, containers start from the queue
// while the advertised capacity has room. Nodes are visited from a rotating start so no node
// always gets the head of the queue.
func (c *Cluster) schedule() {
	c.queue.Expire(c.Now)
	for i := range c.Nodes {
		n := c.Nodes[(c.K+i)%len(c.Nodes)]
		if !n.RM.Registered {
			continue
		}
		alloc := n.Allocated()
		room := Resources{VCores: n.RM.Total.VCores - alloc.VCores, MemoryMB: n.RM.Total.MemoryMB - alloc.MemoryMB}
		fits := func(s *workload.Spec) bool { return s.VCores <= room.VCores && s.MemoryMB <= room.MemoryMB }
		for room.VCores >= 1 && room.MemoryMB >= minContainerMB {
			s, ok := c.queue.Take(c.Now, fits, c.Config.Lookahead)
			if !ok {
				break
			}
			n.add(newContainer(s, c.Now))
			room.VCores -= s.VCores
			room.MemoryMB -= s.MemoryMB
		}
	}
}

// account adds the step [now, now+Step) to the figures.
func (c *Cluster) account(n *Node) {
	h := c.Step.Hours()
	alloc := float64(n.Allocated().VCores)
	// What Koordinator offers the batch tier in all, YARN's ledger entry included.
	avail := n.Obs.OriginCPUCores
	c.fig.AvailableVCoreHours += avail * h
	c.fig.UsedVCoreHours += alloc * h
	c.fig.HarvestedVCoreHours += min(alloc, avail) * h
	c.fig.AboveAvailableVCoreHours += max(0, alloc-avail) * h
	if n.MemoryMB < LowMemoryMBPerCore*n.CPUCores {
		c.fig.LowMemoryAvailableVCoreHours += avail * h
		c.fig.LowMemoryHarvestedVCoreHours += min(alloc, avail) * h
	}
	if n.Index == c.Config.ProbeNode && c.K < c.Config.ProbeSteps {
		c.fig.Probe = append(c.fig.Probe, ProbePoint{AvailableCores: avail, SuppressCores: n.Obs.SuppressCores,
			RMVCores: n.RM.Total.VCores, UsedVCores: int64(alloc)})
	}
}
