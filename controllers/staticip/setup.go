package staticip

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticip"
)

// ControllerName names the controller in logs and metrics.
const ControllerName = "staticip"

// SetupWithManager registers the controller. Fields left empty are filled from the manager:
// Client, APIReader and Recorder.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	if r.Client == nil {
		r.Client = mgr.GetClient()
	}
	if r.APIReader == nil {
		r.APIReader = mgr.GetAPIReader()
	}
	if r.Recorder == nil {
		r.Recorder = mgr.GetEventRecorder(ControllerName)
	}
	return ctrl.NewControllerManagedBy(mgr).
		Named(ControllerName).
		For(&v1alpha1.StaticIP{}).
		// Another StaticIP with the same address appearing or going changes who is a duplicate.
		Watches(&v1alpha1.StaticIP{}, handler.EnqueueRequestsFromMapFunc(r.sameAddress)).
		// A pod holding an address came or went: adopt its UID or consider a release.
		Watches(&corev1.Pod{}, handler.EnqueueRequestsFromMapFunc(claimedStaticIP)).
		// A pool's selector or Kerberos settings changed which keytab checks apply.
		Watches(&v1alpha1.ElasticNodeManager{}, handler.EnqueueRequestsFromMapFunc(r.selectedBy)).
		Complete(r)
}

func (r *Reconciler) sameAddress(ctx context.Context, obj client.Object) []reconcile.Request {
	sip, ok := obj.(*v1alpha1.StaticIP)
	if !ok {
		return nil
	}
	var all v1alpha1.StaticIPList
	if err := r.Client.List(ctx, &all); err != nil {
		return nil
	}
	var out []reconcile.Request
	for i := range all.Items {
		other := &all.Items[i]
		if other.UID != sip.UID && staticip.SameAddress(other.Spec.Address, sip.Spec.Address) {
			out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(other)})
		}
	}
	return out
}

// claimedStaticIP maps a NodeManager pod to the StaticIP named in its label (the Binder's
// contract with the NodeManager controller).
func claimedStaticIP(_ context.Context, obj client.Object) []reconcile.Request {
	name := obj.GetLabels()[v1alpha1.LabelStaticIP]
	if name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: obj.GetNamespace(), Name: name}}}
}

func (r *Reconciler) selectedBy(ctx context.Context, obj client.Object) []reconcile.Request {
	enm, ok := obj.(*v1alpha1.ElasticNodeManager)
	if !ok {
		return nil
	}
	var list v1alpha1.StaticIPList
	if err := r.Client.List(ctx, &list, client.InNamespace(enm.Namespace)); err != nil {
		return nil
	}
	var out []reconcile.Request
	for i := range list.Items {
		// Every StaticIP of the namespace, not only matching ones: one that stopped matching
		// must drop its KeytabValid condition.
		out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&list.Items[i])})
	}
	return out
}
