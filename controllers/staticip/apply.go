package staticip

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/klog/v2"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// apply patches the status when it changed, then emits the Events. Every patch carries a
// resourceVersion precondition: status is decided from a cached read, and a merge patch
// without it could set a phase or conditions over a binding the Binder wrote meanwhile. A
// conflict is not an error: the newer version queues another reconcile.
func (r *Reconciler) apply(ctx context.Context, sip *v1alpha1.StaticIP, out outcome) error {
	log := logf.FromContext(ctx).WithValues("staticIP", klog.KObj(sip))
	if equality.Semantic.DeepEqual(sip.Status, out.status) {
		return nil
	}
	patch := client.MergeFromWithOptions(sip.DeepCopy(), client.MergeFromWithOptimisticLock{})
	sip.Status = out.status
	if err := r.Client.Status().Patch(ctx, sip, patch); err != nil {
		if apierrors.IsConflict(err) || apierrors.IsNotFound(err) {
			log.V(1).Info("StaticIP changed meanwhile; will look again", "error", err.Error())
			return nil
		}
		return fmt.Errorf("patching status of StaticIP %s: %w", sip.Name, err)
	}
	for _, e := range out.events {
		log.Info("StaticIP transition", "reason", e.Reason, "phase", sip.Status.Phase)
		if r.Recorder != nil {
			r.Recorder.Eventf(sip, nil, e.Type, e.Reason, "Reconcile", "%s", e.Note)
		}
	}
	return nil
}
