package capacity

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	promtest "github.com/elasticyarn/elastic-yarn-operator/test/prometheus"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

const gib = float64(1 << 30)

// t0 is the first cycle; backfilled samples run from t0-5m to t0+40m every 15 s.
var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// koordletSeries samples cores(t) for a node, with 256 GiB batch memory and 10 cores used.
func koordletSeries(node string, cores func(time.Time) float64) []promtest.Series {
	var cpu, mem, used []promtest.Point
	for ts := t0.Add(-5 * time.Minute); !ts.After(t0.Add(40 * time.Minute)); ts = ts.Add(15 * time.Second) {
		cpu = append(cpu, promtest.Point{T: ts, V: cores(ts)})
		mem = append(mem, promtest.Point{T: ts, V: 256 * gib})
		used = append(used, promtest.Point{T: ts, V: 10})
	}
	return []promtest.Series{
		{Name: promquery.MetricBESuppressCPU, Labels: map[string]string{"node": node, "type": "cpuset"}, Points: cpu},
		{Name: promquery.MetricNodeAllocatable, Labels: map[string]string{"node": node, "resource": koordledger.ResourceBatchMemory}, Points: mem},
		{Name: promquery.MetricNodeUsedCPU, Labels: map[string]string{"node": node}, Points: used},
	}
}

