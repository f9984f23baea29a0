package capacity

import (
	"context"
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// nodeManager is one resizable NM of the pool.
type nodeManager struct {
	pod     *corev1.Pod
	k8sNode string
	yarnID  string
	node    *corev1.Node // nil when the Node is gone
}

// gathered is everything one reconcile gathered.
type gathered struct {
	now     time.Time
	nms     []nodeManager
	rm      RM
	rmNodes map[string]yarnclient.Node
	// rmErr says why the RM could not be asked this cycle: only node safety acts then.
	rmErr      error
	metrics    *promquery.Result // nil when Prometheus could not be queried
	metricsErr error
	useFallbck bool
}

func (r *Reconciler) gather(ctx context.Context, enm *v1alpha1.ElasticNodeManager, s cycle.Settings, state *poolState) (*gathered, error) {
	// UTC: overcommit profiles of non-scheduled pools are in UTC (the API's contract), whatever
	// the operator's local zone.
	c := &gathered{now: r.now().UTC(), useFallbck: r.AllocatableFallback}
	var err error
	if c.nms, err = r.nodeManagers(ctx, enm, state); err != nil {
		return nil, err
	}
	// An unreachable RM is an expected outage, not a failed reconcile: the cycle goes on
	// without it (node safety still reaches the guarders) and runs again at the pool's interval.
	c.rmNodes = map[string]yarnclient.Node{}
	if c.rm, err = r.RMs.RMFor(ctx, enm); err != nil {
		c.rmErr = fmt.Errorf("RM client: %w", err)
	} else if nodes, err := c.rm.ListNodes(ctx, yarnclient.NodeRunning); err != nil {
		// Only RUNNING nodes can be resized (the RM answers 500 for inactive ones).
		c.rmErr = fmt.Errorf("listing RM nodes: %w", err)
	} else {
		for _, n := range nodes {
			c.rmNodes[n.ID] = n
		}
	}
	c.metrics, c.metricsErr = r.fetchMetrics(ctx, enm, c, s)
	if c.metrics != nil {
		promQLQueriesTotal.Add(float64(c.metrics.Queries))
	}
	rememberSamples(c, state, enm)
	return c, nil
}

// nodeManagers lists the pool's NM pods that this controller may resize: controlled by the
// pool, not deleting, not draining, with a YARN node id. The pool label alone proves nothing:
// anyone who may create pods in the namespace can set it, and a pod taken at its word would
// steer a real node's capacity and receive the pool's guarder token.
func (r *Reconciler) nodeManagers(ctx context.Context, enm *v1alpha1.ElasticNodeManager, state *poolState) ([]nodeManager, error) {
	var pods corev1.PodList
	if err := r.Client.List(ctx, &pods, client.InNamespace(enm.Namespace), client.MatchingLabels{v1alpha1.LabelPool: enm.Name}); err != nil {
		return nil, fmt.Errorf("listing NodeManager pods: %w", err)
	}
	var nms []nodeManager
	for i := range pods.Items {
		pod := &pods.Items[i]
		if !metav1.IsControlledBy(pod, enm) {
			r.reportUnowned(ctx, enm, pod, state)
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
		switch err := r.Client.Get(ctx, client.ObjectKey{Name: nodeName}, &node); {
		case err == nil:
			nm.node = &node
		case !apierrors.IsNotFound(err):
			return nil, fmt.Errorf("getting node %s: %w", nodeName, err)
		}
		nms = append(nms, nm)
	}
	sort.Slice(nms, func(i, j int) bool { return nms[i].yarnID < nms[j].yarnID })
	return nms, nil
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

// reportUnowned records, once per pod, that a pod claims the pool without belonging to it.
func (r *Reconciler) reportUnowned(ctx context.Context, enm *v1alpha1.ElasticNodeManager, pod *corev1.Pod, state *poolState) {
	if state.reported[pod.UID] {
		return
	}
	state.reported[pod.UID] = true
	unownedPodsTotal.Inc()
	log.FromContext(ctx).Info("Ignoring a pod that claims the pool without being controlled by it", "pod", klog.KObj(pod))
	if r.Recorder != nil {
		r.Recorder.Eventf(enm, pod, corev1.EventTypeWarning, EventUnownedPodIgnored, "Ignore",
			"pod %s carries the pool label but is not controlled by the pool: ignored", pod.Name)
	}
}

func (r *Reconciler) fetchMetrics(ctx context.Context, enm *v1alpha1.ElasticNodeManager, c *gathered, s cycle.Settings) (*promquery.Result, error) {
	if len(c.nms) == 0 {
		return &promquery.Result{Nodes: map[string]*promquery.NodeResult{}}, nil
	}
	sourceFor := r.MetricsFor
	if sourceFor == nil {
		r.MetricsFor = NewMetricsSources()
		sourceFor = r.MetricsFor
	}
	src, err := sourceFor(enm.Spec.Capacity.Dynamic.PrometheusURL)
	if err != nil {
		return nil, err
	}
	ps := s.Policy
	req := promquery.Request{
		At: c.now, Window: s.Window, CPUMetric: s.CPUMetric,
		Statistics: []v1alpha1.Statistic{ps.Statistic}, QuantilePercent: ps.QuantilePercent,
		// Look back past shrinkToFloorAfter so a node that long silent still has an age.
		FreshnessLookback: ps.ShrinkToFloorAfter + s.Window,
	}
	if ps.Safety.Enabled {
		req.SafetySustained = ps.Safety.ShedAfter
	}
	for _, nm := range c.nms {
		req.Nodes = append(req.Nodes, nm.k8sNode)
	}
	res, err := src.Fetch(ctx, req)
	if err != nil {
		log.FromContext(ctx).Info("Prometheus query failed; nodes age from their last known sample", "error", err.Error())
		if res != nil {
			promQLQueriesTotal.Add(float64(res.Queries))
		}
		return nil, err
	}
	return res, nil
}

// rememberSamples keeps each node's newest sample time for cycles without Prometheus, and
// notes when an outage began. An outage that began before this process started is recovered
// from the pool's MetricsFresh condition (False/PrometheusUnavailable since its transition),
// so an operator that restarts, or crash-loops, during a long outage still reaches the floor.
func rememberSamples(c *gathered, state *poolState, enm *v1alpha1.ElasticNodeManager) {
	if c.metrics == nil {
		if state.outageSince.IsZero() {
			state.outageSince = outageStart(enm, c.now)
		}
		return
	}
	state.outageSince = time.Time{}
	for node, res := range c.metrics.Nodes {
		if !res.NewestSample.IsZero() {
			state.lastSample[node] = res.NewestSample
		}
	}
}
