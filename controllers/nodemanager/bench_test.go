package nodemanager

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// staticRM answers from memory what an RM answers for a pool at rest: every NodeManager
// running with the pool's capacity and label. It keeps the RM's JSON decoding out of the
// benchmark, which measures the controller's own work.
type staticRM struct {
	nodes  []yarnclient.Node
	labels []yarnclient.NodeLabel
}

func (s *staticRM) ListNodes(context.Context, ...yarnclient.NodeState) ([]yarnclient.Node, error) {
	return s.nodes, nil
}

func (s *staticRM) SetNodeResource(_ context.Context, _ string, r yarnclient.Resource) (yarnclient.Resource, error) {
	return r, nil
}

func (s *staticRM) ListNodeLabels(context.Context) ([]yarnclient.NodeLabel, error) {
	return s.labels, nil
}
func (s *staticRM) AddNodeLabels(context.Context, ...yarnclient.NodeLabel) error    { return nil }
func (s *staticRM) ReplaceNodeLabels(context.Context, string, ...string) error      { return nil }
func (s *staticRM) RMFor(context.Context, *v1alpha1.ElasticNodeManager) (RM, error) { return s, nil }
func (s *staticRM) Forget(types.NamespacedName)                                     {}

// steadyPool is a pool of n running NodeManagers and the reconciler that runs it through
// the manager's cache, as in the operator.
type steadyPool struct {
	r   *Reconciler
	req ctrl.Request
	err error
}

var (
	steadyPoolsMu sync.Mutex
	steadyPools   = map[int]*steadyPool{}
)

