package nodemanager

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// nodeHandler maps a node to the pools whose placement selects it. Pools that had a pod on
// a node no longer selected are woken by the pod's owner watch when it changes, and by
// the periodic resync otherwise.
func nodeHandler(c client.Reader) handler.EventHandler {
	return handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, obj client.Object) []reconcile.Request {
		var pools v1alpha1.ElasticNodeManagerList
		if err := c.List(ctx, &pools); err != nil {
			return nil
		}
		var out []reconcile.Request
		for _, p := range pools.Items {
			if labels.SelectorFromSet(p.Spec.Placement.NodeSelector).Matches(labels.Set(obj.GetLabels())) || hasPodOn(ctx, c, &p, obj.GetName()) {
				out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&p)})
			}
		}
		return out
	})
}

func hasPodOn(ctx context.Context, c client.Reader, enm *v1alpha1.ElasticNodeManager, node string) bool {
	var pods corev1.PodList
	// Read only, once per pool for every event of a node the pool does not select: no copy.
	err := c.List(ctx, &pods, client.InNamespace(enm.Namespace), client.MatchingLabels{v1alpha1.LabelPool: enm.Name}, client.UnsafeDisableDeepCopy)
	if err != nil {
		return false
	}
	for _, p := range pods.Items {
		if p.Labels[v1alpha1.LabelNode] == podspec.LabelValue(node) || p.Spec.NodeName == node {
			return true
		}
	}
	return false
}

// nodePredicates let through only what changes eligibility: creation, deletion, labels,
// cordon, taints and the Ready condition, not every status heartbeat.
func nodePredicates() builder.Predicates {
	return builder.WithPredicates(predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, ok1 := e.ObjectOld.(*corev1.Node)
			n, ok2 := e.ObjectNew.(*corev1.Node)
			if !ok1 || !ok2 {
				return true
			}
			return !equality.Semantic.DeepEqual(o.Labels, n.Labels) ||
				o.Spec.Unschedulable != n.Spec.Unschedulable ||
				!equality.Semantic.DeepEqual(o.Spec.Taints, n.Spec.Taints) ||
				nodeReady(o) != nodeReady(n)
		},
	})
}

// staticIPHandler maps a StaticIP to the pools of its namespace that select it.
func staticIPHandler(c client.Reader) handler.EventHandler {
	return handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, obj client.Object) []reconcile.Request {
		var pools v1alpha1.ElasticNodeManagerList
		if err := c.List(ctx, &pools, client.InNamespace(obj.GetNamespace())); err != nil {
			return nil
		}
		var out []reconcile.Request
		for _, p := range pools.Items {
			sel, err := metav1.LabelSelectorAsSelector(&p.Spec.StaticIPs.Selector)
			if err == nil && sel.Matches(labels.Set(obj.GetLabels())) {
				out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&p)})
			}
		}
		return out
	})
}
