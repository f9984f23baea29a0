package guardercontract_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guardercontract"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/api"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
)

var env *envtest.Environment

func TestMain(m *testing.M) { os.Exit(envtest.RunMain(m, &env)) }

// idleWorker is the guarder's worker behind the real API handler; this test only reads
// /version and /readyz.
type idleWorker struct{}

func (idleWorker) SetTarget(context.Context, worker.Target) (worker.PlanReport, error) {
	return worker.PlanReport{}, nil
}
func (idleWorker) Preview(context.Context, worker.Target) (worker.PlanReport, error) {
	return worker.PlanReport{}, nil
}
func (idleWorker) LastPlan() (worker.PlanReport, bool)  { return worker.PlanReport{}, false }
func (idleWorker) CurrentTarget() (worker.Target, bool) { return worker.Target{}, false }
func (idleWorker) Containers() []worker.ContainerView   { return nil }
func (idleWorker) Ready() bool                          { return true }

// guarderServer serves the real guarder API. contract1 hides /version the way a guarder built
// before the contract answers it: the API's catch-all 404.
func guarderServer(t *testing.T, contract1 bool) int32 {
	t.Helper()
	h := api.NewHandler(api.Config{Controller: idleWorker{}, Token: api.NewTokenFile("/nonexistent"), Log: logr.Discard()})
	if contract1 {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/version" {
				r.URL.Path = "/no-such-endpoint-before-contract-2"
			}
			inner.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	p, _ := strconv.Atoi(port)
	return int32(p)
}

type recordedEvent struct{ eventType, reason, note string }

type eventRecorder struct {
	mu     sync.Mutex
	events []recordedEvent
}

func (r *eventRecorder) Eventf(_ runtime.Object, _ runtime.Object, eventType, reason, _, note string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, recordedEvent{eventType, reason, fmt.Sprintf(note, args...)})
}

func (r *eventRecorder) list() []recordedEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedEvent(nil), r.events...)
}

func newNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "guardercontract-"}}
	if err := env.Client.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

func createENM(t *testing.T, ns, name, policy string) {
	t.Helper()
	obj := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "elasticyarn.io/v1alpha1",
		"kind":       "ElasticNodeManager",
		"metadata":   map[string]any{"name": name, "namespace": ns},
		"spec": map[string]any{
			"yarn":      map[string]any{"clusterName": "prod", "resourceManagers": []any{"http://rm1.example.test:8088"}},
			"template":  map[string]any{"image": "hadoop:3.3.6"},
			"staticIPs": map[string]any{"selector": map[string]any{"matchLabels": map[string]any{"pool": name}}},
			"mode":      "Resident",
			"capacity":  map[string]any{"static": map[string]any{"vcores": int64(10), "memoryMB": int64(30720)}},
			"guarder":   map[string]any{"signalPolicy": policy},
		},
	}}
	if err := env.Client.Create(context.Background(), obj); err != nil {
		t.Fatal(err)
	}
}

// putPod creates or updates a NodeManager pod whose guarder listens on port with the given
// readiness and container id.
func putPod(t *testing.T, ns, pool, name string, port int32, ready bool, containerID string) {
	t.Helper()
	ctx := context.Background()
	pod := &corev1.Pod{}
	err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, pod)
	if err != nil {
		pod = &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{v1alpha1.LabelPool: pool},
				Annotations: map[string]string{v1alpha1.AnnotationGuarderTokenSecret: pool + "-guarder-token"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{
				{Name: "nodemanager", Image: "hadoop:3.3.6"},
				{Name: guarderclient.ContainerName, Image: "guarder:old", Ports: []corev1.ContainerPort{{Name: guarderclient.PortName, ContainerPort: port}}},
			}},
		}
		if err := env.Client.Create(ctx, pod); err != nil {
			t.Fatal(err)
		}
	} else if pod.Spec.Containers[1].Ports[0].ContainerPort != port {
		// A new guarder image means a new pod in real life; the port stands in for it here.
		if err := env.Client.Delete(ctx, pod); err != nil {
			t.Fatal(err)
		}
		pod.ObjectMeta = metav1.ObjectMeta{Name: name + "-2", Namespace: ns, Labels: pod.Labels, Annotations: pod.Annotations}
		pod.Spec.Containers[1].Ports[0].ContainerPort = port
		pod.Status = corev1.PodStatus{}
		if err := env.Client.Create(ctx, pod); err != nil {
			t.Fatal(err)
		}
	}
	pod.Status = corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "127.0.0.1", ContainerStatuses: []corev1.ContainerStatus{
		{Name: "nodemanager", Ready: true, Image: "hadoop:3.3.6", ImageID: "x", ContainerID: "containerd://nm-" + name},
		{Name: guarderclient.ContainerName, Ready: ready, Image: "guarder", ImageID: "y", ContainerID: containerID},
	}}
	if err := env.Client.Status().Update(ctx, pod); err != nil {
		t.Fatal(err)
	}
}

