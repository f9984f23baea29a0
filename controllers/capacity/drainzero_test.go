package capacity

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmwrites"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// drainingMidCycle starts a drain the first time the capacity cycle lists the RM's nodes,
// i.e. after the cycle read the pods: it records the drain on the pod, then marks the node
// drained and writes zero under the node's lock, as the NodeManager controller does
// (rmwrites.Serializer.LockForNodeManager).
type drainingMidCycle struct {
	RM
	drain func()
	done  bool
}

func (d *drainingMidCycle) ListNodes(ctx context.Context, states ...yarnclient.NodeState) ([]yarnclient.Node, error) {
	nodes, err := d.RM.ListNodes(ctx, states...)
	if !d.done {
		d.done = true
		d.drain()
	}
	return nodes, err
}

// TestDrainZeroIsNeverRegrown: a capacity cycle that listed a NodeManager before its drain
// began decides to grow it; the drain sets it to zero meanwhile. The grow must not be sent:
// the drain's zero stays, and the guarder gets no target from the capacity controller.
func TestDrainZeroIsNeverRegrown(t *testing.T) {
	ctx := context.Background()
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		return &promquery.Result{Nodes: map[string]*promquery.NodeResult{"zero-a": freshNode(req.At, 20)}, Queries: 6}, nil
	}}
	emu := rmemulator.New(rmemulator.Config{})
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	id, err := emu.RegisterNode(rmemulator.NodeSpec{Host: "zero-a.example.com", RPCPort: 8041, HTTPPort: 8042,
		Capacity: rmemulator.Resource{VCores: 8, MemoryMB: 32768}})
	if err != nil {
		t.Fatal(err)
	}
	ns := createNamespace(t, ctx)
	createNode(t, ctx, "zero-a", 64)
	createNMPod(t, ctx, ns, "zero", "zero-a", id)
	enm := createResidentPool(t, ctx, ns, "zero", "http://prometheus.invalid:9090", nil)
	rmClient, err := yarnclient.New(yarnclient.Options{RMs: emu.URLs(), ResizePollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rmClient.Close)

	shared := &rmwrites.Serializer{}
	drain := func() {
		var pod corev1.Pod
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "nm-zero-a"}, &pod); err != nil {
			t.Error(err)
			return
		}
		patch := client.MergeFrom(pod.DeepCopy())
		pod.Annotations[v1alpha1.AnnotationDrainStarted] = t0.Format(time.RFC3339)
		if err := env.Client.Patch(ctx, &pod, patch); err != nil {
			t.Error(err)
			return
		}
		defer shared.LockForNodeManager(enm, id, pod.UID, true)()
		if _, err := rmClient.UpdateNodeResource(ctx, id, yarnclient.Resource{}); err != nil {
			t.Error(err)
		}
	}
	calls := &callLog{}
	r := &Reconciler{Client: env.Client, RMWrites: shared,
		RMs:     fixedRMs{&drainingMidCycle{RM: recordingRM{rmClient, calls}, drain: drain}},
		Shedder: recordingShedder{calls}, MetricsFor: func(string) (MetricsSource, error) { return src, nil },
		Clock: clocktesting.NewFakePassiveClock(t0)}
	if _, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(enm)}); err != nil {
		t.Fatal(err)
	}
	// The wrappers hide SetNodeResource, so every write here waits for the RM to show it.
	if n, _ := emu.Node(id); n.Total != (yarnclient.Resource{}) {
		t.Fatalf("node total %+v after the cycle, want the drain's zero", n.Total)
	}
	if got := calls.take(); len(got) != 0 {
		t.Errorf("capacity controller acted on a draining node: %q", got)
	}
}

// TestCancelledDrainGivesTheNodeBack: while a drain owns a node the capacity controller leaves
// it at the drain's zero; once the drain is cancelled (annotation removed, mark ended, as the
// NodeManager controller's cancelDrain does) the next cycle sizes the node again.
func TestCancelledDrainGivesTheNodeBack(t *testing.T) {
	ctx := context.Background()
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		return &promquery.Result{Nodes: map[string]*promquery.NodeResult{"back-a": freshNode(req.At, 20)}, Queries: 6}, nil
	}}
	emu := rmemulator.New(rmemulator.Config{})
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	id, err := emu.RegisterNode(rmemulator.NodeSpec{Host: "back-a.example.com", RPCPort: 8041, HTTPPort: 8042,
		Capacity: rmemulator.Resource{VCores: 8, MemoryMB: 32768}})
	if err != nil {
		t.Fatal(err)
	}
	ns := createNamespace(t, ctx)
	createNode(t, ctx, "back-a", 64)
	createNMPod(t, ctx, ns, "back", "back-a", id)
	enm := createResidentPool(t, ctx, ns, "back", "http://prometheus.invalid:9090", nil)
	rmClient, err := yarnclient.New(yarnclient.Options{RMs: emu.URLs(), ResizePollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rmClient.Close)
	var pod corev1.Pod
	if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "nm-back-a"}, &pod); err != nil {
		t.Fatal(err)
	}
	setDrainStarted := func(started bool) {
		t.Helper()
		patch := client.MergeFrom(pod.DeepCopy())
		if started {
			pod.Annotations[v1alpha1.AnnotationDrainStarted] = t0.Format(time.RFC3339)
		} else {
			delete(pod.Annotations, v1alpha1.AnnotationDrainStarted)
		}
		if err := env.Client.Patch(ctx, &pod, patch); err != nil {
			t.Fatal(err)
		}
	}

	shared := &rmwrites.Serializer{}
	setDrainStarted(true)
	unlock := shared.LockForNodeManager(enm, id, pod.UID, true)
	if _, err := rmClient.UpdateNodeResource(ctx, id, yarnclient.Resource{}); err != nil {
		t.Fatal(err)
	}
	unlock()

	calls := &callLog{}
	r := &Reconciler{Client: env.Client, RMWrites: shared, RMs: fixedRMs{recordingRM{rmClient, calls}},
		Shedder: recordingShedder{calls}, MetricsFor: func(string) (MetricsSource, error) { return src, nil },
		Clock: clocktesting.NewFakePassiveClock(t0)}
	reconcile := func() {
		t.Helper()
		if _, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(enm)}); err != nil {
			t.Fatal(err)
		}
	}
	reconcile()
	if got := calls.take(); len(got) != 0 {
		t.Fatalf("capacity controller acted on a draining node: %q", got)
	}

	setDrainStarted(false)
	shared.EndDrain(enm, id)
	reconcile()
	if got := forNode(calls.take(), id); len(got) == 0 {
		t.Fatal("the node stays at the cancelled drain's zero: the capacity controller never sized it again")
	}
	if n, _ := emu.Node(id); n.Total == (yarnclient.Resource{}) {
		t.Errorf("node total %+v after the cycle, want the capacity controller's size", n.Total)
	}
}
