package capacity

import (
	"context"
	"reflect"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// TestSafetyShedWhileRMUnreachable: the RM goes away while the node is overloaded. The cycle
// still succeeds and requeues at the pool's interval (no error backoff); nothing is resized,
// and the guarder is told to shed the excess from what YARN last held, as recorded in
// Koordinator's ledger.
func TestSafetyShedWhileRMUnreachable(t *testing.T) {
	ctx := context.Background()
	overloaded := false
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		n := freshNode(req.At, 20)
		if overloaded {
			n.UsedCPURecent, n.UsedCPUSustainedMin = 60.8, 59 // 95 % of 64 cores, above 90 % for shedAfter
		}
		return &promquery.Result{Nodes: map[string]*promquery.NodeResult{"unreach-a": n}, Queries: 6}, nil
	}}
	emu := rmemulator.New(rmemulator.Config{})
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	id, err := emu.RegisterNode(rmemulator.NodeSpec{Host: "unreach-a.example.com", RPCPort: 8041, HTTPPort: 8042,
		Capacity: rmemulator.Resource{VCores: 20, MemoryMB: 81920}})
	if err != nil {
		t.Fatal(err)
	}
	emu.SubmitApp(rmemulator.AppSpec{Containers: 5, Resource: rmemulator.Resource{VCores: 1, MemoryMB: 2048},
		AMResource: rmemulator.Resource{VCores: 1, MemoryMB: 1024}, Duration: time.Hour})
	emu.Tick(t0) // YARN holds 6 vcores / 11264 MB

	ns := createNamespace(t, ctx)
	createNode(t, ctx, "unreach-a", 64)
	createNMPod(t, ctx, ns, "unreach", "unreach-a", id)
	enm := createResidentPool(t, ctx, ns, "unreach", "http://prometheus.invalid:9090", nil)
	rmClient, err := yarnclient.New(yarnclient.Options{RMs: emu.URLs(), Timeout: time.Second, MaxAttempts: 1, MaxFailovers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rmClient.Close)
	calls := &callLog{}
	clk := clocktesting.NewFakePassiveClock(t0)
	r := &Reconciler{Client: env.Client, RMs: fixedRMs{recordingRM{rmClient, calls}}, Shedder: recordingShedder{calls},
		MetricsFor: func(string) (MetricsSource, error) { return src, nil }, Clock: clk}
	cycle := func(at time.Duration) []string {
		t.Helper()
		clk.SetTime(t0.Add(at))
		res, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(enm)})
		if err != nil {
			t.Fatalf("cycle at t0+%s: %v, want no error (an RM outage is expected, not a failure)", at, err)
		}
		if res.RequeueAfter != time.Minute {
			t.Fatalf("RequeueAfter %s, want the pool's 1m interval", res.RequeueAfter)
		}
		return calls.take()
	}

	cycle(0) // calm: sizes the node and records YARN's 6 vcores in the ledger
	var node corev1.Node
	if err := env.Client.Get(ctx, client.ObjectKey{Name: "unreach-a"}, &node); err != nil {
		t.Fatal(err)
	}
	if share, err := koordledger.YARNShareOf(&node); err != nil || share.Cores != 6 {
		t.Fatalf("ledger %+v %v, want YARN's 6 vcores", share, err)
	}

	emu.StopRM(0)
	overloaded = true
	// excess = ceil(60.8 - 57.6) = 4 cores: YARN keeps 6 - 4 = 2 vcores.
	if got, want := cycle(time.Minute), []string{"guarder " + id + " 2/11264 NodeSafetyShed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("while the RM is unreachable: calls %q, want %q", got, want)
	}
	overloaded = false
	if got := cycle(2 * time.Minute); len(got) != 0 {
		t.Errorf("calm again, RM still away: calls %q, want none", got)
	}
}
