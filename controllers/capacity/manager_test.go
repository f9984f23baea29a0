package capacity

import (
	"context"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/tools/events"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
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
