package nodemanager

import (
	"context"
	"fmt"
	"math"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Why a PodDisruptionBudget: the Eviction API (kubectl drain, the cluster autoscaler,
// descheduler) checks budgets and then deletes the pod internally, without DELETE admission,
// so the deletion guard (config/admission) never sees an eviction. A budget that allows no
// disruption at all makes every eviction of a running NodeManager answer 429; kubectl drain
// retries, the cordon it made first makes the operator drain the NodeManager gracefully and
// delete its pod, and the retry then finds the pod gone. See docs/development.md.

// DisruptionBudgetName is the name of the pool's PodDisruptionBudget.
func DisruptionBudgetName(pool string) string { return pool + "-nodemanagers" }

// desiredDisruptionBudget is the pool's budget: no voluntary disruption of its pods, ever;
// the operator removes them itself after a drain. It says so with an integer minAvailable
// larger than any pool: for maxUnavailable or a percentage the disruption controller needs the
// pods' controller to have a scale subresource (an ElasticNodeManager has none, so the budget
// would never sync), for an integer it counts the pods. An unready NodeManager may still run
// containers, so IfHealthyBudget (not AlwaysAllow) keeps it from being evicted too.
func desiredDisruptionBudget(enm *v1alpha1.ElasticNodeManager) *policyv1.PodDisruptionBudget {
	never := intstr.FromInt32(math.MaxInt32)
	policy := policyv1.IfHealthyBudget
	isController, block := true, true
	return &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{
			Name: DisruptionBudgetName(enm.Name), Namespace: enm.Namespace,
			Labels:     map[string]string{v1alpha1.LabelPool: enm.Name},
			Finalizers: []string{v1alpha1.FinalizerPool},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: v1alpha1.GroupVersion.String(), Kind: "ElasticNodeManager",
				Name: enm.Name, UID: enm.UID, Controller: &isController, BlockOwnerDeletion: &block,
			}},
		},
		Spec: policyv1.PodDisruptionBudgetSpec{
			MinAvailable:               &never,
			Selector:                   &metav1.LabelSelector{MatchLabels: map[string]string{v1alpha1.LabelPool: enm.Name}},
			UnhealthyPodEvictionPolicy: &policy,
		},
	}
}

// ensureDisruptionBudget creates the pool's budget or puts its spec back. A budget someone
// deleted is let go (its finalizer removed) and made again on the next reconcile.
func (r *Reconciler) ensureDisruptionBudget(ctx context.Context, enm *v1alpha1.ElasticNodeManager) error {
	want := desiredDisruptionBudget(enm)
	var got policyv1.PodDisruptionBudget
	err := r.Client.Get(ctx, client.ObjectKeyFromObject(want), &got)
	switch {
	case apierrors.IsNotFound(err):
		if err := r.Client.Create(ctx, want); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating PodDisruptionBudget %s: %w", want.Name, err)
		}
		ctrl.LoggerFrom(ctx).Info("Created the pool's PodDisruptionBudget", "podDisruptionBudget", klog.KObj(want))
		return nil
	case err != nil:
		return err
	case !metav1.IsControlledBy(&got, enm):
		return fmt.Errorf("PodDisruptionBudget %s exists and does not belong to the pool; evictions of its NodeManagers are not blocked", want.Name)
	case got.DeletionTimestamp != nil:
		return r.releaseDisruptionBudget(ctx, enm)
	case !equality.Semantic.DeepEqual(got.Spec, want.Spec):
		patch := client.MergeFrom(got.DeepCopy())
		got.Spec = want.Spec
		return r.Client.Patch(ctx, &got, patch)
	}
	return nil
}

// releaseDisruptionBudget removes the operator's finalizer from the pool's budget, so the
// garbage collector (or a deletion already under way) can take it.
func (r *Reconciler) releaseDisruptionBudget(ctx context.Context, enm *v1alpha1.ElasticNodeManager) error {
	var got policyv1.PodDisruptionBudget
	err := r.Client.Get(ctx, client.ObjectKey{Namespace: enm.Namespace, Name: DisruptionBudgetName(enm.Name)}, &got)
	if err != nil || !controllerutil.ContainsFinalizer(&got, v1alpha1.FinalizerPool) {
		return client.IgnoreNotFound(err)
	}
	patch := client.MergeFrom(got.DeepCopy())
	controllerutil.RemoveFinalizer(&got, v1alpha1.FinalizerPool)
	return client.IgnoreNotFound(r.Client.Patch(ctx, &got, patch))
}

// replaceRequested: someone asked for the pod to be drained and started again.
func replaceRequested(pod *corev1.Pod) bool {
	_, ok := pod.Annotations[v1alpha1.AnnotationDrainRequested]
	return ok
}

// staticIPLeaving: the pod's StaticIP is being deleted; its finalizer holds it until the pod
// has drained and gone, and the node then gets a new pod with another address.
func (g *gathered) staticIPLeaving(pod *corev1.Pod) bool {
	sip := g.staticIPOf(pod)
	return sip != nil && sip.DeletionTimestamp != nil
}
