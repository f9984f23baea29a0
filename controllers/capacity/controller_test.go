package capacity

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// fakeSource answers every fetch with fn's result.
type fakeSource struct {
	fn func(req promquery.Request) (*promquery.Result, error)
}

func (f *fakeSource) Fetch(_ context.Context, req promquery.Request) (*promquery.Result, error) {
	return f.fn(req)
}

func freshNode(at time.Time, cores float64) *promquery.NodeResult {
	return &promquery.NodeResult{CPUPresent: true, MemoryPresent: true,
		CPUCores: policy.Stats{Mean: cores}, MemoryBytes: policy.Stats{Mean: 256 * gib}, NewestSample: at.Add(-30 * time.Second),
		UsageKnown: true, UsedCPURecent: 10, UsedCPUSustainedMin: 10}
}

type poolFixture struct {
	enm   *v1alpha1.ElasticNodeManager
	rm    *countingRM
	calls *callLog
	clk   *clocktesting.FakePassiveClock
	r     *Reconciler
}

func newPoolFixture(t *testing.T, prefix string, nodes []string, src MetricsSource, mutate func(*v1alpha1.DynamicCapacity)) *poolFixture {
	t.Helper()
	ctx := context.Background()
	ns := createNamespace(t, ctx)
	f := &poolFixture{calls: &callLog{}, clk: clocktesting.NewFakePassiveClock(t0)}
	f.rm = &countingRM{nodes: map[string]yarnclient.Node{}, log: f.calls}
	for _, n := range nodes {
		id := n + ":8041"
		f.rm.nodes[id] = yarnclient.Node{ID: id, State: yarnclient.NodeRunning,
			TotalResource: &yarnclient.Resource{VCores: 20, MemoryMB: 81920}, UsedVCores: 4, UsedMemoryMB: 16384}
		createNode(t, ctx, n, 64)
		createNMPod(t, ctx, ns, prefix, n, id)
	}
	f.enm = createResidentPool(t, ctx, ns, prefix, "http://prometheus.invalid:9090", mutate)
	f.r = &Reconciler{Client: env.Client, RMs: fixedRMs{f.rm}, Shedder: recordingShedder{f.calls},
		MetricsFor: func(string) (MetricsSource, error) { return src, nil }, Clock: f.clk}
	return f
}

func (f *poolFixture) cycle(t *testing.T, at time.Duration) []string {
	t.Helper()
	f.clk.SetTime(t0.Add(at))
	if _, err := f.r.Reconcile(context.Background(), ctrl.Request{NamespacedName: client.ObjectKeyFromObject(f.enm)}); err != nil {
		t.Fatalf("cycle at t0+%s: %v", at, err)
	}
	return f.calls.take()
}

func (f *poolFixture) metricsFresh(t *testing.T) (string, string) {
	t.Helper()
	var enm v1alpha1.ElasticNodeManager
	if err := env.Client.Get(context.Background(), client.ObjectKeyFromObject(f.enm), &enm); err != nil {
		t.Fatal(err)
	}
	c := meta.FindStatusCondition(enm.Status.Conditions, v1alpha1.ConditionMetricsFresh)
	if c == nil {
		return "", ""
	}
	return string(c.Status), c.Reason
}

// TestPrometheusOutage: an unreachable Prometheus never raises capacity; nodes hold, and a
// node silent past shrinkToFloorAfter goes to the floor (RM only: no shedding on a guess).
func TestPrometheusOutage(t *testing.T) {
	down := true
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		if down {
			return nil, errors.New("dial tcp: connection refused")
		}
		res := &promquery.Result{Nodes: map[string]*promquery.NodeResult{}, Queries: 6}
		for _, n := range req.Nodes {
			res.Nodes[n] = &promquery.NodeResult{} // no samples at all
		}
		return res, nil
	}}
	f := newPoolFixture(t, "outage", []string{"outage-a"}, src, func(dc *v1alpha1.DynamicCapacity) {
		dc.Floor = &v1alpha1.Resources{VCores: 2, MemoryMB: 8192}
		dc.Ceiling = &v1alpha1.Resources{VCores: 64, MemoryMB: 262144}
	})
	if calls := f.cycle(t, 0); len(calls) != 0 {
		t.Errorf("outage start: calls %q, want none (hold)", calls)
	}
	if s, r := f.metricsFresh(t); s != "False" || r != ReasonPrometheusUnavailable {
		t.Errorf("MetricsFresh %s/%s, want False/%s", s, r, ReasonPrometheusUnavailable)
	}
	if calls := f.cycle(t, 14*time.Minute); len(calls) != 0 {
		t.Errorf("14m into the outage: calls %q, want none (hold)", calls)
	}
	if calls, want := f.cycle(t, 15*time.Minute), []string{"rm outage-a:8041 2/8192"}; !reflect.DeepEqual(calls, want) {
		t.Errorf("15m into the outage: calls %q, want %q", calls, want)
	}
	down = false
	f.cycle(t, 16*time.Minute)
	if s, r := f.metricsFresh(t); s != "False" || r != ReasonMetricsStale {
		t.Errorf("Prometheus back without samples: MetricsFresh %s/%s, want False/%s", s, r, ReasonMetricsStale)
	}
}

