package capacity

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/klog/v2"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmwrites"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/statusapply"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// RM is the part of the ResourceManager client this controller uses; *yarnclient.Client
// satisfies it. UpdateNodeResource sends overCommitTimeout -1 and waits until the RM shows
// the new total (a shrink is in force before the guarder is asked); SetNodeResource sends the
// same write without waiting (a grow, see resize). ListApps reads the running applications'
// priorities for nodeSafety.shedOrder ApplicationPriority.
type RM interface {
	ListNodes(ctx context.Context, states ...yarnclient.NodeState) ([]yarnclient.Node, error)
	UpdateNodeResource(ctx context.Context, nodeID string, r yarnclient.Resource) (yarnclient.Node, error)
	SetNodeResource(ctx context.Context, nodeID string, r yarnclient.Resource) (yarnclient.Resource, error)
	ListApps(ctx context.Context, states ...string) ([]yarnclient.App, error)
}

// RMProvider hands out the RM client of a pool (rmconnect.Factory, wired in cmd/operator/app).
type RMProvider interface {
	RMFor(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (RM, error)
}

// Shedder gives a NodeManager's guarder sidecar the capacity its running containers must fit
// in by the target's deadline (POST /v1/target with the pool's bearer token). It is the
// NodeManager controller's Shedder too; *guarderclient.Client satisfies it.
type Shedder interface {
	SetTarget(ctx context.Context, pod *corev1.Pod, target guarderclient.Target) error
}

// MetricsSource fetches a pool's window statistics; *promquery.Source satisfies it.
type MetricsSource interface {
	Fetch(ctx context.Context, req promquery.Request) (*promquery.Result, error)
}

// MetricsSourceFor builds the source for a Prometheus URL. The controller keeps each pool's
// source in the pool's memory and builds a new one only when the pool's URL changes.
type MetricsSourceFor func(prometheusURL string) (MetricsSource, error)

// Reconciler resizes the NodeManagers of Resident pools whose capacity source is Koordinator.
type Reconciler struct {
	// Client is the manager's client (cached reads of ENMs, pods and Nodes).
	Client client.Client
	// RMs gives each pool its ResourceManager client.
	RMs RMProvider
	// Shedder reaches the guarder sidecars; nil skips guarder targets (shrinks then only
	// stop new containers).
	Shedder Shedder
	// Recorder emits the cycle's Events; nil disables Events.
	Recorder events.EventRecorder
	// MetricsFor builds the Prometheus source of a URL (required).
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
	// Pools is the operator's per-pool memory, where this controller keeps each pool's
	// memory; nil gives the controller its own.
	Pools *poolstate.Pools

	once sync.Once
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
	return ctrl.NewControllerManagedBy(mgr).
		Named("capacity").
		For(&v1alpha1.ElasticNodeManager{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Complete(r)
}

// memory is what this controller remembers of one pool between cycles, in the pool's
// memory (poolstate). Only the remember step of Reconcile replaces it.
type memory struct {
	// cycle is the cycle step's memory (last applied targets, grows in flight, the RM write
	// budget); only cycle.Plan.Commit produces a new one.
	cycle   cycle.State
	samples samples
	// reported are the unowned pods claiming the pool that were already reported (Event,
	// metric), so each is reported once per operator process.
	reported map[types.UID]bool
	// pool is namespace/name, the label of the pool's gauges; set once.
	pool string
}

// prometheusSource is each pool's Prometheus source, kept across cycles (its client and
// connections are reused) and gone with the pool.
var prometheusSource = poolstate.NewSlot("capacity prometheus source",
	func(*poolstate.Pool) *poolSource { return &poolSource{} }, nil)

type poolSource struct {
	mu  sync.Mutex
	url string
	src MetricsSource
}

// get returns the source of url, building it when the pool's URL is new.
func (p *poolSource) get(url string, build MetricsSourceFor) (MetricsSource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.src != nil && p.url == url {
		return p.src, nil
	}
	src, err := build(url)
	if err != nil {
		return nil, err
	}
	p.url, p.src = url, src
	return src, nil
}

// samples is what is known of Prometheus's samples for cycles in which it cannot be reached.
type samples struct {
	// newest is the newest sample seen per Kubernetes node.
	newest map[string]time.Time
	// outageSince is when the current Prometheus outage began (zero: none).
	outageSince time.Time
}

// poolMemory is each pool's memory; it goes, with the pool's gauges, when the pool is dropped
// or stops being a resident Koordinator pool.
var poolMemory = poolstate.NewSlot("capacity", func(p *poolstate.Pool) *memory {
	return &memory{cycle: cycle.State{Previous: map[string]policy.Resources{}, InFlight: map[string]cycle.SentResize{}},
		samples: samples{newest: map[string]time.Time{}}, reported: map[types.UID]bool{}, pool: p.Name().String()}
}, func(m *memory) { forgetPoolMetrics(m.pool) })

// Reconcile runs one resize cycle for one pool: get, gather, decide (pure), apply, remember,
// patch status and emit the Events. No phase changes what an earlier one produced.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	r.defaults()
	logger := log.FromContext(ctx)
	var enm v1alpha1.ElasticNodeManager
	if err := r.Client.Get(ctx, req.NamespacedName, &enm); err != nil {
		if apierrors.IsNotFound(err) {
			// Gone for good: every controller's memory of it goes. The gauges go here too, in
			// case a cycle that was still running set them after the pool was dropped.
			r.Pools.Drop(req.NamespacedName)
			forgetPoolMetrics(req.String())
			return ctrl.Result{}, nil
		}
		return ctrl.Result{}, err
	}
	pool := r.Pools.Of(&enm)
	if !isResidentKoordinator(&enm) || enm.DeletionTimestamp != nil {
		poolMemory.Clear(pool)
		return ctrl.Result{}, nil
	}
	settings, err := cycle.SettingsFromSpec(&enm.Spec, r.MemoryIncrementMB)
	if err != nil {
		// An invalid spec waits for the next spec change (which triggers a reconcile).
		logger.Error(err, "resident capacity settings are invalid")
		return ctrl.Result{}, nil
	}
	mem := poolMemory.Get(pool)

	g, err := r.gather(ctx, &enm, settings, prometheusSource.Get(pool))
	if err != nil {
		return ctrl.Result{}, err
	}
	if g.rmErr != nil {
		logger.Info("ResourceManager unreachable; only node-safety sheds act this cycle", "error", g.rmErr.Error())
	}
	d := decide(&enm, settings, g, mem)
	results := r.apply(ctx, &enm, g, d.plan)
	next, err := d.plan.Commit(results)
	if err != nil {
		return ctrl.Result{}, err
	}
	mem.cycle, mem.samples, mem.reported = next, d.samples, d.reported
	offered := d.plan.Offered(results)
	if err := r.patchStatus(ctx, &enm, d.metricsFresh, offered); err != nil {
		return ctrl.Result{}, err
	}
	r.record(ctx, &enm, settings, d, offered, results)
	return ctrl.Result{RequeueAfter: settings.Interval}, nil
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

// ---- gather ----

// nodeManager is one resizable NM of the pool.
type nodeManager struct {
	pod     *corev1.Pod
	k8sNode string
	yarnID  string
	node    *corev1.Node // nil when the Node is gone
}

// gathered is everything one reconcile gathered.
type gathered struct {
	now time.Time
	nms []nodeManager
	// unowned are pods that carry the pool's label without being controlled by it.
	unowned []*corev1.Pod
	rm      RM
	rmNodes map[string]yarnclient.Node
	// rmErr says why the RM could not be asked this cycle: only node safety acts then.
	rmErr      error
	metrics    *promquery.Result // nil when Prometheus could not be queried
	metricsErr error
	// allocatableFallback: the Node's batch allocatable stands in for missing metrics.
	allocatableFallback bool
}

func (r *Reconciler) gather(ctx context.Context, enm *v1alpha1.ElasticNodeManager, s cycle.Settings, prom *poolSource) (*gathered, error) {
	// UTC: overcommit profiles of non-scheduled pools are in UTC (the API's contract), whatever
	// the operator's local zone.
	g := &gathered{now: r.now().UTC(), allocatableFallback: r.AllocatableFallback}
	var err error
	if g.nms, g.unowned, err = r.nodeManagers(ctx, enm); err != nil {
		return nil, err
	}
	// An unreachable RM is an expected outage, not a failed reconcile: the cycle goes on
	// without it (node safety still reaches the guarders) and runs again at the pool's interval.
	g.rmNodes = map[string]yarnclient.Node{}
	if g.rm, err = r.RMs.RMFor(ctx, enm); err != nil {
		g.rmErr = fmt.Errorf("RM client: %w", err)
	} else if nodes, err := g.rm.ListNodes(ctx, yarnclient.NodeRunning); err != nil {
		// Only RUNNING nodes can be resized (the RM answers 500 for inactive ones).
		g.rmErr = fmt.Errorf("listing RM nodes: %w", err)
	} else {
		for _, n := range nodes {
			g.rmNodes[n.ID] = n
		}
	}
	g.metrics, g.metricsErr = r.fetchMetrics(ctx, enm, g, s, prom)
	return g, nil
}

// nodeManagers lists the pool's NM pods that this controller may resize: controlled by the
// pool, not deleting, not draining, with a YARN node id. The pool label alone proves nothing:
// anyone who may create pods in the namespace can set it, and a pod taken at its word would
// steer a real node's capacity and receive the pool's guarder token; such pods come back as
// unowned.
func (r *Reconciler) nodeManagers(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (nms []nodeManager, unowned []*corev1.Pod, err error) {
	// Pods and Nodes are read from the cache without copies (this controller never changes
	// them: patchAllocations writes the ledger through its own object). At thousands of nodes
	// the copies were the largest part of a cycle's memory.
	var pods corev1.PodList
	if err := r.Client.List(ctx, &pods, client.InNamespace(enm.Namespace), client.MatchingLabels{v1alpha1.LabelPool: enm.Name}, client.UnsafeDisableDeepCopy); err != nil {
		return nil, nil, fmt.Errorf("listing NodeManager pods: %w", err)
	}
	for i := range pods.Items {
		pod := &pods.Items[i]
		if !metav1.IsControlledBy(pod, enm) {
			unowned = append(unowned, pod)
			continue
		}
		if pod.DeletionTimestamp != nil || pod.Annotations[v1alpha1.AnnotationDrainStarted] != "" {
			continue
		}
		id, nodeName := pod.Annotations[v1alpha1.AnnotationYARNNodeID], pod.Labels[v1alpha1.LabelNode]
		if nodeName == "" {
			nodeName = pod.Spec.NodeName
		}
		if id == "" || nodeName == "" {
			continue
		}
		nm := nodeManager{pod: pod, k8sNode: nodeName, yarnID: id}
		var node corev1.Node
		switch err := r.Client.Get(ctx, client.ObjectKey{Name: nodeName}, &node, client.UnsafeDisableDeepCopy); {
		case err == nil:
			nm.node = &node
		case !apierrors.IsNotFound(err):
			return nil, nil, fmt.Errorf("getting node %s: %w", nodeName, err)
		}
		nms = append(nms, nm)
	}
	sort.Slice(nms, func(i, j int) bool { return nms[i].yarnID < nms[j].yarnID })
	return nms, unowned, nil
}

// fetchMetrics asks Prometheus once for the whole pool.
func (r *Reconciler) fetchMetrics(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, s cycle.Settings, prom *poolSource) (*promquery.Result, error) {
	if len(g.nms) == 0 {
		return &promquery.Result{Nodes: map[string]*promquery.NodeResult{}}, nil
	}
	src, err := prom.get(enm.Spec.Capacity.Dynamic.PrometheusURL, r.MetricsFor)
	if err != nil {
		return nil, err
	}
	ps := s.Policy
	req := promquery.Request{
		At: g.now, Window: s.Window, CPUMetric: s.CPUMetric,
		Statistics: []v1alpha1.Statistic{ps.Statistic}, QuantilePercent: ps.QuantilePercent,
		// Look back past shrinkToFloorAfter so a node that long silent still has an age.
		FreshnessLookback: ps.ShrinkToFloorAfter + s.Window,
	}
	if ps.Safety.Enabled {
		req.SafetySustained = ps.Safety.ShedAfter
	}
	for _, nm := range g.nms {
		req.Nodes = append(req.Nodes, nm.k8sNode)
	}
	res, err := src.Fetch(ctx, req)
	if res != nil {
		promQLQueriesTotal.Add(float64(res.Queries))
	}
	if err != nil {
		log.FromContext(ctx).Info("Prometheus query failed; nodes age from their last known sample", "error", err.Error())
		return nil, err
	}
	return res, nil
}

// ---- decide (pure) ----

// decision is everything one cycle decided, before anything is carried out. It is final:
// apply, remember, status and record only read it.
type decision struct {
	// plan is the cycle step's plan (cycle.Step).
	plan cycle.Plan
	// samples and reported are what to remember of Prometheus's samples and unowned pods.
	samples  samples
	reported map[types.UID]bool
	// metricsFresh is the pool's MetricsFresh condition.
	metricsFresh metav1.Condition
	// events are the transitions to report: MetricsFresh turning False, unowned pods seen
	// for the first time. The resize summary follows from what apply achieved (summaryEvent).
	events []event
}

// event is one Event to emit about the pool, regarding a pod or the pool itself.
type event struct {
	related          *corev1.Pod
	eventType        string
	reason, action   string
	note             string
	countUnownedOnce bool
}

// decide turns what was gathered and the pool's memory into the cycle's decision. It is
// pure: neither g, mem nor enm is changed.
func decide(enm *v1alpha1.ElasticNodeManager, s cycle.Settings, g *gathered, mem *memory) decision {
	d := decision{samples: rememberSamples(mem.samples, g, enm)}
	d.plan = cycle.Step(s, observations(g, d.samples), mem.cycle, g.now)
	d.metricsFresh = metricsFreshCondition(enm.Generation, g, d.plan)
	// Remember the unowned pods that claim the pool now (so the gone ones are forgotten);
	// report those not reported before.
	for _, pod := range g.unowned {
		if d.reported == nil {
			d.reported = make(map[types.UID]bool, len(g.unowned))
		}
		d.reported[pod.UID] = true
		if mem.reported[pod.UID] {
			continue
		}
		d.events = append(d.events, event{related: pod, eventType: corev1.EventTypeWarning, reason: EventUnownedPodIgnored, action: "Ignore",
			note: fmt.Sprintf("pod %s carries the pool label but is not controlled by the pool: ignored", pod.Name), countUnownedOnce: true})
	}
	if stale := wentStale(enm.Status.Conditions, d.metricsFresh); stale != nil {
		d.events = append(d.events, event{eventType: corev1.EventTypeWarning, reason: stale.Reason, action: "MeasureCapacity", note: stale.Message})
	}
	return d
}

// rememberSamples is the sample memory after this cycle: each node's newest sample time, for
// cycles without Prometheus, and when an outage began. An outage that began before this
// process started is recovered from the pool's MetricsFresh condition (False /
// PrometheusUnavailable since its transition), so an operator that restarts, or crash-loops,
// during a long outage still reaches the floor.
func rememberSamples(prev samples, g *gathered, enm *v1alpha1.ElasticNodeManager) samples {
	if g.metrics == nil {
		if prev.outageSince.IsZero() {
			prev.outageSince = outageStart(enm, g.now)
		}
		return prev // newest is shared, unchanged
	}
	next := samples{newest: copyMap(prev.newest)}
	for node, res := range g.metrics.Nodes {
		if !res.NewestSample.IsZero() {
			next.newest[node] = res.NewestSample
		}
	}
	return next
}

// outageStart is when the current Prometheus outage began: the transition of a
// False/PrometheusUnavailable MetricsFresh condition, or now. A time after now (skew) is now.
func outageStart(enm *v1alpha1.ElasticNodeManager, now time.Time) time.Time {
	c := meta.FindStatusCondition(enm.Status.Conditions, v1alpha1.ConditionMetricsFresh)
	if c == nil || c.Status != metav1.ConditionFalse || c.Reason != ReasonPrometheusUnavailable || c.LastTransitionTime.Time.After(now) {
		return now
	}
	return c.LastTransitionTime.Time
}

// observations turns the gathered cycle into what the cycle step decides on, one per
// NodeManager in g.nms order.
func observations(g *gathered, known samples) []cycle.Observation {
	out := make([]cycle.Observation, 0, len(g.nms))
	for _, nm := range g.nms {
		out = append(out, observationOf(g, known, nm))
	}
	return out
}

func observationOf(g *gathered, known samples, nm nodeManager) cycle.Observation {
	in := cycle.Observation{ID: nm.yarnID}
	var metricsErr error
	if g.metrics != nil {
		if res, ok := g.metrics.Nodes[nm.k8sNode]; ok {
			in.Metrics = res.Metrics()
			metricsErr = res.Err
			if metricsErr == nil && nm.node != nil {
				if ledger, err := ledgerOf(nm.node); err != nil {
					// A ledger it cannot read leaves the node without figures: held as stale,
					// never sized on a half-known budget.
					in.Metrics, metricsErr = policy.Metrics{NewestSample: in.Metrics.NewestSample}, err
				} else {
					in.Ledger = &ledger
				}
			}
			if res.UsageKnown && nm.node != nil {
				in.Usage = policy.NodeUsage{Known: true, RecentCores: res.UsedCPURecent, SustainedMinCores: res.UsedCPUSustainedMin,
					CapacityCores: float64(nm.node.Status.Capacity.Cpu().MilliValue()) / 1000}
			}
		}
	} else {
		// Prometheus unreachable: the node's age is that of its last known sample, or the
		// outage's start when this process never saw one (hold first, floor later).
		in.Metrics.NewestSample = known.newest[nm.k8sNode]
		if in.Metrics.NewestSample.IsZero() {
			in.Metrics.NewestSample = known.outageSince
		}
	}
	if g.allocatableFallback && metricsErr == nil && nm.node != nil && !(in.Metrics.CPUPresent && in.Metrics.MemoryPresent) {
		if fb, ok, err := koordledger.FromNodeAllocatable(nm.node); err == nil && ok {
			in.Metrics, in.Ledger = fb, nil
		}
	}
	if g.rmErr != nil && nm.node != nil {
		// The last YARN usage this controller recorded in Koordinator's ledger sizes a safety
		// shed; without a readable one it is zero and no shed is sized (policy.decideWithoutRM).
		share, _ := koordledger.YARNShareOf(nm.node)
		in.RM = policy.RMState{Unreachable: true, Used: policy.Resources{VCores: int64(share.Cores), MemoryMB: int64(share.MemoryBytes) >> 20}}
	}
	if n, ok := g.rmNodes[nm.yarnID]; ok {
		in.RM = policy.RMState{Known: true, Total: totalOf(n), Used: policy.Resources{VCores: n.UsedVCores, MemoryMB: n.UsedMemoryMB}}
	}
	in.MetricsErr = metricsErr
	return in
}

// ledgerOf reads Koordinator's ledger from the Node: YARN's entry in thirdPartyAllocations
// (what this controller wrote last) and the origin allocatable, if annotated.
func ledgerOf(node *corev1.Node) (koordledger.Ledger, error) {
	share, err := koordledger.YARNShareOf(node)
	if err != nil {
		return koordledger.Ledger{}, err
	}
	origin, known, err := koordledger.OriginOf(node)
	if err != nil {
		return koordledger.Ledger{}, err
	}
	return koordledger.Ledger{YARN: share, Origin: origin, OriginKnown: known}, nil
}

// totalOf is the node's advertised total; RMs before Hadoop 3.3 lack totalResource.
func totalOf(n yarnclient.Node) policy.Resources {
	if n.TotalResource != nil {
		return policy.Resources{VCores: n.TotalResource.VCores, MemoryMB: n.TotalResource.MemoryMB}
	}
	return policy.Resources{VCores: n.UsedVCores + n.AvailableVCores, MemoryMB: n.UsedMemoryMB + n.AvailMemoryMB}
}

// Reasons of the MetricsFresh condition.
const (
	ReasonMetricsFresh          = "AllFresh"
	ReasonMetricsStale          = "StaleNodes"
	ReasonPrometheusUnavailable = "PrometheusUnavailable"
)

// EventUnownedPodIgnored: a pod carries the pool's label without being controlled by the pool.
const EventUnownedPodIgnored = "UnownedPodIgnored"

func metricsFreshCondition(generation int64, g *gathered, p cycle.Plan) metav1.Condition {
	// The transition time comes from the controller's clock: an outage's start is read back
	// from it after a restart (outageStart).
	cond := metav1.Condition{Type: v1alpha1.ConditionMetricsFresh, ObservedGeneration: generation, LastTransitionTime: metav1.NewTime(g.now)}
	switch {
	case g.metricsErr != nil:
		cond.Status, cond.Reason = metav1.ConditionFalse, ReasonPrometheusUnavailable
		cond.Message = truncate(g.metricsErr.Error(), 512)
	case p.Stale > 0:
		cond.Status, cond.Reason = metav1.ConditionFalse, ReasonMetricsStale
		cond.Message = fmt.Sprintf("%d of %d NodeManagers have stale, missing or malformed Koordinator metrics", p.Stale, len(p.Nodes))
		if p.FirstMalformed != nil {
			cond.Message = truncate(cond.Message+"; first malformed: "+p.FirstMalformed.Error(), 1024)
		}
	default:
		cond.Status, cond.Reason = metav1.ConditionTrue, ReasonMetricsFresh
		cond.Message = fmt.Sprintf("all %d NodeManagers have fresh Koordinator metrics", len(p.Nodes))
	}
	return cond
}

// wentStale returns cond when it turns MetricsFresh False, or changes the reason it is False
// for, against the pool's current conditions: the transition the Event reports. Nil otherwise.
func wentStale(current []metav1.Condition, cond metav1.Condition) *metav1.Condition {
	old := meta.FindStatusCondition(current, cond.Type)
	if cond.Status == metav1.ConditionFalse && (old == nil || old.Status != cond.Status || old.Reason != cond.Reason) {
		return &cond
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func copyMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// ---- apply ----

const defaultMaxConcurrentCalls = 16

// apply carries out the plan's jobs, nodes in parallel, each node's actions in their policy
// order, then records YARN's usage in Koordinator's ledger. What each job achieved comes back
// as results[k] for p.Jobs[k] (cycle.Plan.Commit turns them into the next state).
func (r *Reconciler) apply(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, p cycle.Plan) []cycle.Result {
	results := make([]cycle.Result, len(p.Jobs))
	rmWritesDeferredTotal.Add(float64(p.Deferred))
	priorities := r.appPriorities(ctx, enm, g, p)
	r.parallel(ctx, len(p.Jobs), func(ctx context.Context, k int) {
		i := p.Jobs[k]
		n, nm := p.Nodes[i], g.nms[i]
		sentOnly, err := r.execute(ctx, enm, g.rm, nm, n, priorities)
		switch {
		case errors.Is(err, errDrainStarted):
			log.FromContext(ctx).V(1).Info("resize skipped: the drain owns the node now", "yarnNode", nm.yarnID, "pod", klog.KObj(nm.pod))
		case err != nil:
			// The previous target stays: the next cycle decides again from what the RM shows.
			results[k] = cycle.Result{Err: err}
			log.FromContext(ctx).Info("resize failed", "yarnNode", nm.yarnID, "pod", klog.KObj(nm.pod), "error", err.Error())
		default:
			results[k] = cycle.Result{Done: true, SentOnly: sentOnly}
			if n.Decision.WritesRM() {
				resizesTotal.WithLabelValues(string(n.Decision.Direction), string(n.Decision.Reason)).Inc()
			}
		}
	})
	r.writeAllocations(ctx, g, p)
	return results
}

// errDrainStarted: a drain set the node to zero after the cycle listed its pod; the drain
// decides the node's size now.
var errDrainStarted = errors.New("the NodeManager started draining; the drain owns its size")

// execute runs one node's actions in order and stops at the first failure, so the guarder
// is never asked to shed for a shrink the RM did not take. The whole node is handled under
// its write lock: once a drain has set the node to zero (rmwrites), the drain decides both
// the node's RM size and its guarder target. sentOnly reports an RM write the RM has not
// confirmed yet (see resize).
func (r *Reconciler) execute(ctx context.Context, enm *v1alpha1.ElasticNodeManager, rm RM, nm nodeManager, n cycle.Node, priorities map[string]int) (sentOnly bool, err error) {
	write := r.RMWrites.Lock(enm, nm.yarnID)
	defer write.Unlock()
	if write.DrainedBy(nm.pod.UID) {
		return false, errDrainStarted
	}
	for i, a := range n.Decision.Actions {
		switch a.Kind {
		case policy.ActionSetRM:
			rmWritesTotal.Inc()
			if sentOnly, err = resize(ctx, rm, nm.yarnID, yarnclient.Resource{VCores: a.Target.VCores, MemoryMB: a.Target.MemoryMB}, cycle.WaitsForRM(n.Decision, i)); err != nil {
				return false, fmt.Errorf("RM resize to %d vcores / %d MB: %w", a.Target.VCores, a.Target.MemoryMB, err)
			}
		case policy.ActionSetGuarder:
			if r.Shedder == nil {
				continue
			}
			if n.Decision.Shed || a.Target.LessInAny(n.Input.RM.Total) {
				shedRequestsTotal.Inc()
			}
			t := guarderclient.Target{VCores: a.Target.VCores, MemoryMB: a.Target.MemoryMB, Deadline: a.Deadline, Reason: string(n.Decision.Reason)}
			if n.Decision.Shed {
				t.AppPriorities = priorities
			}
			if err := r.Shedder.SetTarget(ctx, nm.pod, t); err != nil {
				return false, fmt.Errorf("guarder target %d vcores / %d MB: %w", a.Target.VCores, a.Target.MemoryMB, err)
			}
		}
	}
	return sentOnly, nil
}

// resize waits for the RM to show the new total only when a later action depends on it: a
// shrink's guarder target follows the RM write, so the RM must have stopped placing work
// first. A grow's write comes last and nothing waits on it; the next cycle's listing shows
// whether it took, and a total that did not is re-sent as drift. Not waiting is what lets
// one cycle grow thousands of NodeManagers: each wait is a NodeManager heartbeat (about a
// second), MaxConcurrentCalls at a time (test/scale measured 5 minutes at 5,000 nodes).
// sentOnly is true when the write was sent without waiting.
func resize(ctx context.Context, rm RM, nodeID string, target yarnclient.Resource, wait bool) (sentOnly bool, err error) {
	if !wait {
		_, err := rm.SetNodeResource(ctx, nodeID, target)
		return err == nil, err
	}
	_, err = rm.UpdateNodeResource(ctx, nodeID, target)
	return false, err
}

// appPriorities reads running applications' priorities once, only when the pool sheds by
// application priority and some node is shed this cycle. Without them the guarder falls
// back to its own ranking.
func (r *Reconciler) appPriorities(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, p cycle.Plan) map[string]int {
	if enm.Spec.NodeSafety.ShedOrder == v1alpha1.ShedByGuarderRanking || r.Shedder == nil || g.rm == nil {
		return nil
	}
	shedding := false
	for _, i := range p.Jobs {
		shedding = shedding || p.Nodes[i].Decision.Shed
	}
	if !shedding {
		return nil
	}
	apps, err := g.rm.ListApps(ctx, "RUNNING")
	if err != nil {
		log.FromContext(ctx).Info("application priorities unavailable; the guarder ranks on its own", "error", err.Error())
		return nil
	}
	out := make(map[string]int, len(apps))
	for _, a := range apps {
		out[a.ID] = int(a.Priority)
	}
	return out
}

// writeAllocations tells Koordinator what YARN uses on each node (thirdPartyAllocations),
// patching only that annotation and only when the value changes. The patch carries the
// resourceVersion, so a concurrent writer of another allocation is never overwritten: the
// conflict is retried next cycle. The plan says what to record (cycle.Plan.Ledger); a failed
// write is logged and tried again at the next cycle.
func (r *Reconciler) writeAllocations(ctx context.Context, g *gathered, p cycle.Plan) {
	type job struct {
		node *corev1.Node
		used policy.Resources
	}
	var jobs []job
	for _, e := range p.Ledger {
		if node := g.nms[e.Node].node; node != nil {
			jobs = append(jobs, job{node, e.Used})
		}
	}
	r.parallel(ctx, len(jobs), func(ctx context.Context, k int) {
		j := jobs[k]
		value, changed, err := koordledger.MergeYARNAllocation(j.node.Annotations[koordledger.AnnotationThirdPartyAllocations], j.used)
		if err == nil && changed {
			err = r.patchAllocations(ctx, j.node, value)
		}
		if err != nil {
			log.FromContext(ctx).Info("thirdPartyAllocations not written", "node", j.node.Name, "error", err.Error())
		}
	})
}

// patchAllocations sets the Node's thirdPartyAllocations annotation to value, conditional on
// the resourceVersion read. It patches the Node's metadata only (PartialObjectMetadata): the
// Node read is the cache's own object and stays untouched, and neither the request nor the
// answer carries the Node's status.
func (r *Reconciler) patchAllocations(ctx context.Context, node *corev1.Node, value string) error {
	read := &metav1.PartialObjectMetadata{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: metav1.ObjectMeta{
			Name:            node.Name,
			ResourceVersion: node.ResourceVersion,
			Annotations:     map[string]string{},
		},
	}
	if old, ok := node.Annotations[koordledger.AnnotationThirdPartyAllocations]; ok {
		read.Annotations[koordledger.AnnotationThirdPartyAllocations] = old
	}
	patched := read.DeepCopy()
	patched.Annotations[koordledger.AnnotationThirdPartyAllocations] = value
	return r.Client.Patch(ctx, patched, client.MergeFromWithOptions(read, client.MergeFromWithOptimisticLock{}))
}

// parallel runs fn for 0..n-1 with at most MaxConcurrentCalls at once.
func (r *Reconciler) parallel(ctx context.Context, n int, fn func(context.Context, int)) {
	limit := r.MaxConcurrentCalls
	if limit <= 0 {
		limit = defaultMaxConcurrentCalls
	}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for k := 0; k < n; k++ {
		sem <- struct{}{}
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			defer func() { <-sem }()
			fn(ctx, k)
		}(k)
	}
	wg.Wait()
}

// ---- patch status, emit Events ----

// patchStatus applies MetricsFresh and Offered, the part of the status this controller owns
// (server-side apply with its own field manager, see statusapply), only when they changed.
func (r *Reconciler) patchStatus(ctx context.Context, enm *v1alpha1.ElasticNodeManager, cond metav1.Condition, offered map[string]policy.Resources) error {
	status := enm.Status.DeepCopy()
	var total v1alpha1.PoolResources
	for _, res := range offered {
		total.VCores += res.VCores
		total.MemoryMB += res.MemoryMB
	}
	status.Offered = total
	meta.SetStatusCondition(&status.Conditions, cond)
	if reflect.DeepEqual(*status, enm.Status) {
		return nil
	}
	patched := enm.DeepCopy()
	patched.Status = *status
	return statusapply.Apply(ctx, r.Client, patched, statusapply.ManagerCapacity,
		statusapply.Owned{Conditions: []string{v1alpha1.ConditionMetricsFresh}, Fields: []string{"offered"}})
}

// record updates the pool's gauges and emits the decided Events and the resize summary.
func (r *Reconciler) record(ctx context.Context, enm *v1alpha1.ElasticNodeManager, s cycle.Settings, d decision, offered map[string]policy.Resources, results []cycle.Result) {
	pool := enm.Namespace + "/" + enm.Name
	var total, used, available policy.Resources
	for _, res := range offered {
		total.VCores += res.VCores
		total.MemoryMB += res.MemoryMB
	}
	for _, n := range d.plan.Nodes {
		used.VCores += n.Input.RM.Used.VCores
		used.MemoryMB += n.Input.RM.Used.MemoryMB
		if !n.Decision.Stale && n.MetricsErr == nil && n.Input.Metrics.CPUPresent {
			available.VCores += int64(policy.Pick(s.Policy, n.Input.Metrics.CPUCores))
			available.MemoryMB += int64(policy.Pick(s.Policy, n.Input.Metrics.MemoryBytes)) >> 20
		}
	}
	offeredVCores.WithLabelValues(pool).Set(float64(total.VCores))
	offeredMemory.WithLabelValues(pool).Set(float64(total.MemoryMB << 20))
	usedVCores.WithLabelValues(pool).Set(float64(used.VCores))
	usedMemory.WithLabelValues(pool).Set(float64(used.MemoryMB << 20))
	availableVCores.WithLabelValues(pool).Set(float64(available.VCores))
	availableMemory.WithLabelValues(pool).Set(float64(available.MemoryMB << 20))
	staleNodes.WithLabelValues(pool).Set(float64(d.plan.Stale))

	evs := d.events
	if e, ok := summaryEvent(d.plan, results); ok {
		evs = append(evs[:len(evs):len(evs)], e) // d.events is not changed
	}
	for _, e := range evs {
		if e.countUnownedOnce {
			unownedPodsTotal.Inc()
			log.FromContext(ctx).Info("Ignoring a pod that claims the pool without being controlled by it", "pool", klog.KObj(enm), "pod", klog.KObj(e.related))
		}
		if r.Recorder == nil {
			continue
		}
		var related runtime.Object
		if e.related != nil {
			related = e.related
		}
		r.Recorder.Eventf(enm, related, e.eventType, e.reason, e.action, "%s", e.note)
	}
}

// summaryEvent is the cycle's one aggregated resize Event (a pool of 1,000 nodes gets one
// per cycle, not one per node), a pure function of the plan and what its jobs achieved.
func summaryEvent(p cycle.Plan, results []cycle.Result) (event, bool) {
	summary := p.Summary(results)
	if summary.Quiet() {
		return event{}, false
	}
	e := event{eventType: corev1.EventTypeNormal, reason: "Resized", action: "Resize", note: summary.Message()}
	if summary.Failed > 0 {
		e.eventType, e.reason = corev1.EventTypeWarning, "ResizeFailed"
	}
	return e, true
}
