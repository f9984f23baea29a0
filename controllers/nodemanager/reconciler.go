package nodemanager

import (
	"context"
	"errors"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/tools/events"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmwrites"
)

// Defaults of the Reconciler's tunables.
const (
	DefaultDrainPollInterval = 30 * time.Second
	DefaultResyncInterval    = 5 * time.Minute
	DefaultRMTimeout         = 20 * time.Second
)

// Reconciler runs the NodeManager pods of ElasticNodeManagers. Its RBAC is in rbac.go.
type Reconciler struct {
	// Client reads through the manager's cache and writes to the API server.
	Client client.Client
	// Recorder emits Events (the manager's GetEventRecorder). Nil records nothing.
	Recorder events.EventRecorder
	// Clock drives schedules and drains; tests use a fake one. Nil means the real clock.
	Clock clock.PassiveClock
	// RM gives each pool its ResourceManager client.
	RM RMFactory
	// Pools is the operator's per-pool memory (this controller keeps each pool's pod spec
	// hashes and reported unowned pods in it). This controller holds the pool finalizer, so it
	// is the one that sees a pool go for good and drops the pool's memory for every
	// controller. Nil gives the controller its own.
	Pools *poolstate.Pools
	// Shedder asks guarders to shed; nil skips shedding (the drain then ends at numContainers
	// 0 or the deadline).
	Shedder Shedder
	// Binder hands out StaticIPs.
	Binder IdentityBinder
	// PodOptions are operator-wide pod settings (the default guarder image).
	PodOptions podspec.Options
	// DrainPollInterval is how often draining or starting NodeManagers are re-read from
	// the RM, which sends no watch events. Default 30s.
	DrainPollInterval time.Duration
	// ResyncInterval re-checks a quiet pool (RM capacity drift, labels). Default 5m.
	ResyncInterval time.Duration
	// RMTimeout bounds the RM calls of one reconcile. Default 20s.
	RMTimeout time.Duration
	// MaxConcurrentReconciles of the controller. Default 1.
	MaxConcurrentReconciles int
	// CreateWorkers bounds the pod creations of one reconcile in flight at once. Default
	// DefaultCreateWorkers.
	CreateWorkers int
	// RMWrites orders node resizes with the capacity controller's (shared with it; see
	// rmwrites): a drain records itself on the pod, then writes zero under the node's lock.
	RMWrites *rmwrites.Serializer

	once sync.Once
}

func (r *Reconciler) defaults() {
	r.once.Do(func() {
		if r.Pools == nil {
			r.Pools = &poolstate.Pools{}
		}
		if r.RMWrites == nil {
			r.RMWrites = &rmwrites.Serializer{Pools: r.Pools}
		}
	})
}

func (r *Reconciler) rmWrites() *rmwrites.Serializer {
	r.defaults()
	return r.RMWrites
}

// memory is this pool's memory in the operator's per-pool state.
func (r *Reconciler) memory(enm *v1alpha1.ElasticNodeManager) *poolstate.Pool {
	r.defaults()
	return r.Pools.Of(enm)
}

// Reconcile has a fixed shape: get, handle deletion, gather, decide, apply, patch status,
// requeue at the next transition.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	log := ctrl.LoggerFrom(ctx)
	enm := &v1alpha1.ElasticNodeManager{}
	if err := r.Client.Get(ctx, req.NamespacedName, enm); err != nil {
		if !apierrors.IsNotFound(err) {
			return ctrl.Result{}, err
		}
		// The pool is gone for good (this controller's finalizer let it go, or it never had
		// it): what every controller remembers of it goes with it.
		r.defaults()
		if r.Pools.Drop(req.NamespacedName) {
			log.V(1).Info("Pool is gone; dropped its memory", "pool", req.NamespacedName)
		}
		return ctrl.Result{}, nil
	}
	now := r.now()
	if !enm.DeletionTimestamp.IsZero() {
		return r.reconcileDelete(ctx, enm, now)
	}
	if !controllerutil.ContainsFinalizer(enm, v1alpha1.FinalizerPool) {
		patch := client.MergeFrom(enm.DeepCopy())
		controllerutil.AddFinalizer(enm, v1alpha1.FinalizerPool)
		if err := r.Client.Patch(ctx, enm, patch); err != nil {
			return ctrl.Result{}, err
		}
	}
	before := enm.DeepCopy()

	g, err := r.gather(ctx, enm)
	if err != nil {
		return ctrl.Result{}, err
	}
	demand, specErr := plan.DemandFor(&enm.Spec, now)
	if specErr != nil {
		// Fail safe: an invalid spec changes nothing that runs; the condition says why.
		log.Info("Spec is invalid; leaving the pool as it is", "reason", specErr.Error())
		r.setStatus(enm, g, demand, plan.Result{}, applyReport{}, specErr, false, now)
		return ctrl.Result{}, r.patchStatus(ctx, before, enm)
	}
	res := plan.Decide(r.planInput(enm, g, demand, now))
	rollout := r.decideRollout(enm, g, res, now)

	// The budget first: no pod is created before evictions of the pool's pods are blocked.
	budgetErr := r.ensureDisruptionBudget(ctx, enm)
	report, podsErr := r.apply(ctx, enm, g, res, now)
	applyErr := errors.Join(budgetErr, podsErr, r.requestReplacements(ctx, enm, g, rollout.Replace))

	r.setStatus(enm, g, demand, res, report, nil, false, now)
	r.setRolloutStatus(enm, rollout, now)
	if err := r.patchStatus(ctx, before, enm); err != nil {
		return ctrl.Result{}, err
	}
	if applyErr != nil {
		return ctrl.Result{}, applyErr
	}
	after := r.requeueAfter(demand, res, g, now)
	log.V(1).Info("Reconciled", "pool", klog.KObj(enm), "desired", res.Desired, "phase", demand.Phase, "requeueAfter", after)
	return ctrl.Result{RequeueAfter: after}, nil
}

