package nodemanager

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	kerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// applyReport is what apply changed that status reports: the pods whose drain annotations
// it set (true) or removed (false). Status counts from these and the gathered pods, which
// apply leaves as they were read.
type applyReport struct {
	drainRecorded map[string]bool
}

// draining: the pod drains after apply (its annotations as read, or as apply changed them).
func (a applyReport) draining(pod *corev1.Pod, g *gathered) bool {
	if v, changed := a.drainRecorded[pod.Name]; changed {
		return v
	}
	return drainStateOf(pod, g) != nil
}

func (a *applyReport) recordDrain(pod string, draining bool) {
	if a.drainRecorded == nil {
		a.drainRecorded = map[string]bool{}
	}
	a.drainRecorded[pod] = draining
}

// apply carries out the decisions: the pods, then what follows from them, the exclude file
// (YarnGraceful) and the YARN partition. It decides nothing and changes neither g nor res.
// One node's failure does not stop the others; the errors come back together and the
// reconcile is retried with backoff. StaticIPs of pods that are gone are released by the
// StaticIP controller alone (one writer, docs/development.md).
func (r *Reconciler) apply(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, res plan.Result, now time.Time) (applyReport, error) {
	var report applyReport
	var errs []error
	var creates []string
	reported := reportedUnownedSlot.Get(r.memory(enm))
	reported.keepOnly(g.unowned)
	for i := range g.unowned {
		r.reportUnowned(ctx, enm, reported, &g.unowned[i])
	}
	for _, d := range res.Decisions {
		pod := g.podByName[d.Pod]
		var err error
		switch d.Action {
		case plan.ActionCreate:
			creates = append(creates, d.Node)
		case plan.ActionKeep:
			err = r.keepCapacity(ctx, enm, g, pod, d)
		case plan.ActionStartDrain:
			err = r.startDrain(ctx, enm, g, pod, d, now, &report)
		case plan.ActionContinueDrain:
			err = r.advanceDrain(ctx, enm, g, pod, d.Drain, now)
		case plan.ActionCancelDrain:
			err = r.cancelDrain(ctx, enm, g, pod, d, &report)
		case plan.ActionDelete:
			err = r.deletePod(ctx, enm, pod)
		case plan.ActionWaitGone:
			err = r.releasePodFinalizer(ctx, pod, d)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", d.Action, d.Node, err))
		}
	}
	errs = append(errs, r.createPods(ctx, enm, creates)...)
	errs = append(errs, r.createExcludeJob(ctx, enm, res.Exclude))
	r.writeYARNLabels(ctx, enm, g, res.Labels)
	return report, kerrors.NewAggregate(errs)
}

// DefaultCreateWorkers bounds the pod creations of one reconcile in flight at once.
//
// The operator's client has no client-side rate limit (controller-runtime's GetConfig sets
// QPS -1 and leaves fairness to the apiserver), so this bound is what keeps a cold start of
// thousands of pods polite. Under the apiserver's default API Priority and Fairness
// configuration (k8s.io/apiserver pkg/apis/flowcontrol/bootstrap/default.go) the operator's
// ServiceAccount matches the "service-accounts" FlowSchema, one flow per user, at the
// "workload-low" priority level: 100 of 245 nominal shares, so 245 of the default 600 seats
// (--max-requests-inflight 400 + --max-mutating-requests-inflight 200), shared with every
// other ServiceAccount client outside kube-system; 128 queues, a hand of 6 per flow, 50
// requests per queue. 8 workers in each of --max-concurrent-reconciles (4) reconciles put at
// most 32 creates in flight: 13 % of workload-low's seats, and far below the 6 x 50 = 300
// requests one flow can queue before the apiserver answers 429. Each worker binds a StaticIP
// before it creates; the Binder writes up to 8 binds of one pool at once (its own bound), so
// every worker's bind and create overlap the others'. Measured in docs/benchmarks.md ("Scale").
const DefaultCreateWorkers = 8

