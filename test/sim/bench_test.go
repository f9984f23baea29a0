package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/trace"
)

// Benchmarks report absolute figures (ns per node-step, ns per call) and, in
// BenchmarkRatios, ratios against the static strategy's node-step measured in the same run
// and interleaved with the others, so a busy machine shifts all subjects alike.
//
//	go test ./test/sim -run '^$' -bench . -benchtime 3x

const benchNodes = 20

var benchTraces = func() []trace.Series {
	t := trace.Synthetic(trace.DefaultSyntheticOptions(benchNodes, 2, 30*time.Second, 1))
	if err := trace.Common(t); err != nil {
		panic(err)
	}
	return t
}()

// stepper keeps one strategy's cluster running, starting over when the trace ends.
type stepper struct {
	factory Factory
	s       Strategy
	c       *Cluster
}

func newStepper(f Factory) *stepper {
	st := &stepper{factory: f}
	st.reset()
	return st
}

func (st *stepper) reset() {
	st.s = st.factory()
	st.c = NewCluster(DefaultConfig(1), benchTraces, st.s.Name())
	st.c.Configure(st.s)
	// Warm up past the first hours so the nodes are full and the windows filled.
	for st.c.K < 240 {
		st.c.Advance(st.s)
	}
}

// steps advances n steps and returns the time spent in them (resets are not counted).
func (st *stepper) steps(n int) time.Duration {
	var spent time.Duration
	for i := 0; i < n; i++ {
		if st.c.K >= st.c.Steps() {
			st.reset()
		}
		start := time.Now()
		st.c.Advance(st.s)
		spent += time.Since(start)
	}
	return spent
}

func BenchmarkStep(b *testing.B) {
	for _, f := range DefaultStrategies() {
		st := newStepper(f)
		b.Run(st.s.Name(), func(b *testing.B) {
			b.ReportAllocs()
			var spent time.Duration
			for i := 0; i < b.N; i++ {
				spent += st.steps(1)
			}
			b.ReportMetric(float64(spent.Nanoseconds())/float64(b.N*benchNodes), "ns/node-step")
		})
	}
}

// decideInput is a typical resident-mode input: a full window, a registered NM near its size.
func decideInput(now time.Time) (policy.Settings, policy.Input) {
	s, err := policy.FromSpec(ptr(DefaultElasticSpec()))
	if err != nil {
		panic(err)
	}
	prev := policy.Resources{VCores: 40, MemoryMB: 160 * 1024}
	return s, policy.Input{
		Now: now,
		Metrics: policy.Metrics{CPUPresent: true, MemoryPresent: true, NewestSample: now,
			CPUCores:    policy.Stats{Mean: 33.2, Min: 30, Max: 36, Quantile: 31, StdDev: 1.5},
			MemoryBytes: policy.Stats{Mean: 150 << 30, Min: 140 << 30, Max: 160 << 30, Quantile: 142 << 30}},
		Usage:    policy.NodeUsage{Known: true, RecentCores: 60, SustainedMinCores: 55, CapacityCores: 96},
		RM:       policy.RMState{Known: true, Total: prev, Used: policy.Resources{VCores: 38, MemoryMB: 150 * 1024}},
		Previous: &prev,
	}
}

// shedCandidates is an NM with 24 containers of mixed kinds, 8 vcores over its target.
func shedCandidates(now time.Time) ([]selection.Candidate, selection.Target) {
	var cs []selection.Candidate
	var used selection.Usage
	for i := 0; i < 24; i++ {
		c := selection.Candidate{ID: fmt.Sprintf("container_e1_1_%04d_01_%06d", i/4, i+2), VCores: int64(1 + i%4),
			MemoryMB: int64(2048 * (1 + i%3)), GracefulCapable: i%3 == 0, StartedAt: now.Add(-time.Duration(i*7) * time.Minute),
			AM: i%11 == 0, Streaming: i%13 == 0}
		used.VCores += c.VCores
		used.MemoryMB += c.MemoryMB
		cs = append(cs, c)
	}
	return cs, selection.Target{VCores: used.VCores - 8, MemoryMB: used.MemoryMB}
}

func BenchmarkPolicyDecide(b *testing.B) {
	s, in := decideInput(time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = policy.Decide(s, in)
	}
}

func BenchmarkSelectionDecide(b *testing.B) {
	now := time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC)
	cs, target := shedCandidates(now)
	w := selection.DefaultWeights()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = selection.Decide(cs, target, now, w)
	}
}

// BenchmarkRatios interleaves every subject in rounds and reports each one's cost as a
// multiple of the static strategy's node-step ("x-static" metrics), plus the absolute
// ns per unit.
func BenchmarkRatios(b *testing.B) {
	const stepsPerRound, callsPerRound = 20, 2000
	var steppers []*stepper
	for _, f := range DefaultStrategies() {
		steppers = append(steppers, newStepper(f))
	}
	now := time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC)
	s, in := decideInput(now)
	cs, target := shedCandidates(now)
	w := selection.DefaultWeights()
	stepTime := make([]time.Duration, len(steppers))
	var policyTime, selectionTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, st := range steppers {
			stepTime[j] += st.steps(stepsPerRound)
		}
		start := time.Now()
		for k := 0; k < callsPerRound; k++ {
			_ = policy.Decide(s, in)
		}
		policyTime += time.Since(start)
		start = time.Now()
		for k := 0; k < callsPerRound; k++ {
			_ = selection.Decide(cs, target, now, w)
		}
		selectionTime += time.Since(start)
	}
	nodeSteps := float64(b.N * stepsPerRound * benchNodes)
	calls := float64(b.N * callsPerRound)
	base := float64(stepTime[0].Nanoseconds()) / nodeSteps
	for j, st := range steppers {
		per := float64(stepTime[j].Nanoseconds()) / nodeSteps
		b.ReportMetric(per, "ns/node-step:"+st.s.Name())
		b.ReportMetric(per/base, "x-static:"+st.s.Name())
	}
	policyPer := float64(policyTime.Nanoseconds()) / calls
	selectionPer := float64(selectionTime.Nanoseconds()) / calls
	b.ReportMetric(policyPer, "ns/call:policy.Decide")
	b.ReportMetric(policyPer/base, "x-static:policy.Decide")
	b.ReportMetric(selectionPer, "ns/call:selection.Decide")
	b.ReportMetric(selectionPer/base, "x-static:selection.Decide")
}

func ptr[T any](v T) *T { return &v }
