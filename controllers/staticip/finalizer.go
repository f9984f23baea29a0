package staticip

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// wantsBindingFinalizer: a StaticIP carries FinalizerStaticIPBinding exactly while it is
// bound. Deleting a bound one then waits: the NodeManager controller drains and deletes the
// pod whose StaticIP is going, the binding is released once YARN no longer lists the node,
// and the finalizer goes with the binding.
func wantsBindingFinalizer(sip *v1alpha1.StaticIP) bool { return sip.Status.Binding != nil }

// syncBindingFinalizer adds or removes the finalizer to match the binding. The patch carries
// the resourceVersion it was decided from: a binding the Binder wrote meanwhile makes it
// conflict instead of losing the finalizer, and the newer version queues another reconcile.
func (r *Reconciler) syncBindingFinalizer(ctx context.Context, sip *v1alpha1.StaticIP) error {
	want := wantsBindingFinalizer(sip)
	if want == controllerutil.ContainsFinalizer(sip, v1alpha1.FinalizerStaticIPBinding) {
		return nil
	}
	patch := client.MergeFromWithOptions(sip.DeepCopy(), client.MergeFromWithOptimisticLock{})
	if want {
		controllerutil.AddFinalizer(sip, v1alpha1.FinalizerStaticIPBinding)
	} else {
		controllerutil.RemoveFinalizer(sip, v1alpha1.FinalizerStaticIPBinding)
	}
	err := r.Client.Patch(ctx, sip, patch)
	if apierrors.IsConflict(err) || apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("finalizer of StaticIP %s: %w", sip.Name, err)
	}
	return nil
}
