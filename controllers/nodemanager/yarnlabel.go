package nodemanager

import (
	"context"

	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// ensureYARNLabels creates the pool's partition when it is missing (with its exclusivity)
// and puts every registered NodeManager the pool keeps into it. RM writes happen only on a
// difference. Failures are logged and retried at the next reconcile: a missing label keeps
// work off a node, it never overloads one.
func (r *Reconciler) ensureYARNLabels(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, res plan.Result) {
	spec := enm.Spec.YARN.NodeLabel
	if spec == nil || g.rm == nil {
		return
	}
	log := ctrl.LoggerFrom(ctx)
	ctx, cancel := context.WithTimeout(ctx, r.rmTimeout())
	defer cancel()
	labels, err := g.rm.ListNodeLabels(ctx)
	if err != nil {
		log.Info("Cannot list YARN node labels", "error", err.Error())
		return
	}
	if !hasLabel(labels, spec.Name) {
		if err := g.rm.AddNodeLabels(ctx, yarnclient.NodeLabel{Name: spec.Name, Exclusive: spec.Exclusive}); err != nil {
			log.Info("Cannot create the YARN node label", "label", spec.Name, "error", err.Error())
			return
		}
		r.event(enm, nil, false, EventNodeLabelCreated, "Label", "YARN node label %s created (exclusive %t)", spec.Name, spec.Exclusive)
	}
	keep := map[string]bool{}
	for _, d := range res.Decisions {
		if d.Action == plan.ActionKeep || d.Action == plan.ActionCancelDrain {
			keep[d.Pod] = true
		}
	}
	for i := range g.pods {
		pod := &g.pods[i]
		if !keep[pod.Name] {
			continue
		}
		rm, node, known := g.rmNodeOf(pod)
		if !known || !rm.Registered || (len(node.NodeLabels) == 1 && node.NodeLabels[0] == spec.Name) {
			continue
		}
		if err := g.rm.ReplaceNodeLabels(ctx, node.ID, spec.Name); err != nil {
			log.Info("Cannot label the YARN node", "pod", klog.KObj(pod), "nodeId", node.ID, "error", err.Error())
		}
	}
}

func hasLabel(labels []yarnclient.NodeLabel, name string) bool {
	for _, l := range labels {
		if l.Name == name {
			return true
		}
	}
	return false
}
