package nodemanager

import (
	"context"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// gathered is what one reconcile sees: plain data read once, then handed to plan. Nodes,
// pods and StaticIPs are the informer cache's own objects (listed without a deep copy), so
// no phase writes to them: apply patches a copy of the one pod it changes.
type gathered struct {
	nodes      []corev1.Node                 // matching the placement selector
	nodeExists map[string]bool               // for every node a pod was made for
	pods       []corev1.Pod                  // the pool's NodeManager pods
	unowned    []corev1.Pod                  // pods with the pool's label it does not control
	podByName  map[string]*corev1.Pod        // into pods
	sips       []v1alpha1.StaticIP           // the pool's StaticIPs
	sipByLabel map[string]*v1alpha1.StaticIP // into sips, by the pod label that claims it
	exclude    *plan.ExcludeJob              // the latest exclude-file Job (YarnGraceful)
	rm         RM                            // nil when unreachable
	rmErr      error                         // why the RM is unreachable
	rmNodes    map[string]yarnclient.Node    // by NodeId
	// rmLabels are the RM's cluster node labels, read when the pool has a partition;
	// rmLabelsRead says the read succeeded.
	rmLabels     []yarnclient.NodeLabel
	rmLabelsRead bool
}

func (r *Reconciler) gather(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (*gathered, error) {
	g := &gathered{}
	// Everything listed here is only read (apply patches copies), so it is listed without
	// the cache's deep copy: at 10,000 NodeManagers those copies were most of a reconcile's
	// garbage, and a cold start reconciles at every pod event.
	var nodes corev1.NodeList
	if err := r.Client.List(ctx, &nodes, client.MatchingLabels(enm.Spec.Placement.NodeSelector), client.UnsafeDisableDeepCopy); err != nil {
		return nil, fmt.Errorf("listing nodes: %w", err)
	}
	g.nodes = nodes.Items
	g.nodeExists = make(map[string]bool, len(nodes.Items))
	for i := range nodes.Items {
		g.nodeExists[nodes.Items[i].Name] = true
	}

	var pods corev1.PodList
	if err := r.Client.List(ctx, &pods, client.InNamespace(enm.Namespace), client.MatchingLabels{v1alpha1.LabelPool: enm.Name},
		client.UnsafeDisableDeepCopy); err != nil {
		return nil, fmt.Errorf("listing pods: %w", err)
	}
	// Owned pods are kept in place, in the listing's own array.
	g.pods = pods.Items[:0]
	for i := range pods.Items {
		if metav1.IsControlledBy(&pods.Items[i], enm) {
			g.pods = append(g.pods, pods.Items[i])
		} else {
			g.unowned = append(g.unowned, pods.Items[i])
		}
	}
	g.podByName = make(map[string]*corev1.Pod, len(g.pods))
	for i := range g.pods {
		pod := &g.pods[i]
		g.podByName[pod.Name] = pod
		node := podspec.NodeOf(pod)
		if _, known := g.nodeExists[node]; known {
			continue
		}
		var n corev1.Node
		err := r.Client.Get(ctx, client.ObjectKey{Name: node}, &n)
		switch {
		case err == nil:
			g.nodeExists[node] = true
		case apierrors.IsNotFound(err):
			g.nodeExists[node] = false
		default:
			return nil, fmt.Errorf("getting node %s: %w", node, err)
		}
	}

	sel, err := metav1.LabelSelectorAsSelector(&enm.Spec.StaticIPs.Selector)
	if err != nil {
		return nil, fmt.Errorf("staticIPs.selector: %w", err)
	}
	var sips v1alpha1.StaticIPList
	if err := r.Client.List(ctx, &sips, client.InNamespace(enm.Namespace), client.MatchingLabelsSelector{Selector: sel},
		client.UnsafeDisableDeepCopy); err != nil {
		return nil, fmt.Errorf("listing StaticIPs: %w", err)
	}
	g.sips = sips.Items
	g.sipByLabel = make(map[string]*v1alpha1.StaticIP, len(sips.Items))
	for i := range g.sips {
		if key := podspec.LabelValue(g.sips[i].Name); g.sipByLabel[key] == nil {
			g.sipByLabel[key] = &g.sips[i]
		}
	}

	if enm.Spec.Decommission.Strategy == v1alpha1.DecommissionYarnGraceful {
		var jobs batchv1.JobList
		if err := r.Client.List(ctx, &jobs, client.InNamespace(enm.Namespace),
			client.MatchingLabels{v1alpha1.LabelPool: enm.Name, podspec.LabelExcludeJob: "true"}); err != nil {
			return nil, fmt.Errorf("listing jobs: %w", err)
		}
		g.exclude = latestExcludeJob(jobs.Items)
	}

	r.observeRM(ctx, enm, g)
	return g, nil
}

// observeRM reads every node from the RM in one call (bounded: one call per pool per
// reconcile). An unreachable RM is recorded, not returned: the controller still creates
// pods and reports the condition, but deletes nothing before a deadline.
func (r *Reconciler) observeRM(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered) {
	ctx, cancel := context.WithTimeout(ctx, r.rmTimeout())
	defer cancel()
	rm, err := r.RM.RMFor(ctx, enm)
	if err != nil {
		g.rmErr = err
		return
	}
	nodes, err := rm.ListNodes(ctx)
	if err != nil {
		g.rmErr = err
		return
	}
	g.rm = rm
	g.rmNodes = make(map[string]yarnclient.Node, len(nodes))
	for _, n := range nodes {
		g.rmNodes[n.ID] = n
	}
	if enm.Spec.YARN.NodeLabel == nil {
		return
	}
	// A failure here only delays labels (see plan.LabelDecision): it is logged, not returned.
	if g.rmLabels, err = rm.ListNodeLabels(ctx); err != nil {
		ctrl.LoggerFrom(ctx).Info("Cannot list YARN node labels", "error", err.Error())
		return
	}
	g.rmLabelsRead = true
}

// rmNodeOf is the plan's view of the pod's YARN node.
func (g *gathered) rmNodeOf(pod *corev1.Pod) (plan.RMNode, yarnclient.Node, bool) {
	n, ok := g.rmNodes[pod.Annotations[v1alpha1.AnnotationYARNNodeID]]
	if !ok {
		return plan.RMNode{}, n, false
	}
	return planRMNode(n), n, true
}

// planRMNode maps the RM's answer for a listed node to the plan's evidence.
func planRMNode(n yarnclient.Node) plan.RMNode {
	out := plan.RMNode{
		Registered:      staticippolicy.IsActiveNodeState(string(n.State)),
		Left:            n.State == yarnclient.NodeDecommissioned || n.State == yarnclient.NodeShutdown,
		Decommissioning: n.State == yarnclient.NodeDecommissioning,
		NumContainers:   n.NumContainers,
		Labels:          n.NodeLabels,
	}
	if n.TotalResource != nil {
		out.HasTotal = true
		out.TotalVCores, out.TotalMemoryMB = n.TotalResource.VCores, n.TotalResource.MemoryMB
	}
	return out
}

// drainStateOf reads a drain from the pod's annotations; nil when the pod is not draining
// (or the annotations are unreadable, which restarts the drain rather than guessing).
func drainStateOf(pod *corev1.Pod, g *gathered) *plan.DrainState {
	if _, draining := pod.Annotations[v1alpha1.AnnotationDrainStarted]; !draining {
		return nil // the common case, without time.Parse's error for ""
	}
	started, err1 := time.Parse(time.RFC3339, pod.Annotations[v1alpha1.AnnotationDrainStarted])
	deadline, err2 := time.Parse(time.RFC3339, pod.Annotations[v1alpha1.AnnotationDrainDeadline])
	if err1 != nil || err2 != nil {
		return nil
	}
	_, shed := pod.Annotations[v1alpha1.AnnotationShedRequested]
	host, _, _ := cutPort(pod.Annotations[v1alpha1.AnnotationYARNNodeID])
	return &plan.DrainState{
		Started: started, Deadline: deadline, ShedRequested: shed,
		ExcludeRequested: g.exclude.Excluded(host),
	}
}

// latestExcludeJob is the newest exclude Job: it says what the file holds for the pool.
func latestExcludeJob(jobs []batchv1.Job) *plan.ExcludeJob {
	var latest *batchv1.Job
	for i := range jobs {
		j := &jobs[i]
		if latest == nil || podspec.ExcludeJobSeq(latest) < podspec.ExcludeJobSeq(j) {
			latest = j
		}
	}
	if latest == nil {
		return nil
	}
	out := &plan.ExcludeJob{Seq: podspec.ExcludeJobSeq(latest), Hosts: podspec.ExcludedHosts(latest)}
	for _, c := range latest.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			out.Finished, out.FinishedAt = true, c.LastTransitionTime.Time
		case batchv1.JobFailed:
			out.Finished, out.Failed, out.FinishedAt = true, true, c.LastTransitionTime.Time
		}
	}
	return out
}

// nodeReady and nodeSchedulable decide whether a new NodeManager may start on a node: Ready,
// not cordoned, and no NoSchedule/NoExecute taint the pool does not tolerate.
func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func nodeSchedulable(n *corev1.Node, tolerations []corev1.Toleration) bool {
	if n.Spec.Unschedulable {
		return false
	}
	for i := range n.Spec.Taints {
		t := &n.Spec.Taints[i]
		if t.Effect == corev1.TaintEffectPreferNoSchedule {
			continue
		}
		tolerated := false
		for j := range tolerations {
			if tolerations[j].ToleratesTaint(klog.Background(), t, false) {
				tolerated = true
				break
			}
		}
		if !tolerated {
			return false
		}
	}
	return true
}
