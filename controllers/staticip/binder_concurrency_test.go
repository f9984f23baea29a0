package staticip_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	sipctrl "github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
)

// watchedClient passes StaticIP status writes to the API server and records how many were in
// flight at once and how many the API server refused with 409. With waitFor > 0 every write
// first waits (up to a deadline) until waitFor writes are in flight together: binds written
// one after another never get there. before, if set, runs ahead of each write.
type watchedClient struct {
	client.Client
	waitFor int
	before  func(ctx context.Context, sip *v1alpha1.StaticIP)

	mu        sync.Mutex
	cond      *sync.Cond
	inFlight  int
	peak      int
	writes    int
	conflicts int
	timedOut  bool
}

func newWatched(c client.Client, waitFor int) *watchedClient {
	w := &watchedClient{Client: c, waitFor: waitFor}
	w.cond = sync.NewCond(&w.mu)
	return w
}

func (w *watchedClient) Status() client.SubResourceWriter {
	return watchedStatus{SubResourceWriter: w.Client.Status(), w: w}
}

type watchedStatus struct {
	client.SubResourceWriter
	w *watchedClient
}

func (s watchedStatus) Patch(ctx context.Context, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
	w := s.w
	w.mu.Lock()
	w.inFlight++
	w.writes++
	w.peak = max(w.peak, w.inFlight)
	w.cond.Broadcast()
	deadline := time.Now().Add(5 * time.Second)
	for w.waitFor > 0 && w.peak < w.waitFor && time.Now().Before(deadline) {
		t := time.AfterFunc(time.Until(deadline), func() { w.mu.Lock(); w.cond.Broadcast(); w.mu.Unlock() })
		w.cond.Wait()
		t.Stop()
	}
	if w.waitFor > 0 && w.peak < w.waitFor {
		w.timedOut = true
	}
	w.mu.Unlock()
	if sip, ok := obj.(*v1alpha1.StaticIP); ok && w.before != nil {
		w.before(ctx, sip)
	}
	err := s.SubResourceWriter.Patch(ctx, obj, patch, opts...)
	w.mu.Lock()
	w.inFlight--
	if apierrors.IsConflict(err) {
		w.conflicts++
	}
	w.mu.Unlock()
	return err
}

type bindResult struct {
	pod string
	sip *v1alpha1.StaticIP
	err error
}

// bindAll binds n pods at once through b and returns what each got.
func bindAll(b *sipctrl.Binder, enm *v1alpha1.ElasticNodeManager, n int) []bindResult {
	results := make([]bindResult, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			pod := fmt.Sprintf("nm-%02d", i)
			start.Wait()
			sip, err := b.Bind(context.Background(), enm, fmt.Sprintf("node-%02d", i), pod)
			results[i] = bindResult{pod, sip, err}
		}()
	}
	start.Done()
	done.Wait()
	return results
}

// checkStored fails unless every successful bind is the API server's binding of its
// address, each address held by one pod only. It returns address -> pod.
func checkStored(t *testing.T, ns string, results []bindResult) map[string]string {
	t.Helper()
	holder := map[string]string{}
	for _, r := range results {
		if r.err != nil {
			t.Errorf("pod %s: %v", r.pod, r.err)
			continue
		}
		if other, taken := holder[r.sip.Name]; taken {
			t.Fatalf("%s bound twice: to %s and %s", r.sip.Name, other, r.pod)
		}
		holder[r.sip.Name] = r.pod
	}
	var list v1alpha1.StaticIPList
	if err := env.Client.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	for _, sip := range list.Items {
		pod, bound := holder[sip.Name]
		if !bound {
			continue
		}
		if b := sip.Status.Binding; b == nil || b.PodName != pod || sip.Status.Phase != v1alpha1.StaticIPBound {
			t.Errorf("%s: stored binding %+v phase %s, Bind returned it to %q", sip.Name, b, sip.Status.Phase, pod)
		}
	}
	return holder
}

// TestBindsOfOnePoolOverlap: binds of distinct addresses of one pool are written together, up
// to the bound, and the in-process marks keep them from racing each other for one address.
func TestBindsOfOnePoolOverlap(t *testing.T) {
	ns := newNamespace(t)
	createPool(t, env.Client, ns, "overlap", 40)
	enm := poolObject(ns, "overlap")
	const bound = 8 // the Binder's per-pool bound, as the NodeManager controller's workers
	w := newWatched(newClient(t), bound)
	b := &sipctrl.Binder{Client: w}

	holder := checkStored(t, ns, bindAll(b, enm, 2*bound))
	if len(holder) != 2*bound {
		t.Fatalf("%d binds succeeded, want %d", len(holder), 2*bound)
	}
	if w.timedOut || w.peak != bound {
		t.Errorf("peak %d binding writes in flight (timed out waiting: %v), want exactly %d", w.peak, w.timedOut, bound)
	}
	if w.conflicts != 0 || w.writes != 2*bound {
		t.Errorf("%d writes, %d conflicts: binds of one process chose the same address", w.writes, w.conflicts)
	}
}

// TestConcurrentBindsRetryOnConflicts: another writer takes addresses between a Bind's choice
// and its write. The API server refuses those writes (409); the Binds choose again and no
// address ends up with two holders.
func TestConcurrentBindsRetryOnConflicts(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	createPool(t, env.Client, ns, "conflict", 20)
	enm := poolObject(ns, "conflict")
	foreign := newClient(t)
	w := newWatched(newClient(t), 0)
	var mu sync.Mutex
	stolen := map[string]bool{}
	w.before = func(ctx context.Context, sip *v1alpha1.StaticIP) {
		mu.Lock()
		defer mu.Unlock()
		if len(stolen) >= 5 || stolen[sip.Name] {
			return
		}
		// Another replica binds this very address first.
		var cur v1alpha1.StaticIP
		if err := foreign.Get(ctx, client.ObjectKeyFromObject(sip), &cur); err != nil {
			t.Error(err)
			return
		}
		if cur.Status.Binding != nil {
			return
		}
		patch := client.MergeFromWithOptions(cur.DeepCopy(), client.MergeFromWithOptimisticLock{})
		cur.Status.Binding = &v1alpha1.StaticIPBinding{Pool: "conflict", PodName: "other-replica-" + sip.Name, NodeName: "elsewhere", Since: metav1.Now()}
		cur.Status.Phase = v1alpha1.StaticIPBound
		if err := foreign.Status().Patch(ctx, &cur, patch); err != nil {
			t.Error(err)
			return
		}
		stolen[sip.Name] = true
	}
	b := &sipctrl.Binder{Client: w}

	holder := checkStored(t, ns, bindAll(b, enm, 12))
	if len(holder) != 12 {
		t.Fatalf("%d binds succeeded, want 12 (15 addresses were left)", len(holder))
	}
	for name := range stolen {
		if pod, ok := holder[name]; ok {
			t.Errorf("%s was taken by the other writer but also handed to %s", name, pod)
		}
	}
	if len(stolen) != 5 || w.conflicts < 5 {
		t.Errorf("%d addresses taken by the other writer, %d conflicts: the test did not force the races it is about", len(stolen), w.conflicts)
	}
	var list v1alpha1.StaticIPList
	if err := env.Client.List(ctx, &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	for _, sip := range list.Items {
		if stolen[sip.Name] && (sip.Status.Binding == nil || sip.Status.Binding.PodName != "other-replica-"+sip.Name) {
			t.Errorf("%s: the other writer's binding was overwritten: %+v", sip.Name, sip.Status.Binding)
		}
	}
}
