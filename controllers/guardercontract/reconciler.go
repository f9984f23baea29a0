package guardercontract

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/statusapply"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
)

// +kubebuilder:rbac:groups=elasticyarn.io,resources=elasticnodemanagers,verbs=get;list;watch
// +kubebuilder:rbac:groups=elasticyarn.io,resources=elasticnodemanagers/status,verbs=get;patch
// +kubebuilder:rbac:groups="",resources=pods,verbs=list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// ConditionGuardersReady is the condition this controller owns (its only writer).
const ConditionGuardersReady = v1alpha1.ConditionGuardersReady

// Recheck is how often a pool's guarders are asked again without any change to its pods (an
// image can change under a running pod only by a restart, which the pod watch sees).
const Recheck = 5 * time.Minute

// VersionReader reads a guarder's /version (guarderclient.Client). The pod is the cache's own
// object: Version must not modify it.
type VersionReader interface {
	Version(ctx context.Context, pod *corev1.Pod) (contract.Info, error)
}

// Reconciler keeps condition GuardersReady of each ElasticNodeManager.
type Reconciler struct {
	Client   client.Client
	Guarders VersionReader
	// Recorder emits an Event when the condition changes; nil disables Events.
	Recorder events.EventRecorder
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Pools is the operator's per-pool memory, where each pool's guarder versions are kept;
	// nil gives the controller its own.
	Pools *poolstate.Pools

	poolsOnce sync.Once
}

func (r *Reconciler) pools() *poolstate.Pools {
	r.poolsOnce.Do(func() {
		if r.Pools == nil {
			r.Pools = &poolstate.Pools{}
		}
	})
	return r.Pools
}

// guarderVersions caches a pool's guarder containers' /version by container id: what a
// container reports cannot change until it is replaced, so a pool of thousands of pods asks
// only its new guarders. It lives in the pool's memory; dropping the pool also removes the
// pool's guarders gauge.
type guarderVersions struct {
	pool types.NamespacedName

	mu          sync.Mutex
	byContainer map[string]contract.Info
}

var poolVersions = poolstate.NewSlot("guarder versions",
	func(p *poolstate.Pool) *guarderVersions {
		return &guarderVersions{pool: p.Name(), byContainer: map[string]contract.Info{}}
	},
	func(v *guarderVersions) { deleteGauge(v.pool) })

func deleteGauge(pool types.NamespacedName) {
	for _, s := range AllStates {
		guardersGauge.DeleteLabelValues(pool.Namespace, pool.Name, string(s))
	}
}

var guardersGauge = prometheus.NewGaugeVec(prometheus.GaugeOpts{
	Name: "elastic_yarn_guardercontract_guarders",
	Help: "Guarder sidecars of a pool by state: compatible, tooOld (lacks a capability the pool needs), notReady, unreachable, starting.",
}, []string{"namespace", "pool", "state"})

func init() { metrics.Registry.MustRegister(guardersGauge) }

// GuardersGauge is elastic_yarn_guardercontract_guarders, for tests.
func GuardersGauge() *prometheus.GaugeVec { return guardersGauge }

