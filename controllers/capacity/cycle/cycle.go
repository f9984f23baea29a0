// Package cycle is one resident pool's capacity cycle around policy.Decide, as a pure step:
// the pool's settings with the API's defaults, the remembered state (last applied targets,
// grows in flight, the RM write budget), what was gathered about each NodeManager (with
// Koordinator's ledger, to which YARN's own share is added back), and the time go in; the complete plan comes out: one decision per node, the nodes to act on in
// urgency order within the write budget, the YARN usage to record in Koordinator's ledger,
// and the state to remember.
//
// The capacity controller (controllers/capacity) and the simulator (test/sim) both run their
// cycle through Step and Commit, so what the simulator measures is the controller's cycle;
// they differ only in how they gather (Prometheus and the RM, or a trace and models) and how
// they carry out the actions.
//
// Step does not change its inputs, and its output is final: the caller carries out the jobs,
// then Commit turns the plan and what each job achieved into the next state.
package cycle

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// Defaults the API server would fill in; a spec stored before a default was added (or a
// hand-built one in the simulator) behaves the same.
const (
	DefaultInterval             = time.Minute
	DefaultWindow               = 10 * time.Minute
	DefaultMaxRMWritesPerMinute = v1alpha1.DefaultMaxRMWritesPerMinute
)

// ResizeSettle is how long a grow sent without waiting may take to show in the RM before a
// different total counts as drift again. A real RM applies it at the NodeManager's next
// heartbeat (1 s by default); a cycle that runs sooner (a spec edit right after one) must not
// re-send it.
const ResizeSettle = 30 * time.Second

// Settings are one pool's cycle settings with the defaults applied.
type Settings struct {
	Policy   policy.Settings
	Interval time.Duration
	// Window is the span of the window statistics; CPUMetric the batch CPU series.
	Window    time.Duration
	CPUMetric v1alpha1.BatchCPUMetric
	// MaxRMWritesPerMinute is the pool's RM write budget.
	MaxRMWritesPerMinute int
}

// SettingsFromSpec reads a Resident Koordinator pool's spec; memoryIncrementMB (YARN's
// yarn.scheduler.minimum-allocation-mb) overrides the policy's default unit when positive.
func SettingsFromSpec(spec *v1alpha1.ElasticNodeManagerSpec, memoryIncrementMB int64) (Settings, error) {
	ps, err := policy.FromSpec(spec)
	if err != nil {
		return Settings{}, err
	}
	if memoryIncrementMB > 0 {
		ps.MemoryIncrementMB = memoryIncrementMB
	}
	dc := spec.Capacity.Dynamic
	s := Settings{Policy: ps, Interval: positiveOr(dc.Interval, DefaultInterval), Window: positiveOr(dc.Window, DefaultWindow),
		CPUMetric: dc.CPUMetric, MaxRMWritesPerMinute: int(dc.MaxRMWritesPerMinute)}
	if s.CPUMetric == "" {
		s.CPUMetric = v1alpha1.BESuppressCPU
	}
	if s.MaxRMWritesPerMinute <= 0 {
		s.MaxRMWritesPerMinute = DefaultMaxRMWritesPerMinute
	}
	return s, nil
}

func positiveOr(d *metav1.Duration, def time.Duration) time.Duration {
	if d == nil || d.Duration <= 0 {
		return def
	}
	return d.Duration
}

// State is what a pool remembers between cycles. Step and Commit never change the State
// they are given; they return a new one.
type State struct {
	// Previous is the last target applied per YARN node id.
	Previous map[string]policy.Resources
	// InFlight are grows sent without waiting, per YARN node id, until the RM shows them or
	// ResizeSettle passes.
	InFlight map[string]SentResize
	// Bucket is the RM write budget.
	Bucket Bucket
}

// SentResize is a resize the RM has not shown yet.
type SentResize struct {
	Target policy.Resources
	At     time.Time
}

