package capacity

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/test/cachecheck"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// TestSetupWithManager runs the controller in a real manager (cached client, watches) and
// waits for the first cycle to resize the NodeManager and write the pool's status.
func TestSetupWithManager(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"}})
	if err != nil {
		t.Fatal(err)
	}
	calls := &callLog{}
	rm := &countingRM{nodes: map[string]yarnclient.Node{"mgr-a:8041": {ID: "mgr-a:8041", State: yarnclient.NodeRunning,
		TotalResource: &yarnclient.Resource{VCores: 32, MemoryMB: 131072}}}, log: calls}
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		return &promquery.Result{Nodes: map[string]*promquery.NodeResult{"mgr-a": freshNode(req.At, 12)}, Queries: 6}, nil
	}}
	r := &Reconciler{RMs: fixedRMs{rm}, Shedder: recordingShedder{calls}, Recorder: events.NewFakeRecorder(10),
		MetricsFor: func(string) (MetricsSource, error) { return src, nil }, Clock: clocktesting.NewFakePassiveClock(t0)}
	if err := r.SetupWithManager(mgr); err != nil {
		t.Fatal(err)
	}
	go func() { _ = mgr.Start(ctx) }()

	ns := createNamespace(t, ctx)
	createNode(t, ctx, "mgr-a", 64)
	createNMPod(t, ctx, ns, "managed", "mgr-a", "mgr-a:8041")
	enm := createResidentPool(t, ctx, ns, "managed", "http://prometheus.invalid:9090", nil)

	deadline := time.Now().Add(30 * time.Second)
	for {
		var got v1alpha1.ElasticNodeManager
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(enm), &got); err != nil {
			t.Fatal(err)
		}
		if c := meta.FindStatusCondition(got.Status.Conditions, v1alpha1.ConditionMetricsFresh); c != nil && got.Status.Offered.VCores == 12 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no cycle within 30s: status %+v, calls %q", got.Status, calls.take())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := calls.take(); len(got) < 2 || got[0] != "rm mgr-a:8041 12/49152" {
		t.Errorf("calls %q, want the RM shrink to 12 first", got)
	}
}

// TestCycleMutatesNoCachedObject runs a cycle through a manager's informer cache: the cycle
// reads pods and Nodes without copies, sheds on the pod's guarder and patches the Node's
// Koordinator ledger, and must change none of the cache's objects in place. The ledger patch
// goes through the Node's metadata only, so it must leave the Node's status alone.
func TestCycleMutatesNoCachedObject(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"}})
	if err != nil {
		t.Fatal(err)
	}
	detector := &cachecheck.MutationDetector{}
	detector.Watch(t, ctx, mgr, &corev1.Pod{}, &corev1.Node{})
	go func() { _ = mgr.Start(ctx) }()

	ns := createNamespace(t, ctx)
	createNode(t, ctx, "cache-a", 64)
	createNMPod(t, ctx, ns, "cached", "cache-a", "cache-a:8041")
	enm := createResidentPool(t, ctx, ns, "cached", "http://prometheus.invalid:9090", nil)
	// The cycle reads the pod only once the cache holds it adopted by the pool.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var pods corev1.PodList
		if err := mgr.GetCache().List(ctx, &pods, client.InNamespace(ns)); err != nil {
			t.Fatal(err)
		}
		if len(pods.Items) == 1 && metav1.IsControlledBy(&pods.Items[0], enm) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cache never held the adopted pod")
		}
	}

	calls := &callLog{}
	rm := &countingRM{nodes: map[string]yarnclient.Node{"cache-a:8041": {ID: "cache-a:8041", State: yarnclient.NodeRunning,
		TotalResource: &yarnclient.Resource{VCores: 32, MemoryMB: 131072}, UsedVCores: 4, UsedMemoryMB: 16384}}, log: calls}
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		return &promquery.Result{Nodes: map[string]*promquery.NodeResult{"cache-a": freshNode(req.At, 12)}, Queries: 6}, nil
	}}
	r := &Reconciler{Client: mgr.GetClient(), RMs: fixedRMs{rm}, Shedder: recordingShedder{calls},
		MetricsFor: func(string) (MetricsSource, error) { return src, nil }, Clock: clocktesting.NewFakePassiveClock(t0)}
	if _, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(enm)}); err != nil {
		t.Fatal(err)
	}
	if got := calls.take(); len(got) < 2 || got[0] != "rm cache-a:8041 12/49152" {
		t.Errorf("calls %q, want the RM shrink to 12, then the guarder's target", got)
	}
	var node corev1.Node
	if err := env.Client.Get(ctx, client.ObjectKey{Name: "cache-a"}, &node); err != nil {
		t.Fatal(err)
	}
	if a := node.Annotations[koordledger.AnnotationThirdPartyAllocations]; !strings.Contains(a, `"name":"hadoop-yarn"`) || !strings.Contains(a, `"kubernetes.io/batch-cpu":"4000"`) {
		t.Errorf("thirdPartyAllocations %q, want YARN's 4 vcores (4000 milli-cores)", a)
	}
	if got := node.Status.Capacity.Cpu().Value(); got != 64 {
		t.Errorf("the Node's CPU capacity is %d after the ledger patch, want 64", got)
	}
	detector.Check(t, "one cycle")
}
