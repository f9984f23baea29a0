package app

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// Tolerances of TestPoolChurnReturnsMemoryAndGoroutines. Goroutines: client-go and
// controller-runtime start a few on demand (an Event broadcaster's, a watch's), which come
// and go independently of the pools: churnGoroutineSlack against the baseline taken after the
// warm-up round, churnLazyGoroutines against the count before any pool existed. Heap: 100
// pools hold about 5 MiB at their peak (logged); what stays within churnHeapSlackBytes is the
// apiserver clients' and Event broadcaster's own buffers. Measured with the drop skipped
// (poolstate.Pools.Drop a no-op): 200 pools tracked, 460 goroutines against 143 before the
// first pool, +4.1 MiB heap against the baseline; with it: 0, 155 against 143, +0.6 to +1.2 MiB.
const (
	churnPools             = 100
	churnGoroutineSlack    = 10
	churnLazyGoroutines    = 30
	churnHeapSlackBytes    = 3 << 20
	churnSettleTimeout     = 2 * time.Minute
	churnGoroutineDeadline = 60 * time.Second
	churnDropDeadline      = 30 * time.Second
)

// TestPoolChurnReturnsMemoryAndGoroutines runs the real manager and every controller, wired
// as the operator wires them, against a real apiserver and an RM emulator: 100 Resident
// Koordinator pools (RM client, guarder checks, capacity cycle) are created, reconciled and
// deleted. Afterwards no pool may be tracked, and the goroutines and the heap must be back
// at their baseline within the stated tolerances.
func TestPoolChurnReturnsMemoryAndGoroutines(t *testing.T) {
	ctx := context.Background()
	// As the operator's main does: until a logger is set, controller-runtime's delegating
	// logger keeps every logger derived from it (one per reconcile), which is not the pools'.
	ctrl.SetLogger(logr.Discard())
	emu := rmemulator.New(rmemulator.Config{})
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	const ns = "pool-churn"
	mustCreate(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})

	o := DefaultOptions()
	o.MetricsAddr, o.ProbeAddr = "0", "0"
	o.MaxConcurrentReconciles = 4
	mgr, w, err := newManager(env.Config, o, config.Controller{SkipNameValidation: ptr.To(true)})
	if err != nil {
		t.Fatal(err)
	}
	runManager(t, ctx, mgr)

	churn := func(prefix string, n int) (peakPools int, peakHeap uint64, peakGoroutines int) {
		t.Helper()
		for i := 0; i < n; i++ {
			if err := env.Client.Create(ctx, churnPool(ns, fmt.Sprintf("%s-%03d", prefix, i), emu.URLs())); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, churnSettleTimeout, fmt.Sprintf("%d %s pools reconciled and tracked", n, prefix), func() error {
			for i := 0; i < n; i++ {
				var p v1alpha1.ElasticNodeManager
				if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: fmt.Sprintf("%s-%03d", prefix, i)}, &p); err != nil {
					return err
				}
				if !controllerutil.ContainsFinalizer(&p, v1alpha1.FinalizerPool) || len(p.Status.Conditions) == 0 {
					return fmt.Errorf("pool %s not reconciled yet", p.Name)
				}
			}
			if got := w.pools.Len(); got < n {
				return fmt.Errorf("%d pools tracked", got)
			}
			return nil
		})
		peakPools = w.pools.Len()
		peakHeap, peakGoroutines = heapInuse(), runtime.NumGoroutine()
		for i := 0; i < n; i++ {
			p := &v1alpha1.ElasticNodeManager{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: fmt.Sprintf("%s-%03d", prefix, i)}}
			if err := env.Client.Delete(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, churnSettleTimeout, fmt.Sprintf("the %s pools deleted", prefix), func() error {
			for i := 0; i < n; i++ {
				err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: fmt.Sprintf("%s-%03d", prefix, i)}, &v1alpha1.ElasticNodeManager{})
				if !apierrors.IsNotFound(err) {
					return fmt.Errorf("pool %s-%03d still there (%v)", prefix, i, err)
				}
			}
			return nil
		})
		// The last reconciles of the deleted pools drop them; the assertions below say
		// whether they did.
		for end := time.Now().Add(churnDropDeadline); w.pools.Len() != 0 && time.Now().Before(end); {
			time.Sleep(200 * time.Millisecond)
		}
		return peakPools, peakHeap, peakGoroutines
	}

	// One round first, so what the manager builds once on demand (clients, informers, Event
	// broadcasters, metric families) and the maps that grew to hold 100 pools (Go maps do
	// not shrink: informer indexes, work queues) are there before the baseline. A leak of the
	// warm-up round shows too: its pools stay tracked.
	waitFor(t, 60*time.Second, "the manager's caches synced", func() error {
		if !mgr.GetCache().WaitForCacheSync(ctx) {
			return fmt.Errorf("not synced")
		}
		return nil
	})
	time.Sleep(2 * time.Second)
	startGoroutines := runtime.NumGoroutine()
	churn("warmup", churnPools)
	time.Sleep(2 * time.Second)
	baseHeap, baseGoroutines := heapInuse(), runtime.NumGoroutine()

	peakPools, peakHeap, peakGoroutines := churn("churn", churnPools)

	var afterGoroutines int
	deadline := time.Now().Add(churnGoroutineDeadline)
	for {
		afterGoroutines = runtime.NumGoroutine()
		if afterGoroutines <= baseGoroutines+churnGoroutineSlack || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	afterHeap := heapInuse()
	t.Logf("pools tracked: %d at peak, %d after deleting all %d", peakPools, w.pools.Len(), churnPools)
	t.Logf("goroutines: before any pool %d, baseline after the warm-up round %d, peak %d, after %d (tolerance +%d, +%d before any pool)",
		startGoroutines, baseGoroutines, peakGoroutines, afterGoroutines, churnGoroutineSlack, churnLazyGoroutines)
	t.Logf("heap in use: baseline %.1f MiB, peak %.1f MiB, after %.1f MiB (tolerance +%.1f MiB)",
		mib(baseHeap), mib(peakHeap), mib(afterHeap), mib(churnHeapSlackBytes))

	if n := w.pools.Len(); n != 0 {
		t.Errorf("%d pools still tracked after every pool was deleted", n)
	}
	if afterGoroutines > baseGoroutines+churnGoroutineSlack {
		t.Errorf("goroutines did not return to baseline: %d after, baseline %d (+%d allowed)", afterGoroutines, baseGoroutines, churnGoroutineSlack)
	}
	if afterGoroutines > startGoroutines+churnLazyGoroutines {
		t.Errorf("goroutines grew with the pools: %d after two rounds, %d before any pool (+%d allowed)", afterGoroutines, startGoroutines, churnLazyGoroutines)
	}
	if afterHeap > baseHeap+churnHeapSlackBytes {
		t.Errorf("heap in use did not return to baseline: %.1f MiB after, baseline %.1f MiB (+%.1f MiB allowed)",
			mib(afterHeap), mib(baseHeap), mib(churnHeapSlackBytes))
	}
}

