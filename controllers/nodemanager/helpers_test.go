package nodemanager

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/klog/v2"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// recorder keeps Events for assertions (the manager's recorder writes them asynchronously).
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Eventf(_ runtime.Object, _ runtime.Object, typ, reason, _, note string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, typ+" "+reason+" "+fmt.Sprintf(note, args...))
}

func (r *recorder) count(reason string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if strings.Fields(e)[1] == reason {
			n++
		}
	}
	return n
}

var _ events.EventRecorder = (*recorder)(nil)

// fakeShedder records shed requests instead of calling a guarder.
type fakeShedder struct {
	mu    sync.Mutex
	calls []string
}

func (f *fakeShedder) SetTarget(_ context.Context, pod *corev1.Pod, target guarderclient.Target) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("%s %d %s", pod.Name, target.VCores, target.Reason))
	return nil
}

func (f *fakeShedder) count(reason string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasSuffix(c, " "+reason) {
			n++
		}
	}
	return n
}

// fixtureRMs gives every pool the fixture's RM client.
type fixtureRMs struct{ f *fixture }

func (r fixtureRMs) RMFor(context.Context, *v1alpha1.ElasticNodeManager) (RM, error) {
	return r.f.rmc, nil
}

// poolRemembered reports whether the operator's per-pool memory holds the pool.
func (f *fixture) poolRemembered(pool types.NamespacedName) bool {
	_, ok := f.pools.Lookup(pool)
	return ok
}

// fixture is one test's world: a namespace, nodes, StaticIPs, an RM emulator and a
// reconciler on a fake clock.
type fixture struct {
	t       *testing.T
	ctx     context.Context
	ns      string
	clock   *clocktesting.FakeClock
	rm      *rmemulator.Emulator
	rmc     *yarnclient.Client
	rec     *recorder
	shedder *fakeShedder
	r       *Reconciler
	sipr    *staticip.Reconciler // the StaticIP controller, which releases addresses
	sel     string               // node label value of this test's placement

	pools *poolstate.Pools // the per-pool memory the reconciler keeps and drops
}

const rpcPort = 8041

func newFixture(t *testing.T, start time.Time) *fixture {
	t.Helper()
	ctx := ctrl.LoggerInto(context.Background(), klog.Background())
	name := strings.ToLower(strings.ReplaceAll(t.Name(), "_", "-"))
	if len(name) > 40 {
		name = name[:40]
	}
	name = strings.Trim(name, "-")
	f := &fixture{t: t, ctx: ctx, ns: name, sel: name, clock: clocktesting.NewFakeClock(start), rec: &recorder{}, shedder: &fakeShedder{}, pools: &poolstate.Pools{}}
	must(t, env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: f.ns}}))
	// Koordinator installs this PriorityClass; pods naming a missing one are rejected.
	pc := &schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: podspec.DefaultPriority}, Value: 5000}
	if err := env.Client.Create(ctx, pc); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	// NMs re-register after an RM restart or failover only when a test says so (ReregisterAll).
	f.rm = rmemulator.New(rmemulator.Config{Now: f.clock.Now, ReregistrationDelay: -1})
	must(t, f.rm.Start())
	t.Cleanup(f.rm.Close)
	rmc, err := yarnclient.New(yarnclient.Options{RMs: f.rm.URLs(), Timeout: 2 * time.Second, MaxAttempts: 1, MaxFailovers: 1})
	must(t, err)
	f.rmc = rmc
	f.r = f.newReconciler()
	f.sipr = f.newStaticIPReconciler()
	return f
}

