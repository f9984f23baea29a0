package cycle

import (
	"errors"
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

const gib = float64(1 << 30)

var now = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

func settings(perMinute int) Settings {
	return Settings{Policy: policy.Settings{
		Statistic: v1alpha1.StatisticMean, QuantilePercent: 10, ScaleUpStepVCores: 3, ScaleDownTolerancePercent: 10,
		MemoryPolicy: v1alpha1.MemoryVCoreRatio, MBPerVCore: 4096, MemoryIncrementMB: 1024,
		StaleAfter: 3 * time.Minute, ShrinkToFloorAfter: 15 * time.Minute,
		Safety:         policy.Safety{Enabled: true, CPUThresholdPercent: 90, ShedAfter: 5 * time.Minute},
		GuarderEnabled: true, GuarderGrace: 5 * time.Minute,
	}, Interval: time.Minute, Window: 10 * time.Minute, CPUMetric: v1alpha1.BESuppressCPU, MaxRMWritesPerMinute: perMinute}
}

var (
	ten   = policy.Resources{VCores: 10, MemoryMB: 40960}
	used  = policy.Resources{VCores: 2, MemoryMB: 8192}
	grown = policy.Resources{VCores: 20, MemoryMB: 81920}
)

// node is a NodeManager whose batch tier offers cpu cores (every statistic) and 256 GiB,
// sampled 30 s before at, whose RM shows total and whose node is lightly used.
func node(id string, cpu float64, total policy.Resources, at time.Time) Observation {
	return Observation{
		ID: id,
		Metrics: policy.Metrics{CPUPresent: true, MemoryPresent: true,
			CPUCores:     policy.Stats{Mean: cpu, Min: cpu, Max: cpu, Quantile: cpu},
			MemoryBytes:  policy.Stats{Mean: 256 * gib, Min: 256 * gib, Max: 256 * gib, Quantile: 256 * gib},
			NewestSample: at.Add(-30 * time.Second)},
		Usage: policy.NodeUsage{Known: true, RecentCores: 10, SustainedMinCores: 8, CapacityCores: 64},
		RM:    policy.RMState{Known: true, Total: total, Used: used},
	}
}

// overloaded is node with the node's CPU above the safety threshold for ShedAfter.
func overloaded(id string, at time.Time) Observation {
	o := node(id, 20.4, ten, at)
	o.Usage = policy.NodeUsage{Known: true, RecentCores: 62, SustainedMinCores: 62, CapacityCores: 64}
	return o
}

func emptyState() State {
	return State{Previous: map[string]policy.Resources{}, InFlight: map[string]SentResize{}}
}

func ids(p Plan, idx []int) []string {
	out := []string{}
	for _, i := range idx {
		out = append(out, p.Nodes[i].ID)
	}
	return out
}

func TestStepOrdersWritesByUrgencyWithinTheBudget(t *testing.T) {
	obs := []Observation{
		node("grow", 20.4, ten, now),
		node("hold", 10.5, ten, now),
		node("shrink", 5.2, ten, now),
		overloaded("safety", now),
		{ID: "gone"}, // not registered with the RM
	}
	cases := []struct {
		name         string
		perMinute    int
		bucket       Bucket
		wantJobs     []string
		wantDeferred int
	}{
		{"budget for all", 120, Bucket{}, []string{"safety", "shrink", "grow"}, 0},
		{"budget for two: the grow waits", 2, Bucket{}, []string{"safety", "shrink"}, 1},
		{"budget for one: only the safety shed", 1, Bucket{}, []string{"safety"}, 2},
		{"bucket spent a second ago: nothing is written", 60, Bucket{Tokens: 0, Updated: now.Add(-time.Second)}, []string{"safety"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := emptyState()
			st.Bucket = c.bucket
			p := Step(settings(c.perMinute), obs, st, now)
			if got := ids(p, p.Jobs); !reflect.DeepEqual(got, c.wantJobs) {
				t.Errorf("jobs %v, want %v", got, c.wantJobs)
			}
			if p.Deferred != c.wantDeferred {
				t.Errorf("deferred %d, want %d", p.Deferred, c.wantDeferred)
			}
			// The node that already shows its target becomes the base; nodes with work to do
			// and the unregistered one do not (yet).
			if want := map[string]policy.Resources{"hold": ten}; !reflect.DeepEqual(p.State.Previous, want) {
				t.Errorf("previous %v, want %v", p.State.Previous, want)
			}
			if len(p.Nodes) != len(obs) {
				t.Fatalf("%d nodes planned for %d observations", len(p.Nodes), len(obs))
			}
			for i, n := range p.Nodes {
				if n.ID != obs[i].ID {
					t.Errorf("node %d is %s, want %s (observation order)", i, n.ID, obs[i].ID)
				}
			}
		})
	}
}

func TestStepBucketCarriesOver(t *testing.T) {
	obs := []Observation{node("a", 20.4, ten, now), node("b", 20.4, ten, now), node("c", 20.4, ten, now)}
	p := Step(settings(2), obs, emptyState(), now)
	if len(p.Jobs) != 2 || p.Deferred != 1 {
		t.Fatalf("first cycle: %d jobs, %d deferred; want 2 and 1", len(p.Jobs), p.Deferred)
	}
	// Half a minute later one token has come back.
	st, err := p.Commit([]Result{{Done: true}, {Done: true}})
	if err != nil {
		t.Fatal(err)
	}
	obs[0].RM.Total, obs[1].RM.Total = grown, grown
	p = Step(settings(2), obs, st, now.Add(30*time.Second))
	if got := ids(p, p.Jobs); !reflect.DeepEqual(got, []string{"c"}) || p.Deferred != 0 {
		t.Errorf("second cycle: jobs %v, deferred %d; want [c] and 0", got, p.Deferred)
	}
}

// A grow sent without waiting counts as applied until the RM shows it or ResizeSettle
// passes, so a cycle that runs sooner does not send it again as drift.
func TestStepGrowInFlight(t *testing.T) {
	sentAt := now
	cases := []struct {
		name      string
		inFlight  bool
		shown     policy.Resources
		at        time.Time
		wantTotal policy.Resources
		wantKept  bool
		wantJob   bool
	}{
		{"nothing sent: the grow is sent", false, ten, sentAt.Add(time.Second), ten, false, true},
		{"sent, not shown yet: not sent again", true, ten, sentAt.Add(time.Second), grown, true, false},
		{"sent and shown", true, grown, sentAt.Add(time.Second), grown, false, false},
		{"not shown after ResizeSettle: drift, sent again", true, ten, sentAt.Add(ResizeSettle), ten, false, true},
		{"clock before the send: not trusted", true, ten, sentAt.Add(-time.Second), ten, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := emptyState()
			if c.inFlight {
				st.Previous["nm:8041"] = grown
				st.InFlight["nm:8041"] = SentResize{Target: grown, At: sentAt}
			}
			p := Step(settings(120), []Observation{node("nm:8041", 20.4, c.shown, c.at)}, st, c.at)
			if got := p.Nodes[0].Input.RM.Total; got != c.wantTotal {
				t.Errorf("total %+v, want %+v", got, c.wantTotal)
			}
			if _, kept := p.State.InFlight["nm:8041"]; kept != c.wantKept {
				t.Errorf("in flight afterwards: %t, want %t", kept, c.wantKept)
			}
			if got := len(p.Jobs) == 1; got != c.wantJob {
				t.Errorf("job planned: %t, want %t (decision %+v)", got, c.wantJob, p.Nodes[0].Decision)
			}
		})
	}
}

