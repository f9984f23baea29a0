package nodemanager

import (
	"context"
	"errors"
	"fmt"
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
	"github.com/elasticyarn/elastic-yarn-operator/staticip"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// apply carries out the decisions. One node's failure does not stop the others; the errors
// come back together and the reconcile is retried with backoff.
func (r *Reconciler) apply(ctx context.Context, enm *v1alpha1.ElasticNodeManager, w *world, res plan.Result, now time.Time) error {
	pods := map[string]*corev1.Pod{}
	for i := range w.pods {
		pods[w.pods[i].Name] = &w.pods[i]
	}
	var errs []error
	exhausted := false
	for _, d := range res.Decisions {
		pod := pods[d.Pod]
		var err error
		switch d.Action {
		case plan.ActionCreate:
			if exhausted {
				continue
			}
			err = r.createPod(ctx, enm, d.Node)
			if errors.Is(err, staticip.ErrPoolExhausted) {
				// Another pool (or a stale cache) took the last address; the condition and
				// the PoolTooSmall Event report it, nothing to retry before a change.
				exhausted = true
				r.event(enm, nil, true, EventPoolTooSmall, "Bind", "no free StaticIP for node %s: %v", d.Node, err)
				err = nil
			}
		case plan.ActionKeep:
			err = r.keepCapacity(ctx, enm, w, pod)
		case plan.ActionStartDrain:
			err = r.startDrain(ctx, enm, w, pod, d, now)
		case plan.ActionContinueDrain:
			err = r.advanceDrain(ctx, enm, w, pod, d.Drain, now)
		case plan.ActionCancelDrain:
			err = r.cancelDrain(ctx, enm, w, pod, d)
		case plan.ActionDelete:
			err = r.deletePod(ctx, enm, pod)
		case plan.ActionWaitGone:
			err = r.releasePodFinalizer(ctx, enm, w, pod)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", d.Action, d.Node, err))
		}
	}
	return kerrors.NewAggregate(errs)
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

// releasePodFinalizer lets a terminating pod go once YARN no longer lists its node as
// active, so its StaticIP (and YARN NodeId) cannot be reused while the RM still tracks the
// old NodeManager. With the RM unreachable it waits.
func (r *Reconciler) releasePodFinalizer(ctx context.Context, enm *v1alpha1.ElasticNodeManager, w *world, pod *corev1.Pod) error {
	if pod == nil || !controllerutil.ContainsFinalizer(pod, v1alpha1.FinalizerStaticIPRelease) || w.rmErr != nil {
		return nil
	}
	if rm, _, _ := w.rmNodeOf(pod); rm.Registered {
		return nil
	}
	patch := client.MergeFrom(pod.DeepCopy())
	controllerutil.RemoveFinalizer(pod, v1alpha1.FinalizerStaticIPRelease)
	return client.IgnoreNotFound(r.Client.Patch(ctx, pod, patch))
}

// keepCapacity re-applies a Static pool's capacity when the RM shows another total.
func (r *Reconciler) keepCapacity(ctx context.Context, enm *v1alpha1.ElasticNodeManager, w *world, pod *corev1.Pod) error {
	if pod == nil || w.rm == nil {
		return nil
	}
	rm, _, _ := w.rmNodeOf(pod)
	want, drift := plan.StaticCapacityDrift(enm.Spec.Capacity, rm)
	if !drift {
		return nil
	}
	ctrl.LoggerFrom(ctx).Info("Re-applying static capacity", "pod", klog.KObj(pod), "vcores", want.VCores, "memoryMB", want.MemoryMB)
	return r.setCapacity(ctx, enm, w, pod, yarnclient.Resource{VCores: int64(want.VCores), MemoryMB: want.MemoryMB})
}