func condition(t *testing.T, ns, name string) metav1.Condition {
	t.Helper()
	var enm v1alpha1.ElasticNodeManager
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &enm); err != nil {
		t.Fatal(err)
	}
	c := meta.FindStatusCondition(enm.Status.Conditions, v1alpha1.ConditionGuardersReady)
	if c == nil {
		t.Fatalf("no %s condition: %+v", v1alpha1.ConditionGuardersReady, enm.Status.Conditions)
	}
	if c.ObservedGeneration != enm.Generation {
		t.Errorf("observedGeneration %d, generation %d", c.ObservedGeneration, enm.Generation)
	}
	return *c
}

// TestGuarderTooOldIsReportedWithAConditionAnEventAndAMetric runs the reconciler against a
// real apiserver and real guarder API handlers: one current, one built before the contract
// (no /version, so none of the capabilities), then a guarder that is not ready.
func TestGuarderTooOldIsReportedWithAConditionAnEventAndAMetric(t *testing.T) {
	ns := newNamespace(t)
	const pool = "night"
	createENM(t, ns, pool, "TermOnly")
	currentPort, oldPort := guarderServer(t, false), guarderServer(t, true)
	putPod(t, ns, pool, "nm-a", currentPort, true, "containerd://g-a")
	putPod(t, ns, pool, "nm-b", oldPort, true, "containerd://g-b")

	clock := time.Now()
	rec := &eventRecorder{}
	r := &guardercontract.Reconciler{Client: env.Client, Guarders: &guarderclient.Client{Secrets: env.Client},
		Recorder: rec, Now: func() time.Time { return clock }}
	reconcile := func() ctrl.Result {
		t.Helper()
		res, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: client.ObjectKey{Namespace: ns, Name: pool}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	res := reconcile()
	c := condition(t, ns, pool)
	if c.Status != metav1.ConditionFalse || c.Reason != guardercontract.ReasonTooOld {
		t.Fatalf("condition %+v, want False %s", c, guardercontract.ReasonTooOld)
	}
	t.Logf("condition: %s %s: %s", c.Status, c.Reason, c.Message)
	if ev := rec.list(); len(ev) != 1 || ev[0].eventType != corev1.EventTypeWarning || ev[0].reason != guardercontract.ReasonTooOld {
		t.Fatalf("events %+v", ev)
	}
	if got := metricValue(t, ns, pool, "tooOld"); got != 1 {
		t.Errorf("guarders{state=tooOld} = %v", got)
	}
	if got := metricValue(t, ns, pool, "compatible"); got != 1 {
		t.Errorf("guarders{state=compatible} = %v", got)
	}
	if res.RequeueAfter <= 0 {
		t.Errorf("no RequeueAfter: %+v", res)
	}
	// Unchanged: no second Event.
	reconcile()
	if ev := rec.list(); len(ev) != 1 {
		t.Fatalf("events after an unchanged reconcile: %+v", ev)
	}

	// The old guarder's pod is replaced by one with a current guarder.
	putPod(t, ns, pool, "nm-b", currentPort, true, "containerd://g-b2")
	reconcile()
	if c := condition(t, ns, pool); c.Status != metav1.ConditionTrue || c.Reason != guardercontract.ReasonCompatible {
		t.Fatalf("after the upgrade: %+v", c)
	}
	if ev := rec.list(); len(ev) != 2 || ev[1].eventType != corev1.EventTypeNormal || ev[1].reason != guardercontract.ReasonCompatible {
		t.Fatalf("events %+v (condition %+v)", ev, condition(t, ns, pool))
	}

	// A guarder that stays not ready past the startup grace.
	putPod(t, ns, pool, "nm-a", currentPort, false, "containerd://g-a")
	clock = clock.Add(guardercontract.StartupGrace + time.Minute)
	reconcile()
	if c := condition(t, ns, pool); c.Status != metav1.ConditionFalse || c.Reason != guardercontract.ReasonNotReady {
		t.Fatalf("not ready: %+v", c)
	}
	if got := metricValue(t, ns, pool, "notReady"); got != 1 {
		t.Errorf("guarders{state=notReady} = %v", got)
	}
}

func metricValue(t *testing.T, ns, pool, state string) float64 {
	t.Helper()
	return testutil.ToFloat64(guardercontract.GuardersGauge().WithLabelValues(ns, pool, state))
}