// A node the RM does not list this cycle keeps its send until ResizeSettle passes, so the
// cycle that sees the RM again does not resend a grow still on its way.
func TestStepKeepsSendsOfNodesTheRMDidNotList(t *testing.T) {
	sent := SentResize{Target: grown, At: now}
	cases := []struct {
		name     string
		at       time.Time
		wantKept bool
	}{
		{"within ResizeSettle", now.Add(10 * time.Second), true},
		{"after ResizeSettle", now.Add(ResizeSettle), false},
		{"clock before the send", now.Add(-time.Second), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := emptyState()
			st.InFlight["unlisted"], st.InFlight["gone"] = sent, sent
			unreachable := Observation{ID: "unlisted", RM: policy.RMState{Unreachable: true}}
			p := Step(settings(120), []Observation{unreachable}, st, c.at)
			for _, id := range []string{"unlisted", "gone"} {
				if _, kept := p.State.InFlight[id]; kept != c.wantKept {
					t.Errorf("%s kept: %t, want %t", id, kept, c.wantKept)
				}
			}
		})
	}
}

// The NodeManager re-registered (its pod restarted): the RM shows the configured size, not
// the applied one. The step re-applies the target and re-arms the new guarder.
func TestStepDriftReArmsTheGuarder(t *testing.T) {
	st := emptyState()
	st.Previous["nm"] = grown
	p := Step(settings(120), []Observation{node("nm", 20.4, ten, now)}, st, now)
	if len(p.Jobs) != 1 {
		t.Fatalf("jobs %v, want the drifted node", p.Jobs)
	}
	d := p.Nodes[0].Decision
	if !d.Has(policy.ReasonDrift) || d.Target != grown {
		t.Fatalf("decision %+v, want drift back to %+v", d, grown)
	}
	kinds := []policy.ActionKind{}
	for _, a := range d.Actions {
		kinds = append(kinds, a.Kind)
	}
	if want := []policy.ActionKind{policy.ActionSetGuarder, policy.ActionSetRM}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("actions %v, want %v", kinds, want)
	}
}