// benchPoolSize is the pool size of BenchmarkReconcileSteady (NM_BENCH_PODS, default 1000).
func benchPoolSize() int {
	if n, err := strconv.Atoi(os.Getenv("NM_BENCH_PODS")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// BenchmarkReconcileSteady measures one reconcile of a pool at rest (nothing to create,
// drain or resize) read through the manager's informer cache, the cycle that repeats at
// every resync and every pod status change.
//
//	NM_BENCH_PODS=1000 go test ./controllers/nodemanager -run '^$' -bench ReconcileSteady -benchmem -benchtime 50x
func BenchmarkReconcileSteady(b *testing.B) {
	n := benchPoolSize()
	steadyPoolsMu.Lock()
	p, ok := steadyPools[n]
	if !ok {
		p = newSteadyPool(n)
		steadyPools[n] = p
	}
	steadyPoolsMu.Unlock()
	if p.err != nil {
		b.Fatal(p.err)
	}
	ctx := ctrl.LoggerInto(context.Background(), klog.Background())
	if _, err := p.r.Reconcile(ctx, p.req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := p.r.Reconcile(ctx, p.req); err != nil {
			b.Fatal(err)
		}
	}
}

// newSteadyPool builds the pool: n Ready nodes and StaticIPs, a cold start that creates the
// pods, the kubelet's Running, and an RM that lists every NodeManager as it should be.
func newSteadyPool(n int) *steadyPool {
	p := &steadyPool{}
	p.err = p.build(n)
	return p
}

func (p *steadyPool) build(n int) error {
	ctx := ctrl.LoggerInto(context.Background(), klog.Background())
	c := env.Client
	ns := fmt.Sprintf("bench-steady-%d", n)
	if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		return err
	}
	pc := &schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: podspec.DefaultPriority}, Value: 5000}
	if err := c.Create(ctx, pc); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	if err := parallel(n, func(i int) error {
		node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-%05d", ns, i), Labels: map[string]string{"pool-test": ns}}}
		if err := c.Create(ctx, node); err != nil {
			return err
		}
		node.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue,
			LastHeartbeatTime: metav1.Now(), LastTransitionTime: metav1.Now()}}
		if err := c.Status().Update(ctx, node); err != nil {
			return err
		}
		sip := &v1alpha1.StaticIP{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("nm-%05d", i), Namespace: ns, Labels: map[string]string{"pool": "p"}},
			Spec: v1alpha1.StaticIPSpec{Address: fmt.Sprintf("10.250.%d.%d", i/250, i%250+1),
				FQDN: fmt.Sprintf("nm-%05d.%s.example.com", i, ns)},
		}
		if err := c.Create(ctx, sip); err != nil {
			return err
		}
		sip.Status.Phase = v1alpha1.StaticIPAvailable
		return c.Status().Update(ctx, sip)
	}); err != nil {
		return err
	}
	enm := &v1alpha1.ElasticNodeManager{
		ObjectMeta: metav1.ObjectMeta{Name: "pool", Namespace: ns},
		Spec: v1alpha1.ElasticNodeManagerSpec{
			YARN: v1alpha1.YARNSpec{ClusterName: "bench", ResourceManagers: []string{"http://rm.example.com:8088"},
				NodeLabel: &v1alpha1.NodeLabelSpec{Name: "elastic"}},
			Template: v1alpha1.NodeManagerTemplate{Image: "hadoop:3.3.6"},
			// The apiserver taints new nodes not-ready; no node lifecycle controller lifts it here.
			Placement: v1alpha1.PlacementSpec{NodeSelector: map[string]string{"pool-test": ns},
				Tolerations: []corev1.Toleration{{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists}}},
			StaticIPs: v1alpha1.StaticIPPoolSpec{Selector: metav1.LabelSelector{MatchLabels: map[string]string{"pool": "p"}}},
			Mode:      v1alpha1.ModeResident,
			Capacity:  v1alpha1.CapacitySpec{Static: &v1alpha1.Resources{VCores: 4, MemoryMB: 8192}},
		},
	}
	if err := c.Create(ctx, enm); err != nil {
		return err
	}

	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		Logger: klog.Background(), Controller: config.Controller{SkipNameValidation: ptr.To(true)},
	})
	if err != nil {
		return err
	}
	go func() { _ = mgr.Start(context.Background()) }() // lives as long as the test binary
	if !mgr.GetCache().WaitForCacheSync(ctx) {
		return fmt.Errorf("cache did not sync")
	}
	rm := &staticRM{labels: []yarnclient.NodeLabel{{Name: "elastic"}}}
	p.r = &Reconciler{
		Client: mgr.GetClient(), RM: rm, Binder: &staticip.Binder{Client: env.Client},
		PodOptions: podspec.Options{DefaultGuarderImage: "guarder:test"},
	}
	p.req = ctrl.Request{NamespacedName: client.ObjectKeyFromObject(enm)}

	// Cold start: reconcile until every node has its pod (the cache catches up between).
	listPods := func() ([]corev1.Pod, error) {
		var pods corev1.PodList
		err := env.Client.List(ctx, &pods, client.InNamespace(ns))
		return pods.Items, err
	}
	var pods []corev1.Pod
	for deadline := time.Now().Add(10 * time.Minute); ; {
		if _, err := p.r.Reconcile(ctx, p.req); err != nil {
			return fmt.Errorf("cold start: %w", err)
		}
		if pods, err = listPods(); err != nil {
			return err
		}
		if len(pods) == n {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cold start: %d of %d pods", len(pods), n)
		}
		time.Sleep(time.Second)
	}
	// The kubelet: every pod Running and Ready; the RM: every NodeManager registered.
	if err := parallel(n, func(i int) error {
		pod := &pods[i]
		pod.Status.Phase = corev1.PodRunning
		pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
		return c.Status().Update(ctx, pod)
	}); err != nil {
		return err
	}
	for i := range pods {
		rm.nodes = append(rm.nodes, yarnclient.Node{
			ID: pods[i].Annotations[v1alpha1.AnnotationYARNNodeID], State: yarnclient.NodeRunning,
			TotalResource: &yarnclient.Resource{VCores: 4, MemoryMB: 8192}, NodeLabels: []string{"elastic"},
		})
	}
	// Wait for the cache to show every pod Running, then settle the status.
	for deadline := time.Now().Add(2 * time.Minute); ; {
		var cached corev1.PodList
		if err := mgr.GetClient().List(ctx, &cached, client.InNamespace(ns)); err != nil {
			return err
		}
		running := 0
		for i := range cached.Items {
			if cached.Items[i].Status.Phase == corev1.PodRunning {
				running++
			}
		}
		if running == n {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cache shows %d of %d pods running", running, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for range 3 {
		if _, err := p.r.Reconcile(ctx, p.req); err != nil {
			return err
		}
		time.Sleep(500 * time.Millisecond)
	}
	return nil
}

// parallel runs f(0..n-1) on 16 goroutines and returns the first error.
func parallel(n int, f func(i int) error) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan int)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return firstErr
}
