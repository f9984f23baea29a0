package nodemanager

import (
	"context"

	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// writeYARNLabels creates the pool's partition when the plan says the RM lacks it, then puts
// the plan's nodes into it. Failures are logged and retried at the next reconcile: a missing
// label keeps work off a node, it never overloads one.
func (r *Reconciler) writeYARNLabels(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, dec plan.LabelDecision) {
	if g.rm == nil || (!dec.Create && len(dec.Relabel) == 0) {
		return
	}
	log := ctrl.LoggerFrom(ctx)
	ctx, cancel := context.WithTimeout(ctx, r.rmTimeout())
	defer cancel()
	if dec.Create {
		if err := g.rm.AddNodeLabels(ctx, yarnclient.NodeLabel{Name: dec.Name, Exclusive: dec.Exclusive}); err != nil {
			log.Info("Cannot create the YARN node label", "label", dec.Name, "error", err.Error())
			return
		}
		r.event(enm, nil, false, EventNodeLabelCreated, "Label", "YARN node label %s created (exclusive %t)", dec.Name, dec.Exclusive)
	}
	for _, id := range dec.Relabel {
		if err := g.rm.ReplaceNodeLabels(ctx, id, dec.Name); err != nil {
			log.Info("Cannot label the YARN node", "nodeId", id, "error", err.Error())
		}
	}
}