func TestStepLedgerAndStaleness(t *testing.T) {
	malformed := errors.New("batch memory is NaN")
	stale := node("stale", 20.4, ten, now.Add(-10*time.Minute))
	bad := node("bad", 20.4, ten, now)
	bad.Metrics, bad.MetricsErr = policy.Metrics{}, malformed
	unreachable := Observation{ID: "unreachable", RM: policy.RMState{Unreachable: true, Used: used}}
	p := Step(settings(120), []Observation{node("fresh", 20.4, ten, now), stale, bad, unreachable}, emptyState(), now)
	// The node without an RM view is decided without metrics (node safety only): not stale.
	if p.Stale != 2 || !errors.Is(p.FirstMalformed, malformed) {
		t.Errorf("stale %d (first malformed %v), want 2 (%v)", p.Stale, p.FirstMalformed, malformed)
	}
	want := []LedgerEntry{{Node: 0, Used: used}, {Node: 1, Used: used}, {Node: 2, Used: used}}
	if !reflect.DeepEqual(p.Ledger, want) {
		t.Errorf("ledger %+v, want %+v (only nodes the RM lists)", p.Ledger, want)
	}
}

func TestCommit(t *testing.T) {
	st := emptyState()
	st.Previous["old"] = ten
	obs := []Observation{node("grow", 20.4, ten, now), node("shrink", 5.2, ten, now), node("failed", 20.4, ten, now),
		{ID: "shed-blind", RM: policy.RMState{Unreachable: true, Used: policy.Resources{VCores: 8, MemoryMB: 16384}},
			Usage: policy.NodeUsage{Known: true, RecentCores: 62, SustainedMinCores: 62, CapacityCores: 64}}}
	p := Step(settings(120), obs, st, now)
	if got := ids(p, p.Jobs); !reflect.DeepEqual(got, []string{"shed-blind", "shrink", "grow", "failed"}) {
		t.Fatalf("jobs %v", got)
	}
	results := []Result{{Done: true}, {Done: true}, {Done: true, SentOnly: true}, {Done: false}}
	before := p.State.Previous["grow"]
	next, err := p.Commit(results)
	if err != nil {
		t.Fatal(err)
	}
	wantPrevious := map[string]policy.Resources{"old": ten, "grow": grown, "shrink": {VCores: 5, MemoryMB: 20480}}
	if !reflect.DeepEqual(next.Previous, wantPrevious) {
		t.Errorf("previous %v, want %v (a failed job and a shed without the RM keep theirs)", next.Previous, wantPrevious)
	}
	if want := map[string]SentResize{"grow": {Target: grown, At: now}}; !reflect.DeepEqual(next.InFlight, want) {
		t.Errorf("in flight %v, want %v", next.InFlight, want)
	}
	if next.Bucket != p.State.Bucket {
		t.Errorf("bucket %+v, want the step's %+v", next.Bucket, p.State.Bucket)
	}
	if p.State.Previous["grow"] != before || len(p.State.InFlight) != 0 {
		t.Errorf("Commit changed the plan's state: %+v", p.State)
	}
	offered := p.Offered(results)
	wantOffered := map[string]policy.Resources{"grow": grown, "shrink": {VCores: 5, MemoryMB: 20480}, "failed": ten}
	if !reflect.DeepEqual(offered, wantOffered) {
		t.Errorf("offered %v, want %v", offered, wantOffered)
	}
	if _, err := p.Commit(results[:1]); err == nil {
		t.Error("Commit with fewer results than jobs: no error")
	}
}

