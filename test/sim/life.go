package sim

import (
	"math"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
)

// lifecycle settles what happened to n's containers up to now: natural completions, exits
// after a signal, and force-kills, whichever came first for each.
func (c *Cluster) lifecycle(n *Node) {
	if c.Now < n.nextEvent {
		return
	}
	kept := n.Containers[:0]
	n.nextEvent = never
	for _, ct := range n.Containers {
		if ct.nextEvent() > c.Now {
			kept = append(kept, ct)
			n.nextEvent = min(n.nextEvent, ct.nextEvent())
			continue
		}
		c.settle(ct)
	}
	clear(n.Containers[len(kept):])
	n.Containers = kept
}

// settle books a container that left: its work as useful or lost, re-runs, and counters.
func (c *Cluster) settle(ct *Container) {
	switch {
	case ct.End <= min(ct.ExitAt, ct.ForceAt):
		c.fig.Finished++
		c.useful(ct, ct.End)
		if ct.Leaving() {
			c.fig.GracefulExits++ // it left before any force was needed
		}
	case ct.ExitAt < ct.ForceAt:
		c.fig.GracefulExits++
		if ct.Signal == SignalDecommission {
			c.fig.DecommissionExits++
			c.useful(ct, ct.ExitAt)
			if rest, ok := ct.Spec.Remainder(ct.Progress(ct.ExitAt)); ok {
				c.queue.Requeue(rest, c.Now)
			}
			return
		}
		c.lost(ct, ct.ExitAt, false)
	default:
		c.fig.ForceKills++
		c.lost(ct, ct.ForceAt, false)
	}
}

// useful books the work a container did by at: its progress, not its runtime, so work that
// CPU throttling slowed down counts once.
func (c *Cluster) useful(ct *Container, at time.Duration) {
	c.fig.UsefulVCoreHours += float64(ct.Spec.VCores) * ct.Progress(at).Hours()
}

// lost books the container's work as thrown away and queues it again: from scratch, or from
// its last checkpoint (streaming). byEviction says who threw it away.
func (c *Cluster) lost(ct *Container, at time.Duration, byEviction bool) {
	kept, lost := ct.Spec.SplitAtKill(ct.Progress(at))
	vc := float64(ct.Spec.VCores)
	c.fig.UsefulVCoreHours += vc * kept.Hours()
	c.fig.LostVCoreHours += vc * lost.Hours()
	if byEviction {
		c.fig.LostToEvictionsVCoreHours += vc * lost.Hours()
	}
	switch {
	case ct.Spec.Class.AM():
		c.fig.AMKills++
	case ct.Spec.Class.Streaming():
		c.fig.StreamingKills++
	}
	if kept > 0 {
		if rest, ok := ct.Spec.Remainder(kept); ok {
			c.queue.Requeue(rest, c.Now)
		}
		return
	}
	c.queue.Requeue(ct.Spec.Rerun(), c.Now)
}

// restart brings an evicted NM back once its pod is recreated.
func (c *Cluster) restart(n *Node) {
	if n.Down && c.Now >= n.DownUntil {
		n.Down = false
		n.Incarnation++
		n.RM.register(c.Config.NMConfigured)
	}
}

// koordinator runs Koordinator's step for n and carries out an eviction. The NM pod is the
// node's only BE pod: it exists unless evicted, it requests what the strategy's pod spec
// requests, and the YARN containers in it are its usage.
func (c *Cluster) koordinator(n *Node, s Strategy) {
	onlineCPU, onlineMem := n.Online(c.K)
	request := c.Config.NMPodRequest
	if r, ok := s.(NMPodRequester); ok {
		request = r.NMPodRequest()
	}
	in := koordinator.Input{OnlineCPUCores: onlineCPU, OnlineMemoryMB: onlineMem, BEPodPresent: !n.Down,
		BERequestCores:     float64(request.VCores),
		ThirdPartyCPUCores: float64(n.ThirdParty.VCores), ThirdPartyMemoryMB: float64(n.ThirdParty.MemoryMB)}
	for _, ct := range n.Containers {
		in.BEDemandCores += float64(ct.Spec.VCores) * ct.Spec.CPUUse
		in.BEMemoryMB += float64(ct.Spec.MemoryMB) * ct.Spec.MemoryUse
	}
	n.Obs = n.koord.Step(c.Now, in)
	c.throttle(n, s, in)
	if n.Obs.Evict == koordinator.NoEviction {
		return
	}
	if e, ok := s.(EvictionFree); ok && e.EvictionFree() {
		n.Obs.Evict = koordinator.NoEviction
		return
	}
	if len(n.Containers) == 0 {
		c.fig.EmptyEvictions++
	}
	if n.Obs.Evict == koordinator.EvictCPU {
		c.fig.CPUEvictions++
	} else {
		c.fig.MemoryEvictions++
	}
	if c.Config.RecordEvictions {
		c.fig.EvictionLog = append(c.fig.EvictionLog, EvictionRecord{Node: n.Name, At: c.Now, Reason: n.Obs.Evict,
			Window: n.Obs.Window, MemoryMB: n.Obs.NodeMemoryMB, CapacityMB: n.MemoryMB})
	}
	c.evict(n)
}

// throttle slows n's containers for this step when YARN's CPU demand is above what the batch
// tier may use: koordlet caps the BE cgroup at its suppress figure (cpusuppress: a cpuset or a
// CFS quota), so every container progresses at limit/demand of its speed and finishes later.
// Under Caelus, which runs instead of koordlet, the cap is what the online services and the
// host leave of the machine: CFS gives the online pods' higher shares precedence. A strategy
// that offers YARN more than the batch tier has therefore gets no more work done for it; it
// only holds the containers (and their memory) longer.
func (c *Cluster) throttle(n *Node, s Strategy, in koordinator.Input) {
	if in.BEDemandCores <= 0 || len(n.Containers) == 0 {
		return
	}
	limit := n.Obs.SuppressCores
	if w, ok := s.(WithoutKoordlet); ok && w.WithoutKoordlet() {
		limit = n.CPUCores - in.OnlineCPUCores - c.Config.Koord.SystemCPUCores
	}
	speed := math.Max(0, math.Min(1, limit/in.BEDemandCores))
	if speed >= 1 {
		return
	}
	held := time.Duration(float64(c.Step) * (1 - speed))
	for _, ct := range n.Containers {
		ct.Stalled += held
		ct.End += held
	}
}

// evict takes the whole NM pod: every container's work is lost, the NM leaves the RM and
// comes back after NMRestartDelay.
func (c *Cluster) evict(n *Node) {
	for _, ct := range n.Containers {
		c.lost(ct, c.Now, true)
	}
	clear(n.Containers)
	n.Containers = n.Containers[:0]
	n.nextEvent = never
	n.RM.unregister()
	n.Down, n.DownUntil = true, c.Now+c.Config.NMRestartDelay
	n.Incarnation++
}