func (r *Reconciler) now() time.Time {
	if r.Clock == nil {
		return time.Now()
	}
	return r.Clock.Now()
}

func (r *Reconciler) rmTimeout() time.Duration {
	if r.RMTimeout > 0 {
		return r.RMTimeout
	}
	return DefaultRMTimeout
}

func (r *Reconciler) pollInterval() time.Duration {
	if r.DrainPollInterval > 0 {
		return r.DrainPollInterval
	}
	return DefaultDrainPollInterval
}

// requeueAfter is the time to the earliest of: the next window transition, a drain's next
// step, a poll while NodeManagers start or drain, and the quiet resync.
func (r *Reconciler) requeueAfter(d plan.Demand, res plan.Result, g *gathered, now time.Time) time.Duration {
	resync := r.ResyncInterval
	if resync <= 0 {
		resync = DefaultResyncInterval
	}
	var next time.Time
	if len(g.pods) > 0 {
		// RM capacity and labels drift without any event (re-registration, failover).
		next = now.Add(resync)
	}
	earlier := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	earlier(d.Next)
	earlier(res.WakeAt)
	if g.rmErr != nil || busy(res) || g.unregistered() > 0 {
		earlier(now.Add(r.pollInterval()))
	}
	if next.IsZero() {
		return 0 // nothing scheduled: watches bring the next change
	}
	after := next.Sub(now)
	if after < time.Second {
		after = time.Second
	}
	return after
}

// unregistered counts pods the RM does not list as active yet (starting NodeManagers).
func (g *gathered) unregistered() int {
	n := 0
	for i := range g.pods {
		if rm, _, _ := g.rmNodeOf(&g.pods[i]); !rm.Registered {
			n++
		}
	}
	return n
}

// busy: something is starting (not yet registered) or draining, which only the RM shows.
func busy(res plan.Result) bool {
	for _, d := range res.Decisions {
		if d.Action != plan.ActionKeep {
			return true
		}
	}
	return false
}

// SetupWithManager registers the controller: pools, their pods and Jobs, and the nodes and
// StaticIPs that pools select.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	if r.Client == nil {
		r.Client = mgr.GetClient()
	}
	if r.Recorder == nil {
		r.Recorder = mgr.GetEventRecorder("elasticnodemanager-controller")
	}
	workers := r.MaxConcurrentReconciles
	if workers <= 0 {
		workers = 1
	}
	return ctrl.NewControllerManagedBy(mgr).
		// Spec (and annotation) changes only: the pool's status is every controller's output,
		// written each cycle, and this controller reads none of it but its own conditions. A
		// status update queued a reconcile that lists every pod, Node and StaticIP of the pool.
		// An annotation change still reconciles at once (`kubectl annotate` to force a look).
		For(&v1alpha1.ElasticNodeManager{}, builder.WithPredicates(predicate.Or[client.Object](
			predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Owns(&corev1.Pod{}).
		Owns(&batchv1.Job{}).
		Owns(&policyv1.PodDisruptionBudget{}).
		Watches(&corev1.Node{}, nodeHandler(mgr.GetClient()), nodePredicates()).
		Watches(&v1alpha1.StaticIP{}, staticIPHandler(mgr.GetClient())).
		WithOptions(controller.Options{MaxConcurrentReconciles: workers}).
		Named("elasticnodemanager").
		Complete(r)
}
