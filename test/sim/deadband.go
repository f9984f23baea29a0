package sim

import (
	"cmp"
	"slices"
	"time"
)

// DeadbandOptions tune DeadbandNewest.
type DeadbandOptions struct {
	// Interval of the control loop (rounded up to the simulation step).
	Interval time.Duration
	// BandPercent and BandVCores: a change smaller than both is ignored.
	BandPercent int64
	BandVCores  int64
	// BandMemoryMB is the dead band's floor for memory.
	BandMemoryMB int64
	// IncreaseEvery limits increases to one per period.
	IncreaseEvery time.Duration
	// KillGrace is the time between SIGTERM and SIGKILL.
	KillGrace time.Duration
}

// DefaultDeadbandOptions follow Tencent Caelus: a 10 s loop, a dead band, one increase a
// minute, SIGTERM then SIGKILL after 2 s.
func DefaultDeadbandOptions() DeadbandOptions {
	return DeadbandOptions{Interval: 10 * time.Second, BandPercent: 10, BandVCores: 2, BandMemoryMB: 2048,
		IncreaseEvery: time.Minute, KillGrace: 2 * time.Second}
}

// DeadbandNewest follows what the node can give now (batch CPU computed from the current
// online use, as Caelus measures it itself every loop), ignores changes inside a dead band,
// raises at most once a minute, and on a shrink kills the newest containers first
// (ApplicationMasters last) until the rest fits.
type DeadbandNewest struct {
	opt          DeadbandOptions
	next         time.Duration
	lastIncrease []time.Duration
}

// NewDeadbandNewest is the Factory for DeadbandNewest with default options.
func NewDeadbandNewest() Strategy { return &DeadbandNewest{opt: DefaultDeadbandOptions()} }

func (d *DeadbandNewest) Name() string { return "deadband-newest" }

func (d *DeadbandNewest) Control(c *Cluster) {
	if d.lastIncrease == nil {
		d.lastIncrease = make([]time.Duration, len(c.Nodes))
		for i := range d.lastIncrease {
			d.lastIncrease[i] = -d.opt.IncreaseEvery
		}
	}
	if c.Now < d.next {
		return
	}
	d.next = c.Now + d.opt.Interval
	for _, n := range c.Nodes {
		if !n.RM.Registered {
			continue
		}
		cur := n.RM.Effective()
		want := wholeUnits(n.Obs.RawBatchCPUCores, n.Obs.RawBatchMemoryMB)
		target := Resources{
			VCores:   d.band(cur.VCores, want.VCores, d.opt.BandVCores),
			MemoryMB: d.band(cur.MemoryMB, want.MemoryMB, d.opt.BandMemoryMB),
		}
		if target.VCores > cur.VCores || target.MemoryMB > cur.MemoryMB {
			if c.Now-d.lastIncrease[n.Index] < d.opt.IncreaseEvery {
				target = target.Min(cur) // no increase yet: keep only the decreases
			} else {
				d.lastIncrease[n.Index] = c.Now
			}
		}
		if target != cur {
			c.SetRM(n, target)
		}
		d.killNewest(c, n, target)
	}
}

// band returns want when it differs from cur by more than the dead band, else cur.
func (d *DeadbandNewest) band(cur, want, floor int64) int64 {
	diff := want - cur
	if diff < 0 {
		diff = -diff
	}
	if diff < max(floor, cur*d.opt.BandPercent/100) {
		return cur
	}
	return want
}

// killNewest signals the newest containers (AMs last) until the others fit the target.
func (d *DeadbandNewest) killNewest(c *Cluster, n *Node, target Resources) {
	staying := n.Staying()
	if !target.LessInAny(staying) {
		return
	}
	order := make([]*Container, 0, len(n.Containers))
	for _, ct := range n.Containers {
		if !ct.Leaving() {
			order = append(order, ct)
		}
	}
	slices.SortStableFunc(order, func(a, b *Container) int {
		if a.Spec.Class.AM() != b.Spec.Class.AM() {
			if a.Spec.Class.AM() {
				return 1
			}
			return -1
		}
		return cmp.Compare(b.Start, a.Start) // newest first
	})
	for _, ct := range order {
		if !target.LessInAny(staying) {
			return
		}
		c.Signal(n, ct, SignalTerminate, c.Now+d.opt.KillGrace)
		staying.VCores -= ct.Spec.VCores
		staying.MemoryMB -= ct.Spec.MemoryMB
	}
}
