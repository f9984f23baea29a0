package nodemanager

import (
	"context"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// concurrentCreates counts the pod creations in flight at once. Each create is held a
// moment so that workers overlap whenever the reconciler lets them.
type concurrentCreates struct {
	mu             sync.Mutex
	inFlight, peak int
	total          int
}

func (c *concurrentCreates) funcs() interceptor.Funcs {
	return interceptor.Funcs{Create: func(ctx context.Context, cl client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
		if _, ok := obj.(*corev1.Pod); !ok {
			return cl.Create(ctx, obj, opts...)
		}
		c.mu.Lock()
		c.inFlight++
		c.total++
		c.peak = max(c.peak, c.inFlight)
		c.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
		err := cl.Create(ctx, obj, opts...)
		c.mu.Lock()
		c.inFlight--
		c.mu.Unlock()
		return err
	}}
}

// TestPodsCreatedInParallelWithinTheBound: a cold pool of 12 nodes gets all its pods in one
// reconcile, created by several workers at once but never more than CreateWorkers, each
// with its own StaticIP.
func TestPodsCreatedInParallelWithinTheBound(t *testing.T) {
	f := newFixture(t, day)
	const nodes, workers = 12, 3
	for i := range nodes {
		f.node(string(rune('a' + i)))
	}
	f.staticIPs(nodes)
	counter := &concurrentCreates{}
	direct, err := client.NewWithWatch(env.Config, client.Options{Scheme: env.Client.Scheme()})
	must(t, err)
	f.r.Client = interceptor.NewClient(direct, counter.funcs())
	f.r.CreateWorkers = workers
	f.pool(nil)
	f.reconcile()

	if counter.total != nodes {
		t.Fatalf("%d pod creations in one reconcile, want %d", counter.total, nodes)
	}
	if counter.peak < 2 || counter.peak > workers {
		t.Errorf("at most %d pod creations in flight at once, want between 2 and the bound %d", counter.peak, workers)
	}
	ips := map[string]bool{}
	for _, p := range f.livePods() {
		ips[p.Labels[v1alpha1.LabelStaticIP]] = true
	}
	if len(ips) != nodes {
		t.Errorf("%d distinct StaticIPs over %d pods", len(ips), nodes)
	}
}
