package nodemanager

import (
	"context"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
)

// reconcileDelete empties a deleted pool before its finalizer goes: with onDelete Drain
// every NodeManager drains (decommission timeout; a Scheduled pool's open window no longer
// applies), with Immediate every pod is deleted at once. The finalizer is removed once no
// pod remains and the pool holds no StaticIP.
func (r *Reconciler) reconcileDelete(ctx context.Context, enm *v1alpha1.ElasticNodeManager, now time.Time) (ctrl.Result, error) {
	if !controllerutil.ContainsFinalizer(enm, v1alpha1.FinalizerPool) {
		return ctrl.Result{}, nil
	}
	before := enm.DeepCopy()
	g, err := r.gather(ctx, enm)
	if err != nil {
		return ctrl.Result{}, err
	}
	demand := plan.Demand{WindowState: plan.WindowState{Phase: plan.PhaseClosed}}
	in := r.planInput(enm, g, demand, now)
	in.Nodes = nil // nothing new starts
	in.NewDrainDeadline = now.Add(drainTimeout(enm))
	if enm.Spec.Decommission.OnDelete == v1alpha1.DeletionImmediate {
		in.NewDrainDeadline = now
	}
	res := plan.Decide(in)
	report, applyErr := r.apply(ctx, enm, g, res, now)

	// The exclude file is cleaned before the pool goes (its Jobs are owned by the pool).
	if len(g.pods) == 0 && !holdsStaticIPs(enm, g) && !excludePending(enm, g) {
		ctrl.LoggerFrom(ctx).Info("Pool is empty; removing its finalizer")
		if err := r.releaseDisruptionBudget(ctx, enm); err != nil {
			return ctrl.Result{}, err
		}
		patch := client.MergeFrom(enm.DeepCopy())
		controllerutil.RemoveFinalizer(enm, v1alpha1.FinalizerPool)
		return ctrl.Result{}, client.IgnoreNotFound(r.Client.Patch(ctx, enm, patch))
	}
	r.setStatus(enm, g, demand, res, report, nil, true, now)
	if err := r.patchStatus(ctx, before, enm); err != nil {
		return ctrl.Result{}, err
	}
	if applyErr != nil {
		return ctrl.Result{}, applyErr
	}
	return ctrl.Result{RequeueAfter: r.requeueAfter(demand, res, g, now)}, nil
}

// excludePending: a YarnGraceful pool still has hosts in the exclude file, or its last Job
// has not finished.
func excludePending(enm *v1alpha1.ElasticNodeManager, g *gathered) bool {
	if drainPolicy(enm).Strategy != v1alpha1.DecommissionYarnGraceful || g.exclude == nil {
		return false
	}
	return !g.exclude.Finished || g.exclude.Failed || len(g.exclude.Hosts) > 0
}

// holdsStaticIPs: a StaticIP of the pool is still bound to it. Such a binding is released
// when YARN no longer lists its node; waiting for it keeps the finalizer honest.
func holdsStaticIPs(enm *v1alpha1.ElasticNodeManager, g *gathered) bool {
	for i := range g.sips {
		if b := g.sips[i].Status.Binding; b != nil && b.Pool == enm.Name {
			return true
		}
	}
	return false
}