func TestStepDoesNotChangeItsInputs(t *testing.T) {
	st := emptyState()
	st.Previous["grow"] = ten
	st.InFlight["shrink"] = SentResize{Target: grown, At: now.Add(-time.Minute)}
	st.Bucket = Bucket{Tokens: 3, Updated: now.Add(-time.Minute)}
	obs := []Observation{node("grow", 20.4, ten, now), node("shrink", 5.2, ten, now), overloaded("safety", now)}
	wantState := State{Previous: map[string]policy.Resources{"grow": ten},
		InFlight: map[string]SentResize{"shrink": {Target: grown, At: now.Add(-time.Minute)}}, Bucket: st.Bucket}
	wantObs := append([]Observation(nil), obs...)
	p := Step(settings(120), obs, st, now)
	if !reflect.DeepEqual(st, wantState) {
		t.Errorf("state changed by Step: %+v", st)
	}
	if !reflect.DeepEqual(obs, wantObs) {
		t.Errorf("observations changed by Step")
	}
	// The plan's state is its own: changing it does not reach the caller's.
	p.State.Previous["grow"] = grown
	if st.Previous["grow"] != ten {
		t.Error("the plan's state shares the caller's map")
	}
	// The same inputs give the same plan.
	if again := Step(settings(120), obs, st, now); !reflect.DeepEqual(again.Jobs, p.Jobs) || again.Nodes[0].Decision.Target != p.Nodes[0].Decision.Target {
		t.Error("Step is not deterministic")
	}
}

func TestWaitsForRM(t *testing.T) {
	rm, guard := policy.Action{Kind: policy.ActionSetRM}, policy.Action{Kind: policy.ActionSetGuarder}
	cases := []struct {
		name    string
		actions []policy.Action
		at      int
		want    bool
	}{
		{"shrink: the guarder waits for the RM", []policy.Action{rm, guard}, 0, true},
		{"grow: the RM write comes last", []policy.Action{guard, rm}, 1, false},
		{"RM only", []policy.Action{rm}, 0, false},
	}
	for _, c := range cases {
		if got := WaitsForRM(policy.Decision{Actions: c.actions}, c.at); got != c.want {
			t.Errorf("%s: %t, want %t", c.name, got, c.want)
		}
	}
}

func TestSettingsFromSpec(t *testing.T) {
	d := func(x time.Duration) *metav1.Duration { return &metav1.Duration{Duration: x} }
	spec := func(dc *v1alpha1.DynamicCapacity) *v1alpha1.ElasticNodeManagerSpec {
		return &v1alpha1.ElasticNodeManagerSpec{Mode: v1alpha1.ModeResident,
			Capacity: v1alpha1.CapacitySpec{Source: v1alpha1.CapacityKoordinator, Dynamic: dc}}
	}
	cases := []struct {
		name        string
		spec        *v1alpha1.ElasticNodeManagerSpec
		increment   int64
		want        Settings
		wantMemUnit int64
	}{
		{"unfilled spec: the API's defaults", spec(&v1alpha1.DynamicCapacity{}), 0,
			Settings{Interval: time.Minute, Window: 10 * time.Minute, CPUMetric: v1alpha1.BESuppressCPU, MaxRMWritesPerMinute: v1alpha1.DefaultMaxRMWritesPerMinute}, policy.DefaultMemoryIncrementMB},
		{"zero durations are unset", spec(&v1alpha1.DynamicCapacity{Interval: d(0), Window: d(0)}), 0,
			Settings{Interval: time.Minute, Window: 10 * time.Minute, CPUMetric: v1alpha1.BESuppressCPU, MaxRMWritesPerMinute: v1alpha1.DefaultMaxRMWritesPerMinute}, policy.DefaultMemoryIncrementMB},
		{"set values and YARN's memory unit", spec(&v1alpha1.DynamicCapacity{Interval: d(30 * time.Second), Window: d(5 * time.Minute),
			CPUMetric: v1alpha1.BatchAllocatable, MaxRMWritesPerMinute: 7}), 512,
			Settings{Interval: 30 * time.Second, Window: 5 * time.Minute, CPUMetric: v1alpha1.BatchAllocatable, MaxRMWritesPerMinute: 7}, 512},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SettingsFromSpec(c.spec, c.increment)
			if err != nil {
				t.Fatal(err)
			}
			if got.Policy.MemoryIncrementMB != c.wantMemUnit {
				t.Errorf("memory unit %d, want %d", got.Policy.MemoryIncrementMB, c.wantMemUnit)
			}
			got.Policy = policy.Settings{}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("settings %+v, want %+v", got, c.want)
			}
		})
	}
	if _, err := SettingsFromSpec(spec(nil), 0); err == nil {
		t.Error("a spec without capacity.dynamic: no error")
	}
}