// TestOutageSurvivesOperatorRestart: the operator restarts 10 minutes into a Prometheus
// outage. The new process has no memory of it, but reads the outage's start back from the
// pool's MetricsFresh condition, so the node still reaches the floor 15 minutes after the
// outage began, not 15 minutes after the restart.
func TestOutageSurvivesOperatorRestart(t *testing.T) {
	src := &fakeSource{fn: func(promquery.Request) (*promquery.Result, error) {
		return nil, errors.New("dial tcp: connection refused")
	}}
	f := newPoolFixture(t, "restart", []string{"restart-a"}, src, func(dc *v1alpha1.DynamicCapacity) {
		dc.Floor = &v1alpha1.Resources{VCores: 2, MemoryMB: 8192}
	})
	if calls := f.cycle(t, 0); len(calls) != 0 {
		t.Fatalf("outage start: calls %q, want none", calls)
	}
	f.r = &Reconciler{Client: f.r.Client, RMs: f.r.RMs, Shedder: f.r.Shedder, MetricsFor: f.r.MetricsFor, Clock: f.r.Clock}
	if calls := f.cycle(t, 10*time.Minute); len(calls) != 0 {
		t.Fatalf("after the restart: calls %q, want a hold", calls)
	}
	if calls, want := f.cycle(t, 15*time.Minute), []string{"rm restart-a:8041 2/8192"}; !reflect.DeepEqual(calls, want) {
		t.Errorf("15m into the outage (5m after the restart): calls %q, want %q", calls, want)
	}
}

// TestRMWritesAreRateLimitedMostUrgentFirst: with one write a minute, the overloaded node is
// protected first, then the shrink, and the grow waits.
func TestRMWritesAreRateLimitedMostUrgentFirst(t *testing.T) {
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		at := req.At
		res := &promquery.Result{Nodes: map[string]*promquery.NodeResult{
			"limit-grow":   freshNode(at, 40),
			"limit-shrink": freshNode(at, 8),
			"limit-hot":    freshNode(at, 20),
		}, Queries: 6}
		res.Nodes["limit-hot"].UsedCPURecent = 62 // 97 % of 64 cores: no new capacity
		return res, nil
	}}
	f := newPoolFixture(t, "limit", []string{"limit-grow", "limit-shrink", "limit-hot"}, src,
		func(dc *v1alpha1.DynamicCapacity) { dc.MaxRMWritesPerMinute = 1 })

	want := [][]string{
		{"rm limit-hot:8041 4/16384", "guarder limit-hot:8041 4/16384 NodeSafetyBackoff"},
		{"rm limit-shrink:8041 8/32768", "guarder limit-shrink:8041 8/32768 ShrinkBeyondTolerance"},
		{"guarder limit-grow:8041 40/163840 Grow", "rm limit-grow:8041 40/163840"},
		nil,
	}
	for i, w := range want {
		if got := f.cycle(t, time.Duration(i)*time.Minute); !reflect.DeepEqual(got, w) {
			t.Errorf("cycle %d: calls %q, want %q", i, got, w)
		}
	}
	if s, _ := f.metricsFresh(t); s != "True" {
		t.Errorf("MetricsFresh %s, want True", s)
	}
}

// TestMalformedMetricsHoldTheNode: a NaN in the window is a per-node error: the node holds
// (stale, aged by its newest sample), other nodes resize, and the condition says why.
func TestMalformedMetricsHoldTheNode(t *testing.T) {
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		return &promquery.Result{Nodes: map[string]*promquery.NodeResult{
			"bad-nan": {Err: errors.New("node bad-nan: batch cpu mean is NaN, not a usable figure"), NewestSample: req.At.Add(-time.Minute)},
			"bad-ok":  freshNode(req.At, 8),
		}, Queries: 6}, nil
	}}
	f := newPoolFixture(t, "malformed", []string{"bad-nan", "bad-ok"}, src, nil)
	want := []string{"rm bad-ok:8041 8/32768", "guarder bad-ok:8041 8/32768 ShrinkBeyondTolerance"}
	if got := f.cycle(t, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("calls %q, want %q (bad-nan held)", got, want)
	}
	var enm v1alpha1.ElasticNodeManager
	if err := env.Client.Get(context.Background(), client.ObjectKeyFromObject(f.enm), &enm); err != nil {
		t.Fatal(err)
	}
	c := meta.FindStatusCondition(enm.Status.Conditions, v1alpha1.ConditionMetricsFresh)
	if c == nil || c.Status != "False" || c.Reason != ReasonMetricsStale || !strings.Contains(c.Message, "NaN") {
		t.Errorf("MetricsFresh %+v, want False/StaleNodes naming the NaN", c)
	}
}

// TestNodeSafetyShedsByApplicationPriority: a node above the threshold for shedAfter sheds
// the excess, RM first, and the guarder gets the running applications' priorities.
func TestNodeSafetyShedsByApplicationPriority(t *testing.T) {
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		hot := freshNode(req.At, 20)
		hot.UsedCPURecent, hot.UsedCPUSustainedMin = 60.8, 59 // 95 %, above 90 % for shedAfter
		return &promquery.Result{Nodes: map[string]*promquery.NodeResult{"shed-hot": hot}, Queries: 6}, nil
	}}
	f := newPoolFixture(t, "shed", []string{"shed-hot"}, src, nil)
	// YARN uses 4 vcores; excess = ceil(60.8 - 57.6) = 4 cores -> target 0 vcores.
	want := []string{"rm shed-hot:8041 0/16384",
		"guarder shed-hot:8041 0/16384 NodeSafetyShed priorities=map[application_1700000000000_0001:5 application_1700000000000_0002:1]"}
	if got := f.cycle(t, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("calls %q\nwant %q", got, want)
	}
}
