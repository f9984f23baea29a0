package sim

import (
	"math"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

const bytesPerMiB = 1 << 20

// ElasticOptions configure the product in the simulation.
type ElasticOptions struct {
	// Name labels the strategy in the results.
	Name string
	// Spec is the pool's spec; Settings come from policy.FromSpec, the window, interval,
	// metric and write budget from Spec.Capacity.Dynamic as the controller reads them.
	Spec    v1alpha1.ElasticNodeManagerSpec
	Weights selection.Weights
}

// DefaultElasticSpec is the test kit's resident pool with the API's defaults filled in, as
// the API server would store it, and the simulator's RM write budget: 120 writes a minute.
func DefaultElasticSpec() v1alpha1.ElasticNodeManagerSpec {
	dc := testkit.DynamicCapacity(testkit.DefaultPrometheusURL)
	dc.MaxRMWritesPerMinute = 120
	return testkit.WithAPIDefaults(testkit.Pool(testkit.PoolOptions{Dynamic: dc})).Spec
}

// DefaultElasticOptions is the product as shipped.
func DefaultElasticOptions() ElasticOptions {
	return ElasticOptions{Name: "elastic-yarn", Spec: DefaultElasticSpec(), Weights: selection.DefaultWeights()}
}

// Elastic is the product: every interval the capacity controller's own cycle step
// (controllers/capacity/cycle: policy.Decide per node, the pool's RM write budget, urgency
// order, grows in flight, previous targets, the ledger), then the guarder model. The
// simulator only supplies what the controller gathers (window statistics of koordlet's
// series, the RM's view) and carries out the plan through its RM and guarder models.
type Elastic struct {
	opt      ElasticOptions
	settings cycle.Settings

	nodes   []elasticNode
	guarder *guarderModel
	state   cycle.State
	next    time.Duration
	obs     []cycle.Observation
}

type elasticNode struct {
	cpu, memory *window
	used        *window
}

// NewElastic builds the strategy; it panics on a spec the controller rejects (a programming
// error in the caller's options).
func NewElastic(opt ElasticOptions) *Elastic {
	s, err := cycle.SettingsFromSpec(&opt.Spec, 0)
	if err != nil {
		panic(err)
	}
	return &Elastic{opt: opt, settings: s,
		state: cycle.State{Previous: map[string]policy.Resources{}, InFlight: map[string]cycle.SentResize{}}}
}

// ElasticFactory returns a Factory for opt.
func ElasticFactory(opt ElasticOptions) Factory { return func() Strategy { return NewElastic(opt) } }

func (e *Elastic) Name() string {
	if e.opt.Name != "" {
		return e.opt.Name
	}
	return "elastic-yarn"
}

func (e *Elastic) init(c *Cluster) {
	steps := func(d time.Duration) int { return int(math.Ceil(float64(d) / float64(c.Step))) }
	e.nodes = make([]elasticNode, len(c.Nodes))
	for i := range e.nodes {
		e.nodes[i] = elasticNode{cpu: newWindow(steps(e.settings.Window)), memory: newWindow(steps(e.settings.Window)),
			used: newWindow(max(steps(e.settings.Policy.Safety.ShedAfter), steps(time.Minute)))}
	}
	e.guarder = newGuarderModel(len(c.Nodes), e.opt.Weights, e.settings.Policy.GuarderGrace)
	e.obs = make([]cycle.Observation, len(c.Nodes))
}

func (e *Elastic) Control(c *Cluster) {
	if e.nodes == nil {
		e.init(c)
	}
	e.scrape(c)
	if c.Now >= e.next {
		e.next = c.Now + e.settings.Interval
		e.runCycle(c)
	}
	e.guarder.cycle(c)
}

// scrape records this step's koordlet samples, as Prometheus would.
func (e *Elastic) scrape(c *Cluster) {
	for _, n := range c.Nodes {
		st := &e.nodes[n.Index]
		cpu := n.Obs.SuppressCores
		if e.settings.CPUMetric == v1alpha1.BatchAllocatable {
			cpu = n.Obs.BatchCPUCores
		}
		st.cpu.add(cpu)
		st.memory.add(n.Obs.BatchMemoryMB * bytesPerMiB)
		st.used.add(n.Obs.NodeUsedCores)
	}
}

// runCycle gathers every node, runs the controller's cycle step and carries out its plan:
// the jobs in the plan's order, each node's actions in their policy order, then the ledger.
// RM writes always reach the simulated RM, which shows them after Config.RMApplyDelay; like
// the controller's RM client, a write that is a node's last action is sent without waiting.
func (e *Elastic) runCycle(c *Cluster) {
	now := c.Time(c.Now)
	for _, n := range c.Nodes {
		e.obs[n.Index] = e.observe(c, n, now)
	}
	plan := cycle.Step(e.settings, e.obs, e.state, now)
	results := make([]cycle.Result, len(plan.Jobs))
	for k, i := range plan.Jobs {
		n, d := c.Nodes[i], plan.Nodes[i].Decision
		for j, a := range d.Actions {
			switch a.Kind {
			case policy.ActionSetRM:
				c.SetRM(n, a.Target)
				results[k].SentOnly = !cycle.WaitsForRM(d, j)
			case policy.ActionSetGuarder:
				e.guarder.setTarget(n, a.Target, a.Deadline)
			}
		}
		results[k].Done = true
	}
	state, err := plan.Commit(results)
	if err != nil {
		panic(err) // one result per job above
	}
	e.state = state
	// The controller writes what YARN uses into Koordinator's ledger (writeAllocations); the
	// next cycle adds it back to what koordlet publishes.
	for _, l := range plan.Ledger {
		c.Nodes[l.Node].ThirdParty = l.Used
	}
}

// observe is what the controller gathers about n: the window statistics Prometheus would
// return, Koordinator's ledger on the Node, and the RM's listing.
func (e *Elastic) observe(c *Cluster, n *Node, now time.Time) cycle.Observation {
	st := &e.nodes[n.Index]
	q := e.settings.Policy.QuantilePercent
	recent := st.used.last(int(math.Ceil(float64(time.Minute) / float64(c.Step))))
	// The CPU-eviction guard's short view, over the same span the Prometheus source queries.
	recentCPU := st.cpu.last(int(math.Ceil(float64(promquery.RecentWindow) / float64(c.Step))))
	m := policy.Metrics{
		CPUPresent: st.cpu.filled > 0, MemoryPresent: st.memory.filled > 0,
		CPUCores: st.cpu.stats(q), MemoryBytes: st.memory.stats(q), NewestSample: now,
		RecentCPUPresent: len(recentCPU) > 0, RecentCPUCores: meanOf(recentCPU),
	}
	// Koordinator's ledger on the Node: what the last cycle wrote for YARN, and the origin
	// allocatable koord-manager annotates.
	ledger := koordledger.Ledger{
		YARN:   koordledger.Batch{Cores: float64(n.ThirdParty.VCores), MemoryBytes: float64(n.ThirdParty.MemoryMB) * bytesPerMiB},
		Origin: koordledger.Batch{Cores: n.Obs.OriginCPUCores, MemoryBytes: n.Obs.OriginMemoryMB * bytesPerMiB}, OriginKnown: true,
	}
	o := cycle.Observation{
		ID:      n.Name,
		Metrics: m,
		Ledger:  &ledger,
		Usage: policy.NodeUsage{Known: st.used.filled > 0, RecentCores: meanOf(recent),
			SustainedMinCores: minOf(st.used.last(st.used.filled)), CapacityCores: n.CPUCores},
	}
	if n.RM.Registered {
		o.RM = policy.RMState{Known: true, Total: n.RM.Total, Used: n.Allocated()}
	}
	return o
}