// Observation is what was gathered about one NodeManager this cycle.
type Observation struct {
	// ID is the YARN node id, the key of the State.
	ID      string
	Metrics policy.Metrics
	Usage   policy.NodeUsage
	// Ledger is Koordinator's ledger read from the Node: YARN's entry in thirdPartyAllocations
	// and the origin allocatable. koord-manager subtracted YARN's entry from what koordlet
	// publishes, so the step adds it back (koordledger.AddBackYARNShare). Nil: Metrics need no
	// add-back (the Node's own allocatable as a fallback, or no metrics).
	Ledger *koordledger.Ledger
	// RM is what the ResourceManager lists now (Total as it shows it, before any grow still
	// in flight).
	RM policy.RMState
	// MetricsErr says the node's metrics were malformed; it counts as stale.
	MetricsErr error
}

// Node is one NodeManager's input and verdict.
type Node struct {
	ID string
	// Input is what Decide saw: the RM total with a grow in flight counted as applied, and
	// the previous target.
	Input      policy.Input
	Decision   policy.Decision
	MetricsErr error
}

// LedgerEntry is the YARN usage to record for a node in Koordinator's ledger
// (thirdPartyAllocations): what the RM says YARN holds on it.
type LedgerEntry struct {
	Node int
	Used policy.Resources
}

// Plan is one cycle's outcome before anything is carried out.
type Plan struct {
	Now time.Time
	// Nodes has one entry per observation, in the same order.
	Nodes []Node
	// Jobs are the indices of Nodes to act on, most urgent first (OrderByUrgency),
	// each node's actions in their policy order. Nodes whose RM write the budget refused are
	// left out whole (neither RM nor guarder) and counted in Deferred.
	Jobs     []int
	Deferred int
	// Ledger is the YARN usage to record per node whose RM view is known.
	Ledger []LedgerEntry
	// Stale counts nodes with stale, missing or malformed metrics; FirstMalformed is the
	// first malformed-metrics error.
	Stale          int
	FirstMalformed error
	// State is what to remember when no job succeeds; Commit adds what the jobs did.
	State State
}

// Step decides every node and plans the cycle. It is pure: obs and st are not changed.
func Step(s Settings, obs []Observation, st State, now time.Time) Plan {
	p := Plan{Now: now, Nodes: make([]Node, len(obs)),
		State: State{Previous: copyMap(st.Previous), InFlight: make(map[string]SentResize, len(st.InFlight)), Bucket: st.Bucket}}
	decisions := make([]policy.Decision, len(obs))
	writers := 0
	listed := make(map[string]bool, len(obs))
	for i, o := range obs {
		in := policy.Input{Now: now, Metrics: o.Metrics, Usage: o.Usage, RM: o.RM}
		if o.Ledger != nil {
			in.Metrics = koordledger.AddBackYARNShare(o.Metrics, *o.Ledger, s.CPUMetric == v1alpha1.BatchAllocatable)
		}
		if o.RM.Known {
			listed[o.ID] = true
			in.RM.Total = settledTotal(st.InFlight, o.ID, o.RM.Total, now)
			if sent, ok := st.InFlight[o.ID]; ok && in.RM.Total == sent.Target && o.RM.Total != sent.Target {
				p.State.InFlight[o.ID] = sent // still on its way
			}
			p.Ledger = append(p.Ledger, LedgerEntry{Node: i, Used: o.RM.Used})
		}
		if prev, ok := st.Previous[o.ID]; ok {
			in.Previous = &prev
		}
		d := policy.Decide(s.Policy, in)
		p.Nodes[i] = Node{ID: o.ID, Input: in, Decision: d, MetricsErr: o.MetricsErr}
		decisions[i] = d
		if d.Stale || o.MetricsErr != nil {
			p.Stale++
		}
		if o.MetricsErr != nil && p.FirstMalformed == nil {
			p.FirstMalformed = o.MetricsErr
		}
		if d.WritesRM() {
			writers++
		}
	}
	for id, sent := range st.InFlight {
		// A node the RM did not list this cycle (RM unreachable, pod briefly gone) keeps its
		// send until ResizeSettle passes, for the cycle that sees the RM again.
		if !listed[id] && inFlightAt(sent, now) {
			p.State.InFlight[id] = sent
		}
	}
	var granted int
	p.State.Bucket, granted = st.Bucket.Take(now, s.MaxRMWritesPerMinute, writers)
	for _, i := range OrderByUrgency(decisions) {
		n := p.Nodes[i]
		switch {
		case len(n.Decision.Actions) == 0:
			if n.Input.RM.Known {
				// Nothing to do means the RM already shows the target: it becomes the base
				// (on a first cycle, the RM's total).
				p.State.Previous[n.ID] = n.Decision.Target
			}
		case n.Decision.WritesRM() && granted == 0:
			p.Deferred++
		default:
			if n.Decision.WritesRM() {
				granted--
			}
			p.Jobs = append(p.Jobs, i)
		}
	}
	return p
}

