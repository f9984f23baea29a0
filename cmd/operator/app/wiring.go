package app

import (
	"context"
	"sync"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guardercontract"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guardertoken"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmconnect"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmwrites"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// This file is the operator's one place of wiring. Each controller declares the narrow
// interfaces it needs; the shared dependencies that satisfy them are built here once:
//   - pools, the per-pool memory (poolstate): every cache kept per pool lives in it, and the
//     NodeManager controller, which holds the pool finalizer, drops a pool's memory when the
//     pool is gone (the other controllers drop it too when they read NotFound);
//   - one RM client per pool (rmconnect, kept in the pool's memory);
//   - the guarder client (its token cache is kept in the pool's memory);
//   - the StaticIP binder and the RM write order (rmwrites), shared by two controllers.
// No controller imports another.

// wiring is the operator's shared dependencies.
type wiring struct {
	pools    *poolstate.Pools
	rms      *rmconnect.Factory
	guarders *guarderclient.Client
	binder   *staticip.Binder
	rmWrites *rmwrites.Serializer
}

func newWiring(mgr ctrl.Manager) *wiring {
	pools := &poolstate.Pools{}
	return &wiring{
		pools: pools,
		rms: &rmconnect.Factory{
			Pools:      pools,
			Reader:     mgr.GetAPIReader(),
			Registerer: metrics.Registry,
			Logger:     ctrl.Log.WithName("rmclient"),
		},
		guarders: &guarderclient.Client{Secrets: mgr.GetAPIReader(), Pools: pools},
		binder:   &staticip.Binder{Client: mgr.GetClient(), Reader: mgr.GetAPIReader(), Pools: pools},
		// One order for every write of a YARN node's size: a drain's zero is never re-grown.
		rmWrites: &rmwrites.Serializer{Pools: pools},
	}
}

// setupControllers registers every reconciler with the manager. Each controller owns one
// concern (docs/development.md).
func setupControllers(mgr ctrl.Manager, o Options) (*wiring, error) {
	w := newWiring(mgr)
	if err := (&guardertoken.Reconciler{}).SetupWithManager(mgr); err != nil {
		return nil, err
	}
	if err := (&guardercontract.Reconciler{
		Guarders: w.guarders,
		Recorder: mgr.GetEventRecorder("guardercontract-controller"),
		Pools:    w.pools,
	}).SetupWithManager(mgr); err != nil {
		return nil, err
	}
	if err := (&staticip.Reconciler{
		APIReader:               mgr.GetAPIReader(),
		RM:                      activeNodes{rms: w.rms, pools: w.pools, ttl: activeNodesTTL, now: time.Now},
		MaxConcurrentReconciles: o.MaxConcurrentReconciles,
	}).SetupWithManager(mgr); err != nil {
		return nil, err
	}
	if err := (&nodemanager.Reconciler{
		RM:                      nodeManagerRMs{w.rms},
		Pools:                   w.pools,
		Shedder:                 w.guarders,
		Binder:                  w.binder,
		PodOptions:              podspec.Options{DefaultGuarderImage: o.GuarderImage},
		MaxConcurrentReconciles: o.MaxConcurrentReconciles,
		RMWrites:                w.rmWrites,
		DrainPollInterval:       o.DrainPollInterval,
	}).SetupWithManager(mgr); err != nil {
		return nil, err
	}
	if err := (&capacity.Reconciler{
		RMs:        capacityRMs{w.rms},
		Shedder:    w.guarders,
		Recorder:   mgr.GetEventRecorder("capacity-controller"),
		MetricsFor: newPrometheusSource,
		RMWrites:   w.rmWrites,
		Pools:      w.pools,
	}).SetupWithManager(mgr); err != nil {
		return nil, err
	}
	return w, nil
}

// nodeManagerRMs hands the NodeManager controller its pool's RM client.
type nodeManagerRMs struct{ f *rmconnect.Factory }

func (a nodeManagerRMs) RMFor(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (nodemanager.RM, error) {
	return a.f.For(ctx, enm)
}

// capacityRMs hands the capacity controller its pool's RM client.
type capacityRMs struct{ f *rmconnect.Factory }

func (a capacityRMs) RMFor(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (capacity.RM, error) {
	return a.f.For(ctx, enm)
}

// activeNodesTTL is how long a pool's active-node answer is reused (see activeNodes).
const activeNodesTTL = 5 * time.Second

// activeNodes answers which NodeManager hosts the pool's RM lists in an active state. The
// StaticIP controller may ask for many addresses of one pool in a row, so a pool's answer is
// kept for a few seconds in the pool's memory: one RM listing per pool, not one per address.
type activeNodes struct {
	rms   *rmconnect.Factory
	pools *poolstate.Pools
	ttl   time.Duration
	now   func() time.Time
}

type activeAnswer struct {
	mu     sync.Mutex
	at     time.Time
	active map[string]bool
}

var activeAnswers = poolstate.NewSlot("active nodes", func(*poolstate.Pool) *activeAnswer { return &activeAnswer{} }, nil)

func (a activeNodes) ActiveNodes(ctx context.Context, pool *v1alpha1.ElasticNodeManager) (map[string]bool, error) {
	answer := activeAnswers.Get(a.pools.Of(pool))
	answer.mu.Lock()
	if answer.active != nil && a.now().Sub(answer.at) < a.ttl {
		defer answer.mu.Unlock()
		return answer.active, nil
	}
	answer.mu.Unlock()
	active, err := a.list(ctx, pool)
	if err != nil {
		return nil, err
	}
	answer.mu.Lock()
	answer.at, answer.active = a.now(), active
	answer.mu.Unlock()
	return active, nil
}

func (a activeNodes) list(ctx context.Context, pool *v1alpha1.ElasticNodeManager) (map[string]bool, error) {
	rm, err := a.rms.For(ctx, pool)
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

// newPrometheusSource builds a Prometheus source; the capacity controller keeps one per pool
// in the pool's memory.
func newPrometheusSource(url string) (capacity.MetricsSource, error) { return promquery.New(url, nil) }

// The real clients satisfy the controllers' narrow interfaces.
var (
	_ nodemanager.RM                = (*yarnclient.Client)(nil)
	_ nodemanager.RMFactory         = nodeManagerRMs{}
	_ nodemanager.Shedder           = (*guarderclient.Client)(nil)
	_ nodemanager.IdentityBinder    = (*staticip.Binder)(nil)
	_ capacity.RM                   = (*yarnclient.Client)(nil)
	_ capacity.RMProvider           = capacityRMs{}
	_ capacity.Shedder              = (*guarderclient.Client)(nil)
	_ capacity.MetricsSource        = (*promquery.Source)(nil)
	_ guardercontract.VersionReader = (*guarderclient.Client)(nil)
	_ staticip.ActiveNodes          = activeNodes{}
)