// createPods creates the pods of nodes on up to CreateWorkers goroutines. One node's
// failure does not stop the others; once the pool has no free StaticIP the rest wait for a
// change (the PoolTooSmall Event is recorded once).
func (r *Reconciler) createPods(ctx context.Context, enm *v1alpha1.ElasticNodeManager, nodes []string) []error {
	workers := r.CreateWorkers
	if workers <= 0 {
		workers = DefaultCreateWorkers
	}
	var (
		mu        sync.Mutex
		errs      []error
		exhausted atomic.Bool
		wg        sync.WaitGroup
	)
	next := make(chan string)
	for range min(workers, len(nodes)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for node := range next {
				if exhausted.Load() {
					continue
				}
				err := r.createPod(ctx, enm, node)
				if errors.Is(err, staticippolicy.ErrPoolExhausted) {
					// Another pool (or a stale cache) took the last address; the condition and
					// the PoolTooSmall Event report it, nothing to retry before a change.
					if !exhausted.Swap(true) {
						r.event(enm, nil, true, EventPoolTooSmall, "Bind", "no free StaticIP for node %s: %v", node, err)
					}
					continue
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s %s: %w", plan.ActionCreate, node, err))
					mu.Unlock()
				}
			}
		}()
	}
	for _, node := range nodes {
		next <- node
	}
	close(next)
	wg.Wait()
	return errs
}

func (r *Reconciler) createPod(ctx context.Context, enm *v1alpha1.ElasticNodeManager, node string) error {
	name := podspec.PodName(enm.Name, node)
	sip, err := r.Binder.Bind(ctx, enm, node, name)
	if err != nil {
		return err
	}
	pod := podspec.Build(enm, node, sip, r.PodOptions)
	pod.Annotations[v1alpha1.AnnotationPodSpecHash] = podSpecHash(pod)
	if err := r.Client.Create(ctx, pod); err != nil {
		if apierrors.IsAlreadyExists(err) {
			return nil // a cache behind our last create; the name makes it idempotent
		}
		r.event(enm, nil, true, EventCreateFailed, "Create", "creating NodeManager pod %s on node %s: %v", name, node, err)
		return err
	}
	ctrl.LoggerFrom(ctx).Info("Created NodeManager pod", "pod", klog.KObj(pod), "node", node, "staticIP", sip.Name)
	r.event(enm, pod, false, EventNodeManagerCreated, "Create", "NodeManager %s on node %s as %s", name, node, sip.Spec.FQDN)
	return nil
}

func (r *Reconciler) deletePod(ctx context.Context, enm *v1alpha1.ElasticNodeManager, pod *corev1.Pod) error {
	if pod == nil {
		return nil
	}
	uid := pod.UID
	if err := r.Client.Delete(ctx, pod, client.Preconditions{UID: &uid}); client.IgnoreNotFound(err) != nil {
		return err
	}
	ctrl.LoggerFrom(ctx).Info("Deleted NodeManager pod", "pod", klog.KObj(pod), "node", podspec.NodeOf(pod))
	r.event(enm, pod, false, EventNodeManagerDeleted, "Delete", "NodeManager %s on node %s deleted", pod.Name, podspec.NodeOf(pod))
	return nil
}

// releasePodFinalizer lets a terminating pod go when the plan says YARN no longer lists its
// node (plan.Decision.ReleaseStaticIP).
func (r *Reconciler) releasePodFinalizer(ctx context.Context, cached *corev1.Pod, d plan.Decision) error {
	if cached == nil || !d.ReleaseStaticIP {
		return nil
	}
	pod := cached.DeepCopy() // never the cache's own object
	controllerutil.RemoveFinalizer(pod, v1alpha1.FinalizerStaticIPRelease)
	return client.IgnoreNotFound(r.Client.Patch(ctx, pod, client.MergeFrom(cached)))
}

// keepCapacity re-applies a Static pool's capacity the RM forgot (plan.Decision.SetCapacity).
func (r *Reconciler) keepCapacity(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, pod *corev1.Pod, d plan.Decision) error {
	if pod == nil || d.SetCapacity == nil {
		return nil
	}
	want := d.SetCapacity
	ctrl.LoggerFrom(ctx).Info("Re-applying static capacity", "pod", klog.KObj(pod), "vcores", want.VCores, "memoryMB", want.MemoryMB)
	return r.setCapacity(ctx, enm, g, pod, yarnclient.Resource{VCores: int64(want.VCores), MemoryMB: want.MemoryMB})
}
