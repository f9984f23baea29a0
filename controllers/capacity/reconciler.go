package capacity

import (
	"context"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmwrites"
)

// Reconciler resizes the NodeManagers of Resident pools whose capacity source is Koordinator.
type Reconciler struct {
	// Client is the manager's client (cached reads of ENMs, pods and Nodes).
	Client client.Client
	// RMs gives each pool its ResourceManager client (RMFactory{rmconnect.Factory}).
	RMs RMProvider
	// Shedder reaches the guarder sidecars (GuarderShedder{guarderclient.Client}); nil skips
	// guarder targets (shrinks then only stop new containers).
	Shedder Shedder
	// Recorder emits one aggregated Event per pool and cycle; nil disables Events.
	Recorder events.EventRecorder
	// MetricsFor returns the Prometheus source of a URL; nil uses NewMetricsSources().
	MetricsFor MetricsSourceFor
	// Clock is injectable for tests; nil is the real clock.
	Clock clock.PassiveClock
	// MemoryIncrementMB is YARN's memory unit (yarn.scheduler.minimum-allocation-mb); 0 = 1024.
	MemoryIncrementMB int64
	// AllocatableFallback uses the Node's batch allocatable when Prometheus has no data for
	// a node (hold or shrink only, never grow).
	AllocatableFallback bool
	// MaxConcurrentCalls bounds parallel RM, guarder and Node calls within one cycle; 0 = 16.
	MaxConcurrentCalls int
	// RMWrites orders this controller's RM writes with the drains' (shared with the
	// NodeManager controller; see rmwrites). Nil gives this controller its own, which only
	// orders its own writes.
	RMWrites *rmwrites.Serializer
	// APIReader reads a pod from the API server, not the cache, right before its node is
	// resized: a drain that started since the cycle's listing must win. Nil uses Client.
	APIReader client.Reader

	states       states
	rmWritesOnce sync.Once
}

// +kubebuilder:rbac:groups=elasticyarn.io,resources=elasticnodemanagers,verbs=get;list;watch
// +kubebuilder:rbac:groups=elasticyarn.io,resources=elasticnodemanagers/status,verbs=get;patch
// +kubebuilder:rbac:groups="",resources=pods,verbs=list;watch
// +kubebuilder:rbac:groups="",resources=nodes,verbs=get;list;watch;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// SetupWithManager registers the controller. Only spec changes trigger a reconcile; the
// cycle itself runs on RequeueAfter = the pool's interval.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	if r.Client == nil {
		r.Client = mgr.GetClient()
	}
	if r.MetricsFor == nil {
		r.MetricsFor = NewMetricsSources()
	}
	if r.APIReader == nil {
		r.APIReader = mgr.GetAPIReader()
	}
	return ctrl.NewControllerManagedBy(mgr).
		Named("capacity").
		For(&v1alpha1.ElasticNodeManager{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Complete(r)
}

// Reconcile runs one resize cycle for one pool.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	logger := log.FromContext(ctx)
	var enm v1alpha1.ElasticNodeManager
	if err := r.Client.Get(ctx, req.NamespacedName, &enm); err != nil {
		if apierrors.IsNotFound(err) {
			r.forget(req.NamespacedName)
			return ctrl.Result{}, nil
		}
		return ctrl.Result{}, err
	}
	if !isResidentKoordinator(&enm) || enm.DeletionTimestamp != nil {
		r.forget(req.NamespacedName)
		return ctrl.Result{}, nil
	}
	settings, err := cycle.SettingsFromSpec(&enm.Spec, r.MemoryIncrementMB)
	if err != nil {
		// An invalid spec waits for the next spec change (which triggers a reconcile).
		logger.Error(err, "resident capacity settings are invalid")
		return ctrl.Result{}, nil
	}
	state := r.states.get(req.NamespacedName)

	c, err := r.gather(ctx, &enm, settings, state)
	if err != nil {
		return ctrl.Result{}, err
	}
	if c.rmErr != nil {
		logger.Info("ResourceManager unreachable; only node-safety sheds act this cycle", "error", c.rmErr.Error())
	}
	// Decide (pure), act, then remember what the actions achieved.
	plan := cycle.Step(settings, observations(c, state), state.cycle, c.now)
	out := r.apply(ctx, &enm, c, plan)
	if state.cycle, err = plan.Commit(out.results); err != nil {
		return ctrl.Result{}, err
	}
	r.writeAllocations(ctx, c, plan)
	cond := metricsFreshCondition(enm.Generation, c, plan)
	stale := wentStale(enm.Status.Conditions, cond)
	if err := r.patchStatus(ctx, &enm, cond, out.offered); err != nil {
		return ctrl.Result{}, err
	}
	r.record(&enm, settings, plan, out, stale)
	return ctrl.Result{RequeueAfter: settings.Interval}, nil
}

func (r *Reconciler) forget(key client.ObjectKey) {
	r.states.forget(key)
	forgetPoolMetrics(key.String())
}

func (r *Reconciler) now() time.Time {
	if r.Clock == nil {
		return time.Now()
	}
	return r.Clock.Now()
}

func isResidentKoordinator(enm *v1alpha1.ElasticNodeManager) bool {
	return enm.Spec.Mode == v1alpha1.ModeResident && enm.Spec.Capacity.Source == v1alpha1.CapacityKoordinator &&
		enm.Spec.Capacity.Dynamic != nil
}
