package capacity

import (
	"context"
	"errors"
	"fmt"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmwrites"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

const defaultMaxConcurrentCalls = 16

// outcome is what one cycle did, for status, metrics and the Event.
type outcome struct {
	decisions []nodeDecision
	// offered is what the RM advertises after this cycle, per YARN node id.
	offered   map[string]policy.Resources
	stale     int
	rmWrites  int
	summary   summary
	allocErrs int
	// firstMalformed is the first per-node malformed-metrics error, for the condition.
	firstMalformed error
	// metricsWentStale is set when MetricsFresh turned False (or changed reason) this cycle.
	metricsWentStale *metav1.Condition
}

// apply carries out the decisions: RM writes within the pool's per-minute budget (most
// urgent first), each node's actions in their policy order, nodes in parallel.
func (r *Reconciler) apply(ctx context.Context, enm *v1alpha1.ElasticNodeManager, c *cycle, ds []nodeDecision, state *poolState) outcome {
	out := outcome{decisions: ds, offered: map[string]policy.Resources{}}
	decisions := make([]policy.Decision, len(ds))
	writers := 0
	for i, d := range ds {
		decisions[i] = d.decision
		if d.decision.Stale || d.metricsErr != nil {
			out.stale++
		}
		if d.metricsErr != nil && out.firstMalformed == nil {
			out.firstMalformed = d.metricsErr
		}
		if d.decision.WritesRM() {
			writers++
		}
		if d.input.RM.Known {
			out.offered[d.nm.yarnID] = d.input.RM.Total
		}
	}
	perMinute := int(enm.Spec.Capacity.Dynamic.MaxRMWritesPerMinute)
	if perMinute <= 0 {
		perMinute = v1alpha1.DefaultMaxRMWritesPerMinute
	}
	var granted int
	state.bucket, granted = state.bucket.Take(c.now, perMinute, writers)

	var jobs []int
	for _, i := range policy.OrderByUrgency(decisions) {
		d := ds[i].decision
		switch {
		case len(d.Actions) == 0:
			if ds[i].input.RM.Known {
				// Nothing to do means the RM already shows the target: it becomes the base
				// (on a first cycle, the RM's total).
				state.previous[ds[i].nm.yarnID] = d.Target
			}
		case d.WritesRM() && granted == 0:
			out.summary.deferred++
			rmWritesDeferredTotal.Inc()
		default:
			if d.WritesRM() {
				granted--
			}
			jobs = append(jobs, i)
		}
	}

	priorities := r.appPriorities(ctx, enm, c, ds, jobs)
	var mu sync.Mutex
	r.parallel(ctx, len(jobs), func(ctx context.Context, k int) {
		nd := ds[jobs[k]]
		wrote, sentOnly, err := r.execute(ctx, c.rm, nd, priorities)
		mu.Lock()
		defer mu.Unlock()
		out.rmWrites += wrote
		if errors.Is(err, errDrainStarted) {
			log.FromContext(ctx).V(1).Info("resize skipped: the drain owns the node now", "yarnNode", nd.nm.yarnID, "pod", nd.nm.pod.Name)
			return
		}
		if err != nil {
			// Leave the previous target: the next cycle decides again from what the RM shows.
			out.summary.fail(nd.nm.yarnID, err)
			log.FromContext(ctx).Info("resize failed", "yarnNode", nd.nm.yarnID, "pod", nd.nm.pod.Name, "error", err.Error())
			return
		}
		if nd.input.RM.Known {
			// Only an RM-backed decision moves the base; a guarder-only shed while the RM is
			// unreachable does not change what the RM advertises.
			state.previous[nd.nm.yarnID] = nd.decision.Target
		}
		if sentOnly {
			state.inFlight[nd.nm.yarnID] = sentResize{target: nd.decision.Target, at: c.now}
		}
		if nd.decision.WritesRM() {
			out.offered[nd.nm.yarnID] = nd.decision.Target
			resizesTotal.WithLabelValues(string(nd.decision.Direction), string(nd.decision.Reason)).Inc()
		}
		if nd.decision.WritesRM() || nd.decision.Shed {
			out.summary.resized(nd.decision)
		}
	})
	return out
}

// execute runs one node's actions in order and stops at the first failure, so the guarder
// is never asked to shed for a shrink the RM did not take. The whole node is handled under
// its write lock, after re-reading the pod: once a drain has started, the drain decides both
// the node's RM size and its guarder target (see rmwrites). sentOnly reports an RM write the
// RM has not confirmed yet (see resize).
func (r *Reconciler) execute(ctx context.Context, rm RM, nd nodeDecision, priorities map[string]int) (rmWrites int, sentOnly bool, err error) {
	unlock := r.rmWrites().Lock(nd.nm.yarnID)
	defer unlock()
	if err := r.stillResizable(ctx, nd.nm.pod); err != nil {
		return 0, false, err
	}
	for i, a := range nd.decision.Actions {
		switch a.Kind {
		case policy.ActionSetRM:
			rmWrites++
			rmWritesTotal.Inc()
			wait := i < len(nd.decision.Actions)-1
			if sentOnly, err = resize(ctx, rm, nd.nm.yarnID, yarnclient.Resource{VCores: a.Target.VCores, MemoryMB: a.Target.MemoryMB}, wait); err != nil {
				return rmWrites, false, fmt.Errorf("RM resize to %d vcores / %d MB: %w", a.Target.VCores, a.Target.MemoryMB, err)
			}
		case policy.ActionSetGuarder:
			if r.Shedder == nil {
				continue
			}
			if nd.decision.Shed || a.Target.LessInAny(nd.input.RM.Total) {
				shedRequestsTotal.Inc()
			}
			if err := r.setTarget(ctx, nd, a, priorities); err != nil {
				return rmWrites, false, fmt.Errorf("guarder target %d vcores / %d MB: %w", a.Target.VCores, a.Target.MemoryMB, err)
			}
		}
	}
	return rmWrites, sentOnly, nil
}

// errDrainStarted: the pod started draining (or went away) after the cycle listed it; the
// drain decides the node's size now.
var errDrainStarted = errors.New("the NodeManager started draining or is gone; the drain owns its size")

// stillResizable re-reads the pod from the API server under the node's write lock: a drain
// records itself on the pod before it takes the lock to write zero, so a pod that is not
// draining now cannot have a zero that this write would undo.
func (r *Reconciler) stillResizable(ctx context.Context, pod *corev1.Pod) error {
	reader := r.APIReader
	if reader == nil {
		reader = r.Client
	}
	var fresh corev1.Pod
	if err := reader.Get(ctx, client.ObjectKeyFromObject(pod), &fresh); err != nil {
		if apierrors.IsNotFound(err) {
			return errDrainStarted
		}
		return fmt.Errorf("re-reading pod %s before the resize: %w", pod.Name, err)
	}
	if fresh.UID != pod.UID || fresh.DeletionTimestamp != nil || fresh.Annotations[v1alpha1.AnnotationDrainStarted] != "" {
		return errDrainStarted
	}
	return nil
}

func (r *Reconciler) rmWrites() *rmwrites.Serializer {
	r.rmWritesOnce.Do(func() {
		if r.RMWrites == nil {
			r.RMWrites = &rmwrites.Serializer{}
		}
	})
	return r.RMWrites
}

// resize waits for the RM to show the new total only when a later action depends on it: a
// shrink's guarder target follows the RM write, so the RM must have stopped placing work
// first. A grow's write comes last and nothing waits on it; the next cycle's listing shows
// whether it took, and a total that did not is re-sent as drift. Not waiting is what lets
// one cycle grow thousands of NodeManagers: each wait is a NodeManager heartbeat (about a
// second), MaxConcurrentCalls at a time (test/scale measured 5 minutes at 5,000 nodes).
// sentOnly is true when the write was sent without waiting.
func resize(ctx context.Context, rm RM, nodeID string, target yarnclient.Resource, wait bool) (sentOnly bool, err error) {
	if sender, ok := rm.(ResizeSender); ok && !wait {
		_, err := sender.SetNodeResource(ctx, nodeID, target)
		return err == nil, err
	}
	_, err = rm.UpdateNodeResource(ctx, nodeID, target)
	return false, err
}

func (r *Reconciler) setTarget(ctx context.Context, nd nodeDecision, a policy.Action, priorities map[string]int) error {
	if ps, ok := r.Shedder.(PriorityShedder); ok && nd.decision.Shed && priorities != nil {
		return ps.SetTargetWithPriorities(ctx, nd.nm.pod, int(a.Target.VCores), int(a.Target.MemoryMB), a.Deadline, string(nd.decision.Reason), priorities)
	}
	return r.Shedder.SetTarget(ctx, nd.nm.pod, int(a.Target.VCores), int(a.Target.MemoryMB), a.Deadline, string(nd.decision.Reason))
}

// appPriorities reads running applications' priorities once, only when the pool sheds by
// application priority and some node is shed this cycle. Without them the guarder falls
// back to its own ranking.
func (r *Reconciler) appPriorities(ctx context.Context, enm *v1alpha1.ElasticNodeManager, c *cycle, ds []nodeDecision, jobs []int) map[string]int {
	if enm.Spec.NodeSafety.ShedOrder == v1alpha1.ShedByGuarderRanking {
		return nil
	}
	if _, ok := r.Shedder.(PriorityShedder); !ok {
		return nil
	}
	lister, ok := c.rm.(AppLister)
	if !ok {
		return nil
	}
	shedding := false
	for _, i := range jobs {
		shedding = shedding || ds[i].decision.Shed
	}
	if !shedding {
		return nil
	}
	apps, err := lister.ListApps(ctx, "RUNNING")
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
