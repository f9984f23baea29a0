package sim

import (
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/sim/trace"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/workload"
)

// Cluster is one strategy's copy of the simulated cluster.
type Cluster struct {
	Config Config
	Step   time.Duration
	Nodes  []*Node
	// K is the step index and Now its offset from Config.Start.
	K   int
	Now time.Duration

	steps int
	queue *workload.Queue
	fig   Figures
}

// NewCluster builds a cluster over traces (which must share one step and length; see
// trace.Common) for the strategy named name.
func NewCluster(cfg Config, traces []trace.Series, name string) *Cluster {
	c := &Cluster{Config: cfg, Step: traces[0].Step, steps: traces[0].Len(),
		queue: workload.NewQueue(workload.NewGenerator(cfg.workloadOptions()), cfg.MaxWait),
		fig:   Figures{Strategy: name, Nodes: len(traces)}}
	c.Nodes = make([]*Node, len(traces))
	for i := range traces {
		c.Nodes[i] = newNode(i, &traces[i], cfg)
	}
	return c
}

// Steps is the number of steps in the run.
func (c *Cluster) Steps() int { return c.steps }

// Time converts an offset to the wall clock the policy and the guarder see.
func (c *Cluster) Time(d time.Duration) time.Time { return c.Config.Start.Add(d) }

// Offset converts a wall-clock time back to an offset.
func (c *Cluster) Offset(t time.Time) time.Duration { return t.Sub(c.Config.Start) }

// SetRM writes a node's capacity to the RM (counted; visible after Config.RMApplyDelay).
func (c *Cluster) SetRM(n *Node, r Resources) {
	if n.RM.Registered {
		n.RM.write(c.Now, c.Config.RMApplyDelay, r)
	}
}

// Signal asks a running container to leave. kind decides how long it takes and whether its
// work is kept; forceAt is when it is killed if still there. SignalKill removes it now.
// A container already leaving is not signalled again.
func (c *Cluster) Signal(n *Node, ct *Container, kind SignalKind, forceAt time.Duration) {
	if ct.Leaving() {
		return
	}
	ct.Signal = kind
	switch kind {
	case SignalDecommission:
		ct.ExitAt = c.Now + ct.Spec.Decommission
	case SignalTerminate:
		ct.ExitAt = c.Now + ct.Spec.Terminate
	case SignalKill:
		ct.ExitAt, forceAt = never, c.Now
	}
	ct.ForceAt = max(forceAt, c.Now)
	n.nextEvent = min(n.nextEvent, ct.nextEvent())
	if kind == SignalKill {
		c.lifecycle(n)
	}
}

// Configure lets a Configurer strategy set the size every NM registers with; call it before
// the first Advance.
func (c *Cluster) Configure(s Strategy) {
	if cs, ok := s.(Configurer); ok {
		c.Config.NMConfigured = cs.Configured()
		for _, n := range c.Nodes {
			n.RM.register(c.Config.NMConfigured)
		}
	}
}

// Advance runs one step with strategy s.
func (c *Cluster) Advance(s Strategy) {
	c.Now = time.Duration(c.K) * c.Step
	for _, n := range c.Nodes {
		c.lifecycle(n)
		c.restart(n)
		n.RM.apply(c.Now)
		c.koordinator(n, s)
	}
	s.Control(c)
	c.schedule()
	for _, n := range c.Nodes {
		c.account(n)
	}
	c.K++
}

// Run replays every step with s and returns the figures.
func (c *Cluster) Run(s Strategy) Figures {
	c.Configure(s)
	for c.K < c.steps {
		c.Advance(s)
	}
	return c.Figures()
}

// Figures are the results so far. Containers still running at the end count as used but
// neither useful nor lost.
func (c *Cluster) Figures() Figures {
	f := c.fig
	f.Hours = float64(c.K) * c.Step.Hours()
	f.RMWrites = 0
	for _, n := range c.Nodes {
		f.RMWrites += n.RM.Writes
	}
	f.ServedElsewhere = c.queue.Elsewhere
	return f
}