// Reconcile gathers every NodeManager pod's guarder readiness and /version, decides with
// Decide, and patches the condition when it changed.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	log := ctrl.LoggerFrom(ctx)
	var enm v1alpha1.ElasticNodeManager
	if err := r.Client.Get(ctx, req.NamespacedName, &enm); err != nil {
		if client.IgnoreNotFound(err) == nil {
			// Gone for good (the NodeManager controller's finalizer let it go). The gauge goes
			// here too, in case a reconcile still running set it after the pool was dropped.
			r.pools().Drop(req.NamespacedName)
			deleteGauge(req.NamespacedName)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !enm.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil
	}
	if !podspec.GuarderEnabled(&enm) {
		// No sidecars: nothing to report, and a stale verdict must not linger.
		if meta.FindStatusCondition(enm.Status.Conditions, ConditionGuardersReady) != nil {
			// Applying none of its conditions gives the item up, and the apiserver removes it.
			meta.RemoveStatusCondition(&enm.Status.Conditions, ConditionGuardersReady)
			return ctrl.Result{}, r.applyStatus(ctx, &enm)
		}
		return ctrl.Result{}, nil
	}

	now := r.now()
	versions := poolVersions.Get(r.pools().Of(&enm))
	g, err := r.gather(ctx, &enm, versions)
	if err != nil {
		return ctrl.Result{}, err
	}
	versions.keepOnly(g.pods)
	v := Decide(g.guarders, Required(enm.Spec), now)
	for _, s := range AllStates {
		guardersGauge.WithLabelValues(enm.Namespace, enm.Name, string(s)).Set(float64(v.Counts[s]))
	}

	// A copy: SetStatusCondition below updates the slice element FindStatusCondition points to.
	var old *metav1.Condition
	if c := meta.FindStatusCondition(enm.Status.Conditions, ConditionGuardersReady); c != nil {
		prev := *c
		old = &prev
	}
	cond := metav1.Condition{Type: ConditionGuardersReady, Status: v.Status, Reason: v.Reason, Message: v.Message, ObservedGeneration: enm.Generation}
	if old == nil || old.Status != cond.Status || old.Reason != cond.Reason || old.Message != cond.Message || old.ObservedGeneration != cond.ObservedGeneration {
		meta.SetStatusCondition(&enm.Status.Conditions, cond)
		if err := r.applyStatus(ctx, &enm); err != nil {
			return ctrl.Result{}, err
		}
	}
	if (old == nil || old.Status != cond.Status || old.Reason != cond.Reason) && r.Recorder != nil {
		eventType := corev1.EventTypeNormal
		if v.Status != metav1.ConditionTrue {
			eventType = corev1.EventTypeWarning
		}
		r.Recorder.Eventf(&enm, nil, eventType, v.Reason, "CheckGuarders", "%s", v.Message)
		log.Info("guarders changed state", "reason", v.Reason, "message", v.Message)
	}
	next := Recheck
	if v.Counts[StateStarting] > 0 {
		next = StartupGrace / 4 // a starting guarder becomes ready or not ready soon
	}
	return ctrl.Result{RequeueAfter: next}, nil
}

// gathered is what gather read for one pool: its NodeManager pods and their guarders.
type gathered struct {
	// pods are the cache's own objects (listed without a deep copy): read only.
	pods []corev1.Pod
	// guarders are Decide's input, one per pod that is not terminating or finished.
	guarders []Observation
}

// gather lists the pool's NodeManager pods and reads the /version of every ready guarder.
// The pods are only read (Guarders.Version reads the pod's address), so they are listed
// without the cache's deep copy: one copy per pod per Recheck at 10,000 NodeManagers.
func (r *Reconciler) gather(ctx context.Context, enm *v1alpha1.ElasticNodeManager, versions *guarderVersions) (gathered, error) {
	var pods corev1.PodList
	if err := r.Client.List(ctx, &pods, client.InNamespace(enm.Namespace), client.MatchingLabels{v1alpha1.LabelPool: enm.Name},
		client.UnsafeDisableDeepCopy); err != nil {
		return gathered{}, err
	}
	g := gathered{pods: pods.Items, guarders: make([]Observation, 0, len(pods.Items))}
	for i := range pods.Items {
		pod := &pods.Items[i]
		if !pod.DeletionTimestamp.IsZero() || pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
			continue
		}
		o := Observation{Pod: pod.Name, CreatedAt: pod.CreationTimestamp.Time, Ready: guarderReady(pod)}
		if o.Ready {
			if info, err := r.version(ctx, versions, pod); err != nil {
				o.VersionErr = err.Error()
			} else {
				o.Info = info
			}
		}
		g.guarders = append(g.guarders, o)
	}
	return g, nil
}

// guarderStatus is the guarder container's status in the pod, if any.
func guarderStatus(pod *corev1.Pod) (corev1.ContainerStatus, bool) {
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Name == guarderclient.ContainerName {
			return cs, true
		}
	}
	return corev1.ContainerStatus{}, false
}

// guarderReady is the guarder container's readiness in the pod status.
func guarderReady(pod *corev1.Pod) bool {
	cs, ok := guarderStatus(pod)
	return ok && cs.Ready
}

// version returns the guarder's /version, asking only for a container not seen before.
func (r *Reconciler) version(ctx context.Context, versions *guarderVersions, pod *corev1.Pod) (contract.Info, error) {
	key := cacheKey(pod)
	versions.mu.Lock()
	info, ok := versions.byContainer[key]
	versions.mu.Unlock()
	if ok {
		return info, nil
	}
	info, err := r.Guarders.Version(ctx, pod)
	if err != nil {
		return info, err
	}
	if _, noContainerID := strings.CutSuffix(key, "/"); noContainerID {
		return info, nil // no container id yet: nothing to key the answer by
	}
	versions.mu.Lock()
	versions.byContainer[key] = info
	versions.mu.Unlock()
	return info, nil
}