func TestSummary(t *testing.T) {
	obs := []Observation{node("grow", 20.4, ten, now), node("shrink", 5.2, ten, now), node("failed", 20.4, ten, now),
		node("skipped", 20.4, ten, now), node("deferred", 20.4, ten, now), node("hold", 10.5, ten, now)}
	p := Step(settings(4), obs, emptyState(), now)
	if got := ids(p, p.Jobs); !reflect.DeepEqual(got, []string{"shrink", "grow", "failed", "skipped"}) {
		t.Fatalf("jobs %v", got)
	}
	cases := []struct {
		name        string
		results     []Result
		wantMessage string
		wantQuiet   bool
	}{
		{"all done", []Result{{Done: true}, {Done: true}, {Done: true}, {Done: true}},
			"resized 4 NodeManagers (grow Grow: 3, shrink ShrinkBeyondTolerance: 1); 1 deferred by maxRMWritesPerMinute", false},
		{"failures: the first in job order is named", []Result{{Done: true}, {Done: true}, {Err: errors.New("RM resize: 503")}, {Err: errors.New("guarder: 401")}},
			"resized 2 NodeManagers (grow Grow: 1, shrink ShrinkBeyondTolerance: 1); 1 deferred by maxRMWritesPerMinute; 2 failed, first: failed: RM resize: 503", false},
		{"skipped by the drain: neither resized nor failed", []Result{{}, {}, {}, {}},
			"resized 0 NodeManagers (); 1 deferred by maxRMWritesPerMinute", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := p.Summary(c.results)
			if got := s.Message(); got != c.wantMessage {
				t.Errorf("message %q, want %q", got, c.wantMessage)
			}
			if s.Quiet() != c.wantQuiet {
				t.Errorf("quiet %t, want %t", s.Quiet(), c.wantQuiet)
			}
		})
	}
	if quiet := Step(settings(4), []Observation{node("hold", 10.5, ten, now)}, emptyState(), now).Summary(nil); !quiet.Quiet() {
		t.Errorf("a cycle with nothing to do is not quiet: %+v", quiet)
	}
}

// koord-manager subtracts YARN's ledger entry from what koordlet publishes; the step adds it
// back, to batch memory always and to batch CPU when the CPU series is the allocatable.
func TestStepAddsYARNsLedgerShareBack(t *testing.T) {
	ledger := &koordledger.Ledger{YARN: koordledger.Batch{Cores: 6, MemoryBytes: 24 * gib}, Origin: koordledger.Batch{Cores: 64, MemoryBytes: 512 * gib}, OriginKnown: true}
	cases := []struct {
		name       string
		metric     v1alpha1.BatchCPUMetric
		ledger     *koordledger.Ledger
		wantCPU    float64
		wantMemory float64
	}{
		{"suppress(BE): memory only", v1alpha1.BESuppressCPU, ledger, 10, 256*gib + 24*gib},
		{"batch allocatable: CPU and memory", v1alpha1.BatchAllocatable, ledger, 16, 256*gib + 24*gib},
		{"no ledger: as published", v1alpha1.BatchAllocatable, nil, 10, 256 * gib},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := settings(120)
			s.CPUMetric = c.metric
			o := node("nm", 10, ten, now)
			o.Ledger = c.ledger
			in := Step(s, []Observation{o}, emptyState(), now).Nodes[0].Input
			if in.Metrics.CPUCores.Mean != c.wantCPU || in.Metrics.MemoryBytes.Mean != c.wantMemory {
				t.Errorf("cpu %g memory %g GiB, want %g and %g GiB", in.Metrics.CPUCores.Mean, in.Metrics.MemoryBytes.Mean/gib, c.wantCPU, c.wantMemory/gib)
			}
		})
	}
}