// settledTotal is the RM's total as the decision should see it: a grow sent moments ago and
// not shown yet counts as applied, so it is not re-sent as drift. A send the RM shows, or
// older than ResizeSettle, or dated after now, no longer counts.
func settledTotal(inFlight map[string]SentResize, id string, shown policy.Resources, now time.Time) policy.Resources {
	sent, ok := inFlight[id]
	if !ok || shown == sent.Target || !inFlightAt(sent, now) {
		return shown
	}
	return sent.Target
}

// inFlightAt reports whether a send may still be on its way at now: sent no longer than
// ResizeSettle ago, and not dated after now (a clock that went back is not trusted).
func inFlightAt(sent SentResize, now time.Time) bool {
	return now.Sub(sent.At) < ResizeSettle && !now.Before(sent.At)
}

// WaitsForRM reports whether the RM write at action i of d must wait until the RM shows the
// new total: only when a later action depends on it (a shrink's guarder target follows its
// RM write, so the RM must have stopped placing work first). A last RM write is sent without
// waiting; the next cycle's listing shows whether it took.
func WaitsForRM(d policy.Decision, i int) bool { return i < len(d.Actions)-1 }

// Result is what carrying out one job achieved. A job neither done nor failed was skipped
// (the drain took the node over).
type Result struct {
	// Done: every action of the job succeeded.
	Done bool
	// SentOnly: its RM write was sent without waiting for the RM to show it.
	SentOnly bool
	// Err is why the job failed, if it did.
	Err error
}

// Commit returns the state to remember after the plan's jobs ran; results[k] is the result of
// p.Jobs[k]. A failed job leaves the previous target: the next cycle decides again from what
// the RM shows. Commit does not change p.
func (p Plan) Commit(results []Result) (State, error) {
	if len(results) != len(p.Jobs) {
		return State{}, fmt.Errorf("%d results for %d jobs", len(results), len(p.Jobs))
	}
	st := State{Previous: copyMap(p.State.Previous), InFlight: copyMap(p.State.InFlight), Bucket: p.State.Bucket}
	for k, i := range p.Jobs {
		n, r := p.Nodes[i], results[k]
		if !r.Done {
			continue
		}
		if n.Input.RM.Known {
			// Only an RM-backed decision moves the base; a guarder-only shed while the RM is
			// unreachable does not change what the RM advertises.
			st.Previous[n.ID] = n.Decision.Target
		}
		if r.SentOnly {
			st.InFlight[n.ID] = SentResize{Target: n.Decision.Target, At: p.Now}
		}
	}
	return st, nil
}

// Offered is what the RM advertises after the jobs ran, per YARN node id: the RM's total,
// or the target where a job's RM write succeeded.
func (p Plan) Offered(results []Result) map[string]policy.Resources {
	out := map[string]policy.Resources{}
	for _, n := range p.Nodes {
		if n.Input.RM.Known {
			out[n.ID] = n.Input.RM.Total
		}
	}
	for k, i := range p.Jobs {
		if k < len(results) && results[k].Done && p.Nodes[i].Decision.WritesRM() {
			out[p.Nodes[i].ID] = p.Nodes[i].Decision.Target
		}
	}
	return out
}

func copyMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Bucket is a token bucket for RM writes of one pool, as a value: the caller keeps it
// (in memory; losing it on restart only grants one fresh burst) and passes the time in,
// so the simulator replays it exactly. golang.org/x/time/rate would hide the clock.
type Bucket struct {
	Tokens  float64
	Updated time.Time
}