// TestResizeAgainstRMEmulator: available CPU of two nodes steps down and back up while a
// third stays put; the RM must see every shrink before the guarder, the guarder must get
// the right targets, and an RM failover (which restores every NM's configured size) must be
// repaired within one cycle.
func TestResizeAgainstRMEmulator(t *testing.T) {
	ctx := context.Background()
	stepping := func(ts time.Time) float64 {
		if !ts.Before(t0.Add(10*time.Minute)) && ts.Before(t0.Add(30*time.Minute)) {
			return 6
		}
		return 20
	}
	steady := func(time.Time) float64 { return 16 }
	var series []promtest.Series
	series = append(series, koordletSeries("emu-a", stepping)...)
	series = append(series, koordletSeries("emu-b", stepping)...)
	series = append(series, koordletSeries("emu-c", steady)...)
	prom := promtest.Start(t, series)

	// RMs without the heartbeat sync-back forget resizes on failover: the drift repair below.
	emu := rmemulator.New(rmemulator.Config{RMs: 2, ForgetResizeOnRMRestart: true, ReregistrationDelay: -1})
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	ns := createNamespace(t, ctx)
	ids := map[string]string{}
	for _, n := range []string{"emu-a", "emu-b", "emu-c"} {
		id, err := emu.RegisterNode(rmemulator.NodeSpec{Host: n + ".example.com", RPCPort: 8041, HTTPPort: 8042,
			Capacity: rmemulator.Resource{VCores: 32, MemoryMB: 131072}})
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = id
		createNode(t, ctx, n, 64)
		createNMPod(t, ctx, ns, "resident", n, id)
	}
	enm := createResidentPool(t, ctx, ns, "resident", prom.URL, nil)

	rmClient, err := yarnclient.New(yarnclient.Options{RMs: emu.URLs(), ResizePollInterval: 10 * time.Millisecond, ResizeConfirmTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rmClient.Close)
	calls := &callLog{}
	clk := clocktesting.NewFakePassiveClock(t0)
	recorder := events.NewFakeRecorder(100)
	r := &Reconciler{Client: env.Client, RMs: fixedRMs{recordingRM{rmClient, calls}}, Shedder: recordingShedder{calls},
		Recorder: recorder, MetricsFor: promSources, Clock: clk}

	cycle := func(at time.Duration) []string {
		t.Helper()
		clk.SetTime(t0.Add(at))
		res, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(enm)})
		if err != nil {
			t.Fatalf("cycle at t0+%s: %v", at, err)
		}
		if res.RequeueAfter != time.Minute {
			t.Fatalf("RequeueAfter %s, want the 1m interval", res.RequeueAfter)
		}
		return calls.take()
	}
	expectNode := func(calls []string, node string, want ...string) {
		t.Helper()
		if got := forNode(calls, ids[node]); !reflect.DeepEqual(got, want) {
			t.Errorf("%s calls:\n got %q\nwant %q", node, got, want)
		}
	}
	id := func(n string) string { return ids[n] }

	// Cycle 1: the RM advertises the configured 32 vcores; Koordinator offers 20 and 16.
	c := cycle(0)
	expectNode(c, "emu-a", "rm "+id("emu-a")+" 20/81920", "guarder "+id("emu-a")+" 20/81920 ShrinkBeyondTolerance")
	expectNode(c, "emu-c", "rm "+id("emu-c")+" 16/65536", "guarder "+id("emu-c")+" 16/65536 ShrinkBeyondTolerance")

	// Cycle 2: available CPU of a and b steps down to 6 cores: RM first, then the guarder.
	c = cycle(12 * time.Minute)
	expectNode(c, "emu-a", "rm "+id("emu-a")+" 6/24576", "guarder "+id("emu-a")+" 6/24576 ShrinkBeyondTolerance")
	expectNode(c, "emu-b", "rm "+id("emu-b")+" 6/24576", "guarder "+id("emu-b")+" 6/24576 ShrinkBeyondTolerance")
	expectNode(c, "emu-c")

	// Cycle 3: back up to 20: the guarder's target is raised before the RM places work.
	c = cycle(32 * time.Minute)
	expectNode(c, "emu-a", "guarder "+id("emu-a")+" 20/81920 Grow", "rm "+id("emu-a")+" 20/81920")
	expectNode(c, "emu-b", "guarder "+id("emu-b")+" 20/81920 Grow", "rm "+id("emu-b")+" 20/81920")

	// RM failover: every NM re-registers with its configured 32 vcores.
	if err := emu.Failover(1); err != nil {
		t.Fatal(err)
	}
	emu.ReregisterAll()
	if n, _ := emu.Node(id("emu-a")); n.Total.VCores != 32 {
		t.Fatalf("emulator did not reset the size on failover: %+v", n.Total)
	}
	// Cycle 4: drift repaired in one cycle, RM first, then the guarder is told its target
	// again (after a re-registration the NodeManager's guarder may be a new one with none).
	c = cycle(33 * time.Minute)
	expectNode(c, "emu-a", "rm "+id("emu-a")+" 20/81920", "guarder "+id("emu-a")+" 20/81920 Drift")
	expectNode(c, "emu-b", "rm "+id("emu-b")+" 20/81920", "guarder "+id("emu-b")+" 20/81920 Drift")
	expectNode(c, "emu-c", "rm "+id("emu-c")+" 16/65536", "guarder "+id("emu-c")+" 16/65536 Drift")
	for n, want := range map[string]int64{"emu-a": 20, "emu-b": 20, "emu-c": 16} {
		if got, _ := emu.Node(id(n)); got.Total.VCores != want {
			t.Errorf("%s total after the drift repair: %+v, want %d vcores", n, got.Total, want)
		}
	}

	// Status: MetricsFresh and Offered, through a status patch.
	var got v1alpha1.ElasticNodeManager
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(enm), &got); err != nil {
		t.Fatal(err)
	}
	cond := meta.FindStatusCondition(got.Status.Conditions, v1alpha1.ConditionMetricsFresh)
	if cond == nil || cond.Status != "True" || got.Status.Offered.VCores != 56 || got.Status.Offered.MemoryMB != 81920*2+65536 {
		t.Errorf("status: condition %+v offered %+v, want MetricsFresh True and 56 vcores", cond, got.Status.Offered)
	}
	// Koordinator sees YARN's usage through thirdPartyAllocations (nothing runs: zero).
	var node corev1.Node
	if err := env.Client.Get(ctx, client.ObjectKey{Name: "emu-a"}, &node); err != nil {
		t.Fatal(err)
	}
	if a := node.Annotations[koordledger.AnnotationThirdPartyAllocations]; !strings.Contains(a, `"name":"hadoop-yarn"`) || !strings.Contains(a, `"kubernetes.io/batch-cpu":"0"`) {
		t.Errorf("thirdPartyAllocations %q", a)
	}
	// One aggregated Event per cycle that resized something: 4 cycles, 4 Events.
	if n := len(recorder.Events); n != 4 {
		t.Errorf("%d Events, want 4 (one per resizing cycle)", n)
	}
	for len(recorder.Events) > 0 {
		if e := <-recorder.Events; !strings.Contains(e, "Resized") {
			t.Errorf("event %q", e)
		}
	}
}
