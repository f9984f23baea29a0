package capacity

import (
	"context"
	"errors"
	"fmt"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmwrites"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

const defaultMaxConcurrentCalls = 16

// outcome is what carrying out one cycle's plan did, for status, metrics and the Event.
type outcome struct {
	// results[k] is what p.Jobs[k] achieved (cycle.Plan.Commit turns them into the next state).
	results []cycle.Result
	// offered is what the RM advertises after this cycle, per YARN node id.
	offered map[string]policy.Resources
}

// apply carries out the plan's jobs, nodes in parallel, each node's actions in their policy
// order. It changes neither the plan nor the pool's state: what each job achieved comes back
// in the outcome.
func (r *Reconciler) apply(ctx context.Context, enm *v1alpha1.ElasticNodeManager, c *gathered, p cycle.Plan) outcome {
	out := outcome{results: make([]cycle.Result, len(p.Jobs))}
	rmWritesDeferredTotal.Add(float64(p.Deferred))

	priorities := r.appPriorities(ctx, enm, c, p)
	var mu sync.Mutex
	r.parallel(ctx, len(p.Jobs), func(ctx context.Context, k int) {
		i := p.Jobs[k]
		n, nm := p.Nodes[i], c.nms[i]
		sentOnly, err := r.execute(ctx, c.rm, nm, n, priorities)
		mu.Lock()
		defer mu.Unlock()
		if errors.Is(err, errDrainStarted) {
			log.FromContext(ctx).V(1).Info("resize skipped: the drain owns the node now", "yarnNode", nm.yarnID, "pod", nm.pod.Name)
			return
		}
		if err != nil {
			// The previous target stays: the next cycle decides again from what the RM shows.
			out.results[k] = cycle.Result{Err: err}
			log.FromContext(ctx).Info("resize failed", "yarnNode", nm.yarnID, "pod", nm.pod.Name, "error", err.Error())
			return
		}
		out.results[k] = cycle.Result{Done: true, SentOnly: sentOnly}
		if n.Decision.WritesRM() {
			resizesTotal.WithLabelValues(string(n.Decision.Direction), string(n.Decision.Reason)).Inc()
		}
	})
	out.offered = p.Offered(out.results)
	return out
}

// execute runs one node's actions in order and stops at the first failure, so the guarder
// is never asked to shed for a shrink the RM did not take. The whole node is handled under
// its write lock, after re-reading the pod: once a drain has started, the drain decides both
// the node's RM size and its guarder target (see rmwrites). sentOnly reports an RM write the
// RM has not confirmed yet (see resize).
func (r *Reconciler) execute(ctx context.Context, rm RM, nm nodeManager, n cycle.Node, priorities map[string]int) (sentOnly bool, err error) {
	unlock := r.rmWrites().Lock(nm.yarnID)
	defer unlock()
	if err := r.stillResizable(ctx, nm.pod); err != nil {
		return false, err
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
			if err := r.setTarget(ctx, nm, n.Decision, a, priorities); err != nil {
				return false, fmt.Errorf("guarder target %d vcores / %d MB: %w", a.Target.VCores, a.Target.MemoryMB, err)
			}
		}
	}
	return sentOnly, nil
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

func (r *Reconciler) setTarget(ctx context.Context, nm nodeManager, d policy.Decision, a policy.Action, priorities map[string]int) error {
	if ps, ok := r.Shedder.(PriorityShedder); ok && d.Shed && priorities != nil {
		return ps.SetTargetWithPriorities(ctx, nm.pod, int(a.Target.VCores), int(a.Target.MemoryMB), a.Deadline, string(d.Reason), priorities)
	}
	return r.Shedder.SetTarget(ctx, nm.pod, int(a.Target.VCores), int(a.Target.MemoryMB), a.Deadline, string(d.Reason))
}

// appPriorities reads running applications' priorities once, only when the pool sheds by
// application priority and some node is shed this cycle. Without them the guarder falls
// back to its own ranking.
func (r *Reconciler) appPriorities(ctx context.Context, enm *v1alpha1.ElasticNodeManager, c *gathered, p cycle.Plan) map[string]int {
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
	for _, i := range p.Jobs {
		shedding = shedding || p.Nodes[i].Decision.Shed
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
