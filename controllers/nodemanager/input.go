package nodemanager

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

// Decommission defaults, the same as the CRD's.
const (
	defaultDrainTimeout = time.Hour
	defaultShedAfter    = 30 * time.Minute
)

func drainPolicy(enm *v1alpha1.ElasticNodeManager) plan.DrainPolicy {
	p := plan.DrainPolicy{Strategy: enm.Spec.Decommission.Strategy, ShedAfter: defaultShedAfter}
	if p.Strategy == "" {
		p.Strategy = v1alpha1.DecommissionDrain
	}
	if s := enm.Spec.Decommission.ShedAfter; s != nil {
		p.ShedAfter = s.Duration
	}
	return p
}

func drainTimeout(enm *v1alpha1.ElasticNodeManager) time.Duration {
	if t := enm.Spec.Decommission.Timeout; t != nil {
		return t.Duration
	}
	return defaultDrainTimeout
}

// planInput turns the gathered data into the plan's plain input.
func (r *Reconciler) planInput(enm *v1alpha1.ElasticNodeManager, g *gathered, d plan.Demand, now time.Time) plan.Input {
	sticky := make(map[string]bool, len(g.sips))
	free := 0
	requireKeytab := enm.Spec.YARN.Kerberos != nil
	for i := range g.sips {
		sip := &g.sips[i]
		if sip.Status.LastNodeName != "" {
			sticky[sip.Status.LastNodeName] = true
		}
		if staticippolicy.Usable(sip, requireKeytab) {
			free++
		}
	}
	in := plan.Input{
		Now:              now,
		Demand:           d,
		NodeExists:       func(n string) bool { return g.nodeExists[n] },
		MaxNodes:         -1,
		FreeStaticIPs:    free,
		NewDrainDeadline: plan.DrainDeadline(enm.Spec.Mode, d, drainTimeout(enm), now),
		Drain:            drainPolicy(enm),
		RMReachable:      g.rmErr == nil,
		Capacity:         enm.Spec.Capacity,
		Nodes:            make([]plan.Node, 0, len(g.nodes)),
		Pods:             make([]plan.Pod, 0, len(g.pods)),
	}
	if m := enm.Spec.Placement.MaxNodes; m != nil {
		in.MaxNodes = *m
	}
	if in.Drain.Strategy == v1alpha1.DecommissionYarnGraceful {
		ex := &plan.ExcludeFileInput{Latest: g.exclude, PoolHosts: make([]string, 0, len(g.sips))}
		for i := range g.sips {
			ex.PoolHosts = append(ex.PoolHosts, g.sips[i].Spec.FQDN)
		}
		in.ExcludeFile = ex
	}
	if l := enm.Spec.YARN.NodeLabel; l != nil && g.rmLabelsRead {
		in.NodeLabel = &plan.NodeLabelInput{Name: l.Name, Exclusive: l.Exclusive}
		for _, have := range g.rmLabels {
			in.NodeLabel.Exists = in.NodeLabel.Exists || have.Name == l.Name
		}
	}
	for i := range g.nodes {
		n := &g.nodes[i]
		in.Nodes = append(in.Nodes, plan.Node{
			Name: n.Name, Ready: nodeReady(n), Schedulable: nodeSchedulable(n, enm.Spec.Placement.Tolerations), Sticky: sticky[n.Name],
		})
	}
	for i := range g.pods {
		in.Pods = append(in.Pods, g.planPod(&g.pods[i]))
	}
	return in
}

func (g *gathered) planPod(pod *corev1.Pod) plan.Pod {
	rm, _, _ := g.rmNodeOf(pod)
	nodeID := pod.Annotations[v1alpha1.AnnotationYARNNodeID]
	host, _, _ := cutPort(nodeID)
	return plan.Pod{
		Name:        pod.Name,
		Node:        podspec.NodeOf(pod),
		Terminating: pod.DeletionTimestamp != nil,
		Dead:        pod.Status.Phase == corev1.PodFailed || pod.Status.Phase == corev1.PodSucceeded,
		// An empty phase is a pod the kubelet has not reported on yet: nothing started.
		NeverStarted:           pod.Status.Phase == corev1.PodPending || pod.Status.Phase == "",
		Drain:                  drainStateOf(pod, g),
		RM:                     rm,
		Replace:                replaceRequested(pod) || g.staticIPLeaving(pod),
		NodeID:                 nodeID,
		YARNHost:               host,
		HoldsStaticIPFinalizer: controllerutil.ContainsFinalizer(pod, v1alpha1.FinalizerStaticIPRelease),
	}
}