// cacheKey names a guarder container: the pod's UID and the container id.
func cacheKey(pod *corev1.Pod) string {
	cs, _ := guarderStatus(pod)
	return string(pod.UID) + "/" + cs.ContainerID
}

// keepOnly drops the cached versions of guarder containers that are gone.
func (v *guarderVersions) keepOnly(pods []corev1.Pod) {
	live := make(map[string]bool, len(pods))
	for i := range pods {
		live[cacheKey(&pods[i])] = true
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for key := range v.byContainer {
		if !live[key] {
			delete(v.byContainer, key)
		}
	}
}

func (r *Reconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// PodEventDelay is how long after a NodeManager pod changes its pool is reconciled. Every
// change within that time is folded into the same reconcile.
//
// Why fold: each reconcile lists the pool's pods, and a pool being created changes its pods
// about eight times each (created, scheduled, started, made ready, labelled). Without folding,
// the pool was reconciled back to back for the whole cold start: 2,623 times at 10,000 nodes,
// each listing up to 10,000 pods, 54 % of all the operator allocated (test/scale).
//
// Why this long: the kubelet probes the guarder's readiness every 10 s (the probe's default
// periodSeconds, which podspec keeps), so the readiness this controller reports is already up
// to a period old. Reporting it up to one more period later tells the reader nothing less.
// Nothing else waits on GuardersReady.
const PodEventDelay = 10 * time.Second

// SetupWithManager watches ElasticNodeManagers and their NodeManager pods (owned by the ENM).
// A change to a pod is seen within PodEventDelay.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	if r.Client == nil {
		r.Client = mgr.GetClient()
	}
	return ctrl.NewControllerManagedBy(mgr).
		Named("guardercontract").
		// Spec changes only: the other controllers' status updates change nothing this one reads.
		For(&v1alpha1.ElasticNodeManager{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&corev1.Pod{}, EnqueueOwningPoolAfter(PodEventDelay)).
		Complete(r)
}

// EnqueueOwningPoolAfter enqueues the ElasticNodeManager that controls a changed pod, delay
// after the change. The queue keeps one entry per pool with the earliest time asked for, so
// every change within delay of the first is handled by one reconcile, and a sooner
// RequeueAfter or a change to the pool itself is not put off.
//
// The owner is matched as handler.EnqueueRequestForOwner with OnlyControllerOwner matches it
// (controller reference, group and kind, any version), but without its RESTMapper lookup per
// event: the kind is known to be namespaced, and those lookups were 859 MB of the 10,000-node
// run's allocations in the Owns watches.
func EnqueueOwningPoolAfter(delay time.Duration) handler.EventHandler {
	enqueue := func(pod client.Object, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
		owner := metav1.GetControllerOf(pod)
		if owner == nil || owner.Kind != "ElasticNodeManager" {
			return
		}
		if gv, err := schema.ParseGroupVersion(owner.APIVersion); err != nil || gv.Group != v1alpha1.GroupVersion.Group {
			return
		}
		q.AddAfter(reconcile.Request{NamespacedName: types.NamespacedName{Namespace: pod.GetNamespace(), Name: owner.Name}}, delay)
	}
	return handler.Funcs{
		CreateFunc: func(_ context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(e.Object, q)
		},
		UpdateFunc: func(_ context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(e.ObjectNew, q)
		},
		DeleteFunc: func(_ context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(e.Object, q)
		},
		GenericFunc: func(_ context.Context, e event.GenericEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(e.Object, q)
		},
	}
}

// applyStatus writes condition GuardersReady, and nothing else, by server-side apply with this
// controller's own field manager, so it can never revert another controller's conditions
// (statusapply; ownership in docs/development.md).
func (r *Reconciler) applyStatus(ctx context.Context, enm *v1alpha1.ElasticNodeManager) error {
	return statusapply.Apply(ctx, r.Client, enm, statusapply.ManagerGuarderContract,
		statusapply.Owned{Conditions: []string{ConditionGuardersReady}})
}
