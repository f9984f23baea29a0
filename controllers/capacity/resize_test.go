package capacity

import (
	"context"
	"reflect"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	promtest "github.com/elasticyarn/elastic-yarn-operator/test/prometheus"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// sendingRM logs how each resize was made: "rm-wait" (sent, then confirmed) or "rm-send"
// (sent only).
type sendingRM struct {
	*yarnclient.Client
	log *callLog
}

func (r sendingRM) UpdateNodeResource(ctx context.Context, id string, res yarnclient.Resource) (yarnclient.Node, error) {
	n, err := r.Client.UpdateNodeResource(ctx, id, res)
	if err == nil {
		r.log.add("rm-wait %s %d/%d", id, res.VCores, res.MemoryMB)
	}
	return n, err
}

func (r sendingRM) SetNodeResource(ctx context.Context, id string, res yarnclient.Resource) (yarnclient.Resource, error) {
	got, err := r.Client.SetNodeResource(ctx, id, res)
	if err == nil {
		r.log.add("rm-send %s %d/%d", id, res.VCores, res.MemoryMB)
	}
	return got, err
}

// TestOnlyShrinksWaitForTheRM: a shrink is confirmed by the RM before the guarder is asked
// to shed; a grow (guarder first, RM last) is sent without waiting. A cycle that runs before
// the RM shows the grow does not re-send it as drift, and neither does one after.
func TestOnlyShrinksWaitForTheRM(t *testing.T) {
	ctx := context.Background()
	offer := func(ts time.Time) float64 {
		if ts.Before(t0.Add(10 * time.Minute)) {
			return 6
		}
		return 20
	}
	prom := promtest.Start(t, koordletSeries("send-a", offer))
	emu := rmemulator.New(rmemulator.Config{ResizeDelay: 500 * time.Millisecond})
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	ns := createNamespace(t, ctx)
	id, err := emu.RegisterNode(rmemulator.NodeSpec{Host: "send-a.example.com", RPCPort: 8041, HTTPPort: 8042,
		Capacity: rmemulator.Resource{VCores: 32, MemoryMB: 131072}})
	if err != nil {
		t.Fatal(err)
	}
	createNode(t, ctx, "send-a", 64)
	createNMPod(t, ctx, ns, "resident", "send-a", id)
	enm := createResidentPool(t, ctx, ns, "resident", prom.URL, nil)
	rmClient, err := yarnclient.New(yarnclient.Options{RMs: emu.URLs(), ResizePollInterval: 10 * time.Millisecond, ResizeConfirmTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rmClient.Close)
	calls := &callLog{}
	clk := clocktesting.NewFakePassiveClock(t0)
	r := &Reconciler{Client: env.Client, RMs: fixedRMs{sendingRM{rmClient, calls}}, Shedder: recordingShedder{calls},
		MetricsFor: promSources, Clock: clk}
	cycle := func(at time.Duration) []string {
		t.Helper()
		clk.SetTime(t0.Add(at))
		if _, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(enm)}); err != nil {
			t.Fatalf("cycle at t0+%s: %v", at, err)
		}
		return calls.take()
	}
	expect := func(got []string, want ...string) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("calls:\n got %q\nwant %q", got, want)
		}
	}

	expect(cycle(0), "rm-wait "+id+" 6/24576", "guarder "+id+" 6/24576 ShrinkBeyondTolerance")
	expect(cycle(20*time.Minute), "guarder "+id+" 20/81920 Grow", "rm-send "+id+" 20/81920")
	// A cycle at once (a spec edit, say), before the RM applies the grow: nothing to send.
	if n, _ := emu.Node(id); n.Total.VCores == 20 {
		t.Fatal("the RM applied the grow at once; the in-flight case is not exercised")
	}
	expect(cycle(20*time.Minute + time.Second))
	// The RM applies the grow a heartbeat later; the next cycle finds it there.
	deadline := time.Now().Add(5 * time.Second)
	for n, _ := emu.Node(id); n.Total.VCores != 20; n, _ = emu.Node(id) {
		if time.Now().After(deadline) {
			t.Fatalf("the RM never applied the grow: %+v", n.Total)
		}
		time.Sleep(10 * time.Millisecond)
	}
	expect(cycle(21 * time.Minute))
}
