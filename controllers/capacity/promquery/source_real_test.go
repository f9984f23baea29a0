package promquery

import (
	"context"
	"fmt"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	promtest "github.com/elasticyarn/elastic-yarn-operator/test/prometheus"
)

// evalAt is the evaluation time of every query: the backfilled data ends here.
var evalAt = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

const gib = float64(1 << 30)

func at(ago time.Duration) time.Time { return evalAt.Add(-ago) }

func gauge(name string, labels map[string]string, values ...promtest.Point) promtest.Series {
	return promtest.Series{Name: name, Labels: labels, Points: values}
}

func suppress(node, typ string, pts ...promtest.Point) promtest.Series {
	return gauge(MetricBESuppressCPU, map[string]string{"node": node, "type": typ}, pts...)
}

func allocatable(node, resource string, pts ...promtest.Point) promtest.Series {
	unit := "byte"
	if resource == koordledger.ResourceBatchCPU {
		unit = "integer"
	}
	return gauge(MetricNodeAllocatable, map[string]string{"node": node, "resource": resource, "unit": unit}, pts...)
}

// threeSamples are at 9, 6 and 3 minutes before evalAt: inside a 10-minute window.
func threeSamples(a, b, c float64) []promtest.Point {
	return []promtest.Point{{T: at(9 * time.Minute), V: a}, {T: at(6 * time.Minute), V: b}, {T: at(3 * time.Minute), V: c}}
}

const manyNodes = 200

func manyNodeName(i int) string { return fmt.Sprintf("worker-%03d.dc1.example.com", i) }

// fixture is the backfilled world every test in this file queries.
func fixture() []promtest.Series {
	var s []promtest.Series
	mem100 := threeSamples(100*gib, 100*gib, 100*gib)
	// n1: 10, 20, 30 -> mean 20, min 10, max 30, q0.1 = 12 (linear), stddev sqrt(200/3).
	s = append(s, suppress("n1", "cpuset", threeSamples(10, 20, 30)...), allocatable("n1", koordledger.ResourceBatchMemory, mem100...))
	// n2: both suppress types exported (a policy switch left the cfsQuota gauge behind): min wins.
	s = append(s, suppress("n2", "cpuset", threeSamples(8, 8, 8)...), suppress("n2", "cfsQuota", threeSamples(12, 12, 12)...),
		allocatable("n2", koordledger.ResourceBatchMemory, threeSamples(10*gib, 20*gib, 60*gib)...))
	// Many nodes: i, i+2, i+4 cores -> mean i+2; memory i GiB.
	for i := 1; i <= manyNodes; i++ {
		n := manyNodeName(i)
		f := float64(i)
		s = append(s, suppress(n, "cpuset", threeSamples(f, f+2, f+4)...),
			allocatable(n, koordledger.ResourceBatchMemory, threeSamples(f*gib, f*gib, f*gib)...))
	}
	// Stale: newest sample 20 minutes old (outside the window, older than the lookback delta).
	s = append(s, suppress("stale-old", "cpuset", promtest.Point{T: at(25 * time.Minute), V: 40}, promtest.Point{T: at(20 * time.Minute), V: 40}),
		allocatable("stale-old", koordledger.ResourceBatchMemory, promtest.Point{T: at(20 * time.Minute), V: 64 * gib}))
	// Recent but stale for a 3m staleAfter: newest sample 4 minutes old, inside the window.
	s = append(s, suppress("stale-4m", "cpuset", promtest.Point{T: at(8 * time.Minute), V: 16}, promtest.Point{T: at(4 * time.Minute), V: 16}),
		allocatable("stale-4m", koordledger.ResourceBatchMemory, promtest.Point{T: at(4 * time.Minute), V: 64 * gib}))
	// Malformed values.
	s = append(s, suppress("nan", "cpuset", threeSamples(10, math.NaN(), 10)...), allocatable("nan", koordledger.ResourceBatchMemory, mem100...))
	s = append(s, suppress("inf", "cpuset", threeSamples(10, math.Inf(1), 10)...), allocatable("inf", koordledger.ResourceBatchMemory, mem100...))
	s = append(s, suppress("negative", "cpuset", threeSamples(-5, -5, -5)...), allocatable("negative", koordledger.ResourceBatchMemory, mem100...))
	// BatchAllocatable CPU in milli-cores: 60646, 59354 -> mean 60 cores.
	s = append(s, allocatable("alloc", koordledger.ResourceBatchCPU, promtest.Point{T: at(5 * time.Minute), V: 60646}, promtest.Point{T: at(2 * time.Minute), V: 59354}),
		allocatable("alloc", koordledger.ResourceBatchMemory, promtest.Point{T: at(2 * time.Minute), V: 32 * gib}))
	// A collapse inside the window: 40 five minutes ago, then 10 and 6 in the last two minutes
	// -> window mean 56/3, recent (2m) mean 8.
	s = append(s, suppress("collapse", "cpuset", promtest.Point{T: at(5 * time.Minute), V: 40},
		promtest.Point{T: at(90 * time.Second), V: 10}, promtest.Point{T: at(30 * time.Second), V: 6}),
		allocatable("collapse", koordledger.ResourceBatchMemory, mem100...))
	// Node usage for the safety backoff: 50, 55, 60 at 5, 3, 1 minutes ago.
	s = append(s, gauge(MetricNodeUsedCPU, map[string]string{"node": "n1"},
		promtest.Point{T: at(5 * time.Minute), V: 50}, promtest.Point{T: at(3 * time.Minute), V: 55}, promtest.Point{T: at(time.Minute), V: 60}))
	return s
}