// newReconciler is a fresh reconciler with no memory, as after an operator restart.
func (f *fixture) newReconciler() *Reconciler {
	return &Reconciler{
		Client:     env.Client,
		Recorder:   f.rec,
		Clock:      f.clock,
		RM:         fixtureRMs{f},
		Pools:      f.pools,
		Shedder:    f.shedder,
		Binder:     &staticip.Binder{Client: env.Client, Now: f.clock.Now},
		PodOptions: podspec.Options{DefaultGuarderImage: "guarder:test"},
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// node creates a Ready node selected by this test's placement.
func (f *fixture) node(name string) {
	f.t.Helper()
	want := testkit.Node(testkit.NodeOptions{Name: f.nodeName(name), Labels: map[string]string{"pool-test": f.sel}})
	n := want.DeepCopy()
	must(f.t, env.Client.Create(f.ctx, n))
	f.t.Cleanup(func() { _ = env.Client.Delete(context.Background(), n) })
	n.Status = want.Status // Ready
	must(f.t, env.Client.Status().Update(f.ctx, n))
	// The apiserver taints new nodes not-ready; the node lifecycle controller (absent here)
	// would lift the taint once the node reports Ready.
	n.Spec.Taints = nil
	must(f.t, env.Client.Update(f.ctx, n))
}

func (f *fixture) nodeName(short string) string { return f.ns + "-" + short }

// staticIPs creates n Available StaticIPs for the pool.
func (f *fixture) staticIPs(n int) {
	f.t.Helper()
	// Addresses are unique across the package's tests: the StaticIP controller finds
	// duplicates in every namespace.
	h := fnv.New32a()
	_, _ = h.Write([]byte(f.ns))
	nsHash := h.Sum32()
	for i := 0; i < n; i++ {
		sip := testkit.StaticIP(testkit.StaticIPOptions{Namespace: f.ns, Name: fmt.Sprintf("nm-%d", i), Labels: map[string]string{"pool": "p"},
			Address: fmt.Sprintf("10.%d.%d.%d", nsHash>>8&255, nsHash&255, i+1), FQDN: fmt.Sprintf("nm-%d.%s.example.com", i, f.ns), NoKeytab: true})
		must(f.t, env.Client.Create(f.ctx, sip))
		sip.Status.Phase = v1alpha1.StaticIPAvailable
		must(f.t, env.Client.Status().Update(f.ctx, sip))
	}
}

// pool creates an ENM with the test's placement and StaticIP selector; mutate adjusts it.
func (f *fixture) pool(mutate func(*v1alpha1.ElasticNodeManager)) *v1alpha1.ElasticNodeManager {
	f.t.Helper()
	enm := testkit.Pool(testkit.PoolOptions{Namespace: f.ns, Name: "pool", SimpleAuth: true,
		ResourceManagers: []string{"http://rm.example.com:8088"}, NodeLabel: "elastic", Image: "hadoop:3.3.6",
		NodeSelector: map[string]string{"pool-test": f.sel}, StaticIPSelector: map[string]string{"pool": "p"},
		Capacity: &v1alpha1.CapacitySpec{Static: &v1alpha1.Resources{VCores: 4, MemoryMB: 8192}}})
	if mutate != nil {
		mutate(enm)
	}
	must(f.t, env.Client.Create(f.ctx, enm))
	return enm
}

// reconcile runs one reconcile at the fake clock's time.
func (f *fixture) reconcile() ctrl.Result {
	f.t.Helper()
	res, err := f.r.Reconcile(f.ctx, ctrl.Request{NamespacedName: client.ObjectKey{Namespace: f.ns, Name: "pool"}})
	if err != nil {
		f.t.Fatalf("reconcile at %s: %v", f.clock.Now().UTC().Format(time.RFC3339), err)
	}
	return res
}

// settle reconciles, plays kubelet and NodeManagers, and reconciles again until nothing
// changes (bounded), the way watch events would drive the controller.
func (f *fixture) settle() ctrl.Result {
	f.t.Helper()
	var res ctrl.Result
	quiet := 0
	for i := 0; i < 8 && quiet < 2; i++ {
		if f.poolGone() {
			return ctrl.Result{}
		}
		res = f.reconcile()
		kubelet := f.kubelet()
		if f.reconcileStaticIPs() || kubelet {
			quiet = 0
		} else {
			quiet++
		}
	}
	return res
}

// kubelet plays kubelet and the NodeManager process: new pods start Running with their
// StaticIP and register with the RM; terminating pods stop and their NM shuts down. It
// reports whether it changed anything.
func (f *fixture) kubelet() bool {
	f.t.Helper()
	changed := false
	for _, pod := range f.pods() {
		id := pod.Annotations[v1alpha1.AnnotationYARNNodeID]
		host, _, _ := cutPort(id)
		if pod.DeletionTimestamp != nil {
			if n, ok := f.rm.Node(id); ok && n.State != yarnclient.NodeShutdown {
				must(f.t, f.rm.UnregisterNode(id))
				changed = true
			}
			continue
		}
		if pod.Status.Phase != corev1.PodRunning {
			pod.Status.Phase = corev1.PodRunning
			pod.Status.PodIP = "10.1.1.1"
			pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
			must(f.t, env.Client.Status().Update(f.ctx, &pod))
			changed = true
		}
		if n, ok := f.rm.Node(id); !ok || n.State == yarnclient.NodeShutdown {
			_, err := f.rm.RegisterNode(rmemulator.NodeSpec{Host: host, RPCPort: rpcPort, HTTPPort: 8042, Capacity: yarnclient.Resource{VCores: 4, MemoryMB: 8192}})
			must(f.t, err)
			changed = true
		}
	}
	return changed
}

func (f *fixture) pods() []corev1.Pod {
	f.t.Helper()
	var list corev1.PodList
	must(f.t, env.Client.List(f.ctx, &list, client.InNamespace(f.ns), client.MatchingLabels{v1alpha1.LabelPool: "pool"}))
	return list.Items
}

func (f *fixture) livePods() []corev1.Pod {
	var out []corev1.Pod
	for _, p := range f.pods() {
		if p.DeletionTimestamp == nil {
			out = append(out, p)
		}
	}
	return out
}

func (f *fixture) enm() *v1alpha1.ElasticNodeManager {
	f.t.Helper()
	var enm v1alpha1.ElasticNodeManager
	must(f.t, env.Client.Get(f.ctx, client.ObjectKey{Namespace: f.ns, Name: "pool"}, &enm))
	return &enm
}

func (f *fixture) condition(typ string) metav1.Condition {
	f.t.Helper()
	c := meta.FindStatusCondition(f.enm().Status.Conditions, typ)
	if c == nil {
		f.t.Fatalf("no %s condition", typ)
	}
	return *c
}

func (f *fixture) advanceTo(t time.Time) { f.clock.SetTime(t) }

// runApp puts work on every registered node: one application with long containers.
func (f *fixture) runApp(containers int) {
	f.rm.SubmitApp(rmemulator.AppSpec{Name: "etl", Queue: "default", User: "alice", Type: "SPARK", Containers: containers,
		Resource: yarnclient.Resource{VCores: 1, MemoryMB: 1024}, AMResource: yarnclient.Resource{VCores: 1, MemoryMB: 1024}, Duration: 10 * time.Hour})
	f.rm.Tick(f.clock.Now())
}

func (f *fixture) poolGone() bool {
	var enm v1alpha1.ElasticNodeManager
	err := env.Client.Get(f.ctx, client.ObjectKey{Namespace: f.ns, Name: "pool"}, &enm)
	return apierrors.IsNotFound(err)
}

func clientKey(ns, name string) client.ObjectKey { return client.ObjectKey{Namespace: ns, Name: name} }
