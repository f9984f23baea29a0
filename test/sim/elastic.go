package sim

import (
	"math"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/metrics"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
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

// DefaultElasticSpec is a resident pool with the API's defaults filled in, as the API server
// would store it.
func DefaultElasticSpec() v1alpha1.ElasticNodeManagerSpec {
	d := func(x time.Duration) *metav1.Duration { return &metav1.Duration{Duration: x} }
	enabled := true
	return v1alpha1.ElasticNodeManagerSpec{
		Mode: v1alpha1.ModeResident,
		Capacity: v1alpha1.CapacitySpec{
			Source: v1alpha1.CapacityKoordinator,
			Dynamic: &v1alpha1.DynamicCapacity{
				CPUMetric: v1alpha1.BESuppressCPU, Window: d(10 * time.Minute), Statistic: v1alpha1.StatisticMean,
				Interval: d(time.Minute), ScaleUpStepVCores: 3, ScaleDownTolerancePercent: 10,
				Memory:     v1alpha1.MemoryPolicy{Policy: v1alpha1.MemoryVCoreRatio, MBPerVCore: 4096},
				StaleAfter: d(3 * time.Minute), ShrinkToFloorAfter: d(15 * time.Minute), MaxRMWritesPerMinute: 120,
			},
		},
		Guarder:    v1alpha1.GuarderSpec{Enabled: &enabled, GracePeriod: d(5 * time.Minute), SignalPolicy: v1alpha1.SignalGraceful},
		NodeSafety: v1alpha1.NodeSafetySpec{Enabled: &enabled, CPUThresholdPercent: 90, ShedAfter: d(5 * time.Minute)},
	}
}

// DefaultElasticOptions is the product as shipped.
func DefaultElasticOptions() ElasticOptions {
	return ElasticOptions{Name: "elastic-yarn", Spec: DefaultElasticSpec(), Weights: selection.DefaultWeights()}
}

// Elastic is the product: policy.Decide every interval per node, RM writes through the pool's
// token bucket in policy.OrderByUrgency order, then the guarder model.
type Elastic struct {
	opt       ElasticOptions
	settings  policy.Settings
	window    time.Duration
	interval  time.Duration
	metric    v1alpha1.BatchCPUMetric
	perMinute int

	nodes   []elasticNode
	guarder *guarderModel
	bucket  policy.Bucket
	next    time.Duration
	inputs  []policy.Input
	ds      []policy.Decision
}

type elasticNode struct {
	cpu, memory *window
	used        *window
	previous    *policy.Resources
}

// NewElastic builds the strategy; it panics on a spec FromSpec rejects (a programming error
// in the caller's options).
func NewElastic(opt ElasticOptions) *Elastic {
	s, err := policy.FromSpec(&opt.Spec)
	if err != nil {
		panic(err)
	}
	dc := opt.Spec.Capacity.Dynamic
	e := &Elastic{opt: opt, settings: s, window: durationOr(dc.Window, 10*time.Minute),
		interval: durationOr(dc.Interval, time.Minute), metric: dc.CPUMetric, perMinute: int(dc.MaxRMWritesPerMinute)}
	if e.metric == "" {
		e.metric = v1alpha1.BESuppressCPU
	}
	if e.perMinute <= 0 {
		e.perMinute = 120
	}
	return e
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
		e.nodes[i] = elasticNode{cpu: newWindow(steps(e.window)), memory: newWindow(steps(e.window)),
			used: newWindow(max(steps(e.settings.Safety.ShedAfter), steps(time.Minute)))}
	}
	e.guarder = newGuarderModel(len(c.Nodes), e.opt.Weights, e.settings.GuarderGrace)
	e.inputs = make([]policy.Input, len(c.Nodes))
	e.ds = make([]policy.Decision, len(c.Nodes))
}

func (e *Elastic) Control(c *Cluster) {
	if e.nodes == nil {
		e.init(c)
	}
	e.scrape(c)
	if c.Now >= e.next {
		e.next = c.Now + e.interval
		e.decide(c)
	}
	e.guarder.cycle(c)
}

