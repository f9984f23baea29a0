package app

import (
	"context"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmconnect"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

// The controllers each declare the narrow interfaces they need; these adapters satisfy them
// with the shared RM client factory and guarder client, so no controller depends on another.
// (The capacity controller ships its own adapters: capacity.RMFactory, capacity.GuarderShedder.)

// nodeManagerRMs also forgets: the nodemanager controller holds the pool finalizer, so it is
// the one that sees a pool go for good, and drops the pool's client for every controller.
type nodeManagerRMs struct{ f *rmconnect.Factory }

func (a nodeManagerRMs) RMFor(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (nodemanager.RM, error) {
	return a.f.For(ctx, enm)
}

func (a nodeManagerRMs) Forget(pool types.NamespacedName) { a.f.Forget(pool) }

// activeNodes answers which NodeManager hosts the pool's RM lists in an active state. The
// StaticIP controller may ask for many addresses of one pool in a row, so a pool's answer is
// kept for a few seconds: one RM listing per pool, not one per address.
type activeNodes struct {
	f   *rmconnect.Factory
	ttl time.Duration
	now func() time.Time

	mu     sync.Mutex
	cached map[types.UID]activeAnswer
}

type activeAnswer struct {
	at     time.Time
	active map[string]bool
}

func newActiveNodes(f *rmconnect.Factory) *activeNodes {
	return &activeNodes{f: f, ttl: 5 * time.Second, now: time.Now, cached: map[types.UID]activeAnswer{}}
}

func (a *activeNodes) ActiveNodes(ctx context.Context, pool *v1alpha1.ElasticNodeManager) (map[string]bool, error) {
	a.mu.Lock()
	hit, ok := a.cached[pool.UID]
	a.mu.Unlock()
	if ok && a.now().Sub(hit.at) < a.ttl {
		return hit.active, nil
	}
	active, err := a.list(ctx, pool)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.cached[pool.UID] = activeAnswer{at: a.now(), active: active}
	a.mu.Unlock()
	return active, nil
}

func (a *activeNodes) list(ctx context.Context, pool *v1alpha1.ElasticNodeManager) (map[string]bool, error) {
	rm, err := a.f.For(ctx, pool)
	if err != nil {
		return nil, err
	}
	nodes, err := rm.ListNodes(ctx)
	if err != nil {
		return nil, err
	}
	active := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		if staticippolicy.IsActiveNodeState(string(n.State)) {
			active[n.NodeHostName] = true
		}
	}
	return active, nil
}

// shedder sends the drain's guarder targets.
type shedder struct{ c *guarderclient.Client }

func (s shedder) Shed(ctx context.Context, pod *corev1.Pod, target v1alpha1.Resources, deadline time.Time, reason string) error {
	return s.c.SetTarget(ctx, pod, guarderclient.Target{VCores: int64(target.VCores), MemoryMB: target.MemoryMB, Deadline: deadline, Reason: reason})
}