// churnPool is a Resident Koordinator pool whose placement selects no node: every controller
// reconciles it (finalizer, RM listing, guarder check, capacity cycle) and nothing is started.
func churnPool(ns, name string, rms []string) *v1alpha1.ElasticNodeManager {
	window := metav1.Duration{Duration: time.Minute}
	return &v1alpha1.ElasticNodeManager{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: v1alpha1.ElasticNodeManagerSpec{
			YARN:      v1alpha1.YARNSpec{ClusterName: "churn", ResourceManagers: rms},
			Template:  v1alpha1.NodeManagerTemplate{Image: "hadoop:3.3.6"},
			Placement: v1alpha1.PlacementSpec{NodeSelector: map[string]string{"pool-churn": "no-such-node"}},
			StaticIPs: v1alpha1.StaticIPPoolSpec{Selector: metav1.LabelSelector{MatchLabels: map[string]string{"pool": name}}},
			Mode:      v1alpha1.ModeResident,
			Capacity: v1alpha1.CapacitySpec{Source: v1alpha1.CapacityKoordinator,
				Dynamic: &v1alpha1.DynamicCapacity{PrometheusURL: "http://127.0.0.1:1", Window: &window}},
		},
	}
}

// heapInuse is the heap in use after two garbage collections.
func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