func startFixture(t *testing.T) *Source {
	t.Helper()
	server := promtest.Start(t, fixture())
	src, err := New(server.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func baseRequest(nodes ...string) Request {
	return Request{Nodes: nodes, At: evalAt, Window: 10 * time.Minute, CPUMetric: v1alpha1.BESuppressCPU,
		Statistics: []v1alpha1.Statistic{v1alpha1.StatisticMean}, QuantilePercent: 10,
		FreshnessLookback: 30 * time.Minute, SafetySustained: 6 * time.Minute}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(b)) }

func TestRealPrometheus(t *testing.T) {
	src := startFixture(t)
	ctx := context.Background()

	t.Run("every statistic for one node, one query each", func(t *testing.T) {
		req := baseRequest("n1")
		req.Statistics = []v1alpha1.Statistic{v1alpha1.StatisticMean, v1alpha1.StatisticMin, v1alpha1.StatisticMax, v1alpha1.StatisticQuantile}
		res, err := src.Fetch(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		n := res.Nodes["n1"]
		if n.Err != nil || !n.CPUPresent || !n.MemoryPresent {
			t.Fatalf("n1: %+v", n)
		}
		c := n.CPUCores
		if !near(c.Mean, 20) || !near(c.Min, 10) || !near(c.Max, 30) || !near(c.Quantile, 12) || !near(c.StdDev, math.Sqrt(200.0/3)) {
			t.Errorf("n1 cpu stats %+v, want mean 20 min 10 max 30 q0.1 12 stddev %.4f", c, math.Sqrt(200.0/3))
		}
		if !near(n.MemoryBytes.Mean, 100*gib) || !near(n.MemoryBytes.Min, 100*gib) {
			t.Errorf("n1 memory %+v, want 100 GiB", n.MemoryBytes)
		}
		if !n.NewestSample.Equal(at(3 * time.Minute)) {
			t.Errorf("n1 newest sample %s, want %s", n.NewestSample, at(3*time.Minute))
		}
		if !n.UsageKnown || !near(n.UsedCPURecent, 60) || !near(n.UsedCPUSustainedMin, 50) {
			t.Errorf("n1 usage recent %v sustained min %v, want 60 and 50", n.UsedCPURecent, n.UsedCPUSustainedMin)
		}
		// 4 statistics x (cpu + memory) + cpu stddev + recent cpu + freshness + 2 usage.
		if res.Queries != 13 {
			t.Errorf("queries %d, want 13", res.Queries)
		}
	})

	t.Run("many nodes from one query per statistic", func(t *testing.T) {
		var nodes []string
		for i := 1; i <= manyNodes; i++ {
			nodes = append(nodes, manyNodeName(i))
		}
		res, err := src.Fetch(ctx, baseRequest(nodes...))
		if err != nil {
			t.Fatal(err)
		}
		if res.Queries != 7 {
			t.Errorf("queries for %d nodes: %d, want 7", manyNodes, res.Queries)
		}
		for i := 1; i <= manyNodes; i++ {
			n := res.Nodes[manyNodeName(i)]
			if !n.CPUPresent || !near(n.CPUCores.Mean, float64(i+2)) || !near(n.MemoryBytes.Mean, float64(i)*gib) {
				t.Fatalf("%s: %+v, want cpu mean %d, memory %d GiB", manyNodeName(i), n, i+2, i)
			}
		}
	})

	t.Run("recent batch CPU for the satisfaction guard", func(t *testing.T) {
		res, err := src.Fetch(ctx, baseRequest("collapse", "n1"))
		if err != nil {
			t.Fatal(err)
		}
		c := res.Nodes["collapse"]
		if !c.CPUPresent || !near(c.CPUCores.Mean, 56.0/3) || !c.RecentCPUPresent || !near(c.RecentCPUCores, 8) {
			t.Errorf("collapse: %+v, want window mean 56/3 and recent 8", c)
		}
		if m := c.Metrics(); !m.RecentCPUPresent || !near(m.RecentCPUCores, 8) {
			t.Errorf("policy input lost the recent figure: %+v", m)
		}
		// n1's newest sample is 3 minutes old: nothing recent, so the guard stays idle.
		if n1 := res.Nodes["n1"]; n1.RecentCPUPresent {
			t.Errorf("n1 has no sample in the last %s, got recent %v", RecentWindow, n1.RecentCPUCores)
		}
	})

	t.Run("chunked pools cost 7 queries per chunk and give the same figures", func(t *testing.T) {
		var nodes []string
		for i := 1; i <= manyNodes; i++ {
			nodes = append(nodes, manyNodeName(i))
		}
		chunked := &Source{API: src.API, MaxNodesPerQuery: 64}
		res, err := chunked.Fetch(ctx, baseRequest(nodes...))
		if err != nil {
			t.Fatal(err)
		}
		if want := 7 * 4; res.Queries != want { // ceil(200/64) = 4 chunks
			t.Errorf("queries %d, want %d", res.Queries, want)
		}
		for i := 1; i <= manyNodes; i++ {
			if n := res.Nodes[manyNodeName(i)]; !near(n.CPUCores.Mean, float64(i+2)) {
				t.Fatalf("%s: cpu mean %v, want %d", manyNodeName(i), n.CPUCores.Mean, i+2)
			}
		}
	})

	t.Run("both suppress types: the lower is kept", func(t *testing.T) {
		res, err := src.Fetch(ctx, baseRequest("n2"))
		if err != nil {
			t.Fatal(err)
		}
		if n := res.Nodes["n2"]; !near(n.CPUCores.Mean, 8) || !near(n.MemoryBytes.Mean, 30*gib) {
			t.Errorf("n2: cpu %v memory %v, want 8 cores and 30 GiB", n.CPUCores.Mean, n.MemoryBytes.Mean/gib)
		}
	})

	t.Run("stale and missing nodes are marked, never guessed", func(t *testing.T) {
		res, err := src.Fetch(ctx, baseRequest("stale-old", "stale-4m", "never-seen"))
		if err != nil {
			t.Fatal(err)
		}
		old := res.Nodes["stale-old"]
		if old.CPUPresent || old.MemoryPresent || !old.NewestSample.Equal(at(20*time.Minute)) {
			t.Errorf("stale-old: %+v, want no window samples and newest sample 20m ago", old)
		}
		recent := res.Nodes["stale-4m"]
		if !recent.CPUPresent || !recent.NewestSample.Equal(at(4*time.Minute)) {
			t.Errorf("stale-4m: %+v, want samples and newest sample 4m ago", recent)
		}
		never := res.Nodes["never-seen"]
		if never.CPUPresent || never.MemoryPresent || !never.NewestSample.IsZero() || never.UsageKnown {
			t.Errorf("never-seen: %+v, want nothing", never)
		}
	})

	t.Run("BatchAllocatable milli-cores are converted to cores", func(t *testing.T) {
		req := baseRequest("alloc")
		req.CPUMetric = v1alpha1.BatchAllocatable
		res, err := src.Fetch(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		n := res.Nodes["alloc"]
		if !near(n.CPUCores.Mean, 60) || !near(n.CPUCores.StdDev, 0.646) || !n.NewestSample.Equal(at(2*time.Minute)) {
			t.Errorf("alloc: %+v, want mean 60 cores, stddev 0.646, newest 2m ago", n)
		}
	})

	t.Run("NaN, Inf and negative values are per-node errors", func(t *testing.T) {
		res, err := src.Fetch(ctx, baseRequest("nan", "inf", "negative", "n1"))
		if err != nil {
			t.Fatal(err)
		}
		for _, node := range []string{"nan", "inf", "negative"} {
			n := res.Nodes[node]
			if n.Err == nil || !strings.Contains(n.Err.Error(), node) {
				t.Errorf("%s: err %v, want a per-node error", node, n.Err)
			}
			if m := n.Metrics(); m.CPUPresent || m.MemoryPresent {
				t.Errorf("%s: malformed node still yields policy metrics %+v", node, m)
			}
		}
		if res.Nodes["n1"].Err != nil {
			t.Errorf("n1 must not be affected by other nodes' errors: %v", res.Nodes["n1"].Err)
		}
	})

	t.Run("an unreachable Prometheus fails the fetch", func(t *testing.T) {
		down, err := New("http://127.0.0.1:1", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := down.Fetch(ctx, baseRequest("n1")); err == nil {
			t.Fatal("want an error")
		}
	})
}