// Take refills the bucket at perMinute tokens a minute (holding at most perMinute) and
// grants up to want writes.
func (b Bucket) Take(now time.Time, perMinute, want int) (Bucket, int) {
	capacity := float64(perMinute)
	if b.Updated.IsZero() {
		b.Tokens = capacity
	} else if elapsed := now.Sub(b.Updated); elapsed > 0 {
		b.Tokens = min(capacity, b.Tokens+elapsed.Minutes()*capacity)
	}
	b.Updated = now
	granted := min(want, int(b.Tokens))
	b.Tokens -= float64(granted)
	return b, granted
}

// Urgency ranks decisions for a limited write budget: protecting the node first, then
// shrinks, repairs, and growth last (a delayed grow only wastes capacity for a cycle).
func Urgency(d policy.Decision) int {
	switch {
	case d.Has(policy.ReasonNodeSafetyShed), d.Has(policy.ReasonNodeSafetyBackoff):
		return 0
	case d.Direction == policy.DirectionShrink:
		return 1
	case d.Has(policy.ReasonDrift):
		return 2
	default:
		return 3
	}
}

// OrderByUrgency sorts indices of decisions, most urgent first, stable within a rank.
func OrderByUrgency(ds []policy.Decision) []int {
	idx := make([]int, len(ds))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(Urgency(ds[a]), Urgency(ds[b])) })
	return idx
}

// Summary aggregates one cycle's outcome so a pool of 1,000 nodes gets one Event per cycle,
// not one per node.
type Summary struct {
	// ByDirectionReason counts the nodes resized or shed, by "direction reason".
	ByDirectionReason map[string]int
	// Deferred counts RM writes postponed by the budget.
	Deferred int
	// Failed counts jobs that failed; FirstFailure names the first in job order.
	Failed       int
	FirstFailure string
}

// Summary is the Event's content for the plan once its jobs ran (results[k] for p.Jobs[k]):
// the jobs done that wrote the RM or shed, the writes deferred, the failures.
func (p Plan) Summary(results []Result) Summary {
	s := Summary{ByDirectionReason: map[string]int{}, Deferred: p.Deferred}
	for k, i := range p.Jobs {
		if k >= len(results) {
			break
		}
		n, r := p.Nodes[i], results[k]
		switch {
		case r.Err != nil:
			if s.Failed == 0 {
				s.FirstFailure = fmt.Sprintf("%s: %v", n.ID, r.Err)
			}
			s.Failed++
		case r.Done && (n.Decision.WritesRM() || n.Decision.Shed):
			s.ByDirectionReason[string(n.Decision.Direction)+" "+string(n.Decision.Reason)]++
		}
	}
	return s
}

// Total is the number of nodes resized or shed.
func (s Summary) Total() int {
	n := 0
	for _, c := range s.ByDirectionReason {
		n += c
	}
	return n
}

// Quiet reports a cycle with nothing to tell: no resize, no deferral, no failure.
func (s Summary) Quiet() bool { return s.Total() == 0 && s.Failed == 0 && s.Deferred == 0 }

// message is e.g. "resized 12 NodeManagers (grow Grow: 5, shrink ShrinkBeyondTolerance: 7);
// 3 deferred by maxRMWritesPerMinute; 1 failed, first: n7:8041: ...".
func (s Summary) Message() string {
	keys := make([]string, 0, len(s.ByDirectionReason))
	for k := range s.ByDirectionReason {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, s.ByDirectionReason[k])
	}
	msg := fmt.Sprintf("resized %d NodeManagers (%s)", s.Total(), strings.Join(parts, ", "))
	if s.Deferred > 0 {
		msg += fmt.Sprintf("; %d deferred by maxRMWritesPerMinute", s.Deferred)
	}
	if s.Failed > 0 {
		msg += fmt.Sprintf("; %d failed, first: %s", s.Failed, s.FirstFailure)
	}
	// Event notes are limited to 1 KiB.
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	return msg
}
