package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr/funcr"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// TestWatchNamespacesUnderChartRBAC installs the chart's RBAC for watchNamespaces (one
// namespace) and runs the real manager, with --watch-namespaces and leader election, as the
// chart's ServiceAccount. The pool in the watched namespace must be reconciled and the one
// next door must be neither cached nor touched; Nodes, cluster-scoped, must still be cached;
// and nothing the operator does (lists, watches, the Lease, Events) may be forbidden.
func TestWatchNamespacesUnderChartRBAC(t *testing.T) {
	const release, system, watched, other = "wns", "wns-system", "wns-watched", "wns-other"
	ctx := context.Background()
	for _, ns := range []string{system, watched, other} {
		mustCreate(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	}
	sa := applyChartRBAC(t, release, system, []string{watched})
	for _, ns := range []string{watched, other} {
		mustCreate(t, testPool(ns))
		mustCreate(t, &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: "nm", Namespace: ns, Labels: map[string]string{v1alpha1.LabelPool: "pool"}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nm", Image: "hadoop:3.3.6"}}},
		})
	}
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "wns-node"}}
	mustCreate(t, node)
	forbidden := captureForbidden(t)

	cfg := rest.CopyConfig(env.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: serviceAccountUser(sa)}
	o := DefaultOptions()
	o.MetricsAddr = "0"
	o.ProbeAddr = freeAddr(t)
	o.LeaderElect = true
	o.LeaderElectionNamespace = system
	o.LeaderElectionID = "watch-namespaces-test"
	o.WatchNamespaces = []string{watched}
	mgr, _, err := newManager(cfg, o, config.Controller{SkipNameValidation: ptr.To(true)})
	if err != nil {
		t.Fatal(err)
	}
	runManager(t, ctx, mgr)

	waitFor(t, 60*time.Second, "the watched pool reconciled (finalizer and status written)", func() error {
		p := getPool(t, watched)
		if !controllerutil.ContainsFinalizer(p, v1alpha1.FinalizerPool) || len(p.Status.Conditions) == 0 {
			return fmt.Errorf("finalizers %v, %d conditions", p.Finalizers, len(p.Status.Conditions))
		}
		return nil
	})
	// Both pools existed before the manager started, so had the other been listed it would
	// have been reconciled along with the watched one; give its reconcile time to land anyway.
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if p := getPool(t, other); len(p.Finalizers) > 0 || len(p.Status.Conditions) > 0 {
			t.Fatalf("the pool in unwatched namespace %s was reconciled: finalizers %v, status %+v", other, p.Finalizers, p.Status)
		}
	}

	cached := mgr.GetCache()
	var pools v1alpha1.ElasticNodeManagerList
	if err := cached.List(ctx, &pools); err != nil {
		t.Fatal(err)
	}
	if got := namespacesOf(pools.Items); !slices.Equal(got, []string{watched}) {
		t.Errorf("cached pools are in %v, want only %s", got, watched)
	}
	var pods corev1.PodList
	if err := cached.List(ctx, &pods); err != nil {
		t.Fatal(err)
	}
	if got := namespacesOf(pods.Items); !slices.Equal(got, []string{watched}) {
		t.Errorf("cached pods are in %v, want only %s", got, watched)
	}
	if err := cached.Get(ctx, client.ObjectKey{Namespace: other, Name: "pool"}, &v1alpha1.ElasticNodeManager{}); err == nil {
		t.Errorf("the cache serves a pool of unwatched namespace %s", other)
	}
	if err := cached.Get(ctx, client.ObjectKeyFromObject(node), &corev1.Node{}); err != nil {
		t.Errorf("nodes are cluster-scoped and must stay cached with --watch-namespaces: %v", err)
	}
	if lines := forbidden(); len(lines) > 0 {
		t.Errorf("the operator was refused by the chart's RBAC:\n%s", strings.Join(lines, "\n"))
	}
}

// testPool is a valid pool whose placement selects no node and whose RM does not answer:
// reconciling it writes the finalizer, status and an Event, and starts nothing.
func testPool(ns string) *v1alpha1.ElasticNodeManager {
	return &v1alpha1.ElasticNodeManager{
		ObjectMeta: metav1.ObjectMeta{Name: "pool", Namespace: ns},
		Spec: v1alpha1.ElasticNodeManagerSpec{
			YARN:      v1alpha1.YARNSpec{ClusterName: "test", ResourceManagers: []string{"http://127.0.0.1:1"}},
			Template:  v1alpha1.NodeManagerTemplate{Image: "hadoop:3.3.6"},
			Placement: v1alpha1.PlacementSpec{NodeSelector: map[string]string{"wns-test": "no-such-node"}},
			Mode:      v1alpha1.ModeResident,
			Capacity:  v1alpha1.CapacitySpec{Static: &v1alpha1.Resources{VCores: 4, MemoryMB: 8192}},
		},
	}
}

func getPool(t *testing.T, ns string) *v1alpha1.ElasticNodeManager {
	t.Helper()
	var p v1alpha1.ElasticNodeManager
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "pool"}, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

func namespacesOf[T any, PT interface {
	*T
	client.Object
}](items []T) []string {
	var out []string
	for i := range items {
		if ns := PT(&items[i]).GetNamespace(); !slices.Contains(out, ns) {
			out = append(out, ns)
		}
	}
	slices.Sort(out)
	return out
}

func mustCreate(t *testing.T, obj client.Object) {
	t.Helper()
	if err := env.Client.Create(context.Background(), obj); err != nil {
		t.Fatalf("creating %s: %v", obj.GetName(), err)
	}
	t.Cleanup(func() { _ = env.Client.Delete(context.Background(), obj) })
}

// captureForbidden routes klog, where client-go reports refused lists and watches, Lease
// updates and Events, to a recorder of the lines that mention "forbidden".
func captureForbidden(t *testing.T) func() []string {
	var mu sync.Mutex
	var lines []string
	klog.SetLogger(funcr.New(func(prefix, args string) {
		if strings.Contains(strings.ToLower(args), "forbidden") {
			mu.Lock()
			lines = append(lines, prefix+" "+args)
			mu.Unlock()
		}
	}, funcr.Options{Verbosity: 0}))
	t.Cleanup(klog.ClearLogger)
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(lines)
	}
}

// runManager starts mgr until the test ends, then stops it and checks it stopped cleanly.
func runManager(t *testing.T, ctx context.Context, mgr manager.Manager) {
	t.Helper()
	mctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- mgr.Start(mctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("manager: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("manager did not stop within 30s of cancellation")
		}
	})
}