// scrape records this step's koordlet samples, as Prometheus would.
func (e *Elastic) scrape(c *Cluster) {
	for _, n := range c.Nodes {
		st := &e.nodes[n.Index]
		cpu := n.Obs.SuppressCores
		if e.metric == v1alpha1.BatchAllocatable {
			cpu = n.Obs.BatchCPUCores
		}
		st.cpu.add(cpu)
		st.memory.add(n.Obs.BatchMemoryMB * bytesPerMiB)
		st.used.add(n.Obs.NodeUsedCores)
	}
}

// decide runs policy.Decide for every node and applies the decisions, most urgent first,
// within the pool's RM write budget. A decision whose RM write is refused is skipped whole
// (neither RM nor guarder) and comes back at the next interval.
func (e *Elastic) decide(c *Cluster) {
	now := c.Time(c.Now)
	for _, n := range c.Nodes {
		e.inputs[n.Index] = e.input(c, n, now)
		// The cycle writes what YARN uses into Koordinator's ledger (controllers/capacity
		// writeAllocations); the next cycle adds it back to what koordlet publishes.
		n.ThirdParty = n.Allocated()
		e.ds[n.Index] = policy.Decide(e.settings, e.inputs[n.Index])
	}
	for _, i := range policy.OrderByUrgency(e.ds) {
		n, d := c.Nodes[i], e.ds[i]
		if d.Reason == policy.ReasonNotRegistered {
			continue
		}
		if d.WritesRM() {
			var granted int
			e.bucket, granted = e.bucket.Take(now, e.perMinute, 1)
			if granted == 0 {
				continue
			}
		}
		for _, a := range d.Actions {
			switch a.Kind {
			case policy.ActionSetRM:
				c.SetRM(n, a.Target)
			case policy.ActionSetGuarder:
				e.guarder.setTarget(n, a.Target, c.Offset(a.Deadline))
			}
		}
		target := d.Target
		e.nodes[i].previous = &target
	}
}

func (e *Elastic) input(c *Cluster, n *Node, now time.Time) policy.Input {
	st := &e.nodes[n.Index]
	q := e.settings.QuantilePercent
	recent := st.used.last(int(math.Ceil(float64(time.Minute) / float64(c.Step))))
	// The satisfaction guard's short view, over the same span the Prometheus source queries.
	recentCPU := st.cpu.last(int(math.Ceil(float64(metrics.RecentWindow) / float64(c.Step))))
	m := policy.Metrics{
		CPUPresent: st.cpu.filled > 0, MemoryPresent: st.memory.filled > 0,
		CPUCores: st.cpu.stats(q), MemoryBytes: st.memory.stats(q), NewestSample: now,
		RecentCPUPresent: len(recentCPU) > 0, RecentCPUCores: meanOf(recentCPU),
	}
	ledger := metrics.Ledger{
		YARN:   metrics.Batch{Cores: float64(n.ThirdParty.VCores), MemoryBytes: float64(n.ThirdParty.MemoryMB) * bytesPerMiB},
		Origin: metrics.Batch{Cores: n.Obs.OriginCPUCores, MemoryBytes: n.Obs.OriginMemoryMB * bytesPerMiB}, OriginKnown: true,
	}
	return policy.Input{
		Now:     now,
		Metrics: metrics.AddBackYARNShare(m, ledger, e.metric == v1alpha1.BatchAllocatable),
		Usage: policy.NodeUsage{Known: st.used.filled > 0, RecentCores: meanOf(recent),
			SustainedMinCores: minOf(st.used.last(st.used.filled)), CapacityCores: n.CPUCores},
		RM:       policy.RMState{Known: n.RM.Registered, Total: n.RM.Total, Used: n.Allocated()},
		Previous: st.previous,
	}
}

func durationOr(d *metav1.Duration, def time.Duration) time.Duration {
	if d == nil || d.Duration <= 0 {
		return def
	}
	return d.Duration
}
