package staticip

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
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
	// Duplicate detection looks StaticIPs up by address and FQDN instead of listing all.
	for name, fn := range Indexes {
		if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.StaticIP{}, name, fn); err != nil {
			return fmt.Errorf("indexing StaticIPs (%s): %w", name, err)
		}
	}
	return ctrl.NewControllerManagedBy(mgr).
		Named(ControllerName).
		For(&v1alpha1.StaticIP{}).
		// Another StaticIP with the same address or FQDN appearing or going changes who is a
		// duplicate.
		Watches(&v1alpha1.StaticIP{}, handler.EnqueueRequestsFromMapFunc(r.sameAddress)).
		// A pod holding an address came or went: adopt its UID or consider a release.
		Watches(&corev1.Pod{}, handler.EnqueueRequestsFromMapFunc(claimedStaticIP)).
		// A pool's selector or Kerberos settings changed which keytab checks apply. Only a
		// pool's spec is read here, so its status updates (every controller's, every cycle)
		// are ignored: each one queued every StaticIP of the namespace.
		Watches(&v1alpha1.ElasticNodeManager{}, handler.EnqueueRequestsFromMapFunc(r.selectedBy),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(r.MaxConcurrentReconciles, 1)}).
		Complete(r)
}

// Indexes are the StaticIP field indexes the controller's client must serve (the manager's
// cache, once SetupWithManager registered them): by normalized address and by FQDN.
var Indexes = map[string]client.IndexerFunc{addressIndex: indexAddress, fqdnIndex: indexFQDN}

// fqdnIndex indexes StaticIPs by normalized FQDN, across namespaces.
const fqdnIndex = "elasticyarn.io/fqdn"

func indexFQDN(obj client.Object) []string {
	sip, ok := obj.(*v1alpha1.StaticIP)
	if !ok {
		return nil
	}
	return []string{staticippolicy.NormalizeFQDN(sip.Spec.FQDN)}
}

// withFQDN lists the StaticIPs of every namespace that use fqdn.
func (r *Reconciler) withFQDN(ctx context.Context, fqdn string) ([]v1alpha1.StaticIP, error) {
	var list v1alpha1.StaticIPList
	if err := r.Client.List(ctx, &list, client.MatchingFields{fqdnIndex: staticippolicy.NormalizeFQDN(fqdn)}); err != nil {
		return nil, fmt.Errorf("listing StaticIPs with FQDN %s: %w", fqdn, err)
	}
	return list.Items, nil
}

// addressIndex indexes StaticIPs by normalized address, across namespaces.
const addressIndex = "elasticyarn.io/address"

func indexAddress(obj client.Object) []string {
	sip, ok := obj.(*v1alpha1.StaticIP)
	if !ok {
		return nil
	}
	return []string{staticippolicy.NormalizeAddress(sip.Spec.Address)}
}

// sameAddress maps a StaticIP to the others with its address or FQDN: one appearing or going
// changes which of them is the duplicate.
func (r *Reconciler) sameAddress(ctx context.Context, obj client.Object) []reconcile.Request {
	sip, ok := obj.(*v1alpha1.StaticIP)
	if !ok {
		return nil
	}
	peers, err := r.withAddress(ctx, sip.Spec.Address)
	if err != nil {
		return nil
	}
	named, err := r.withFQDN(ctx, sip.Spec.FQDN)
	if err != nil {
		return nil
	}
	var out []reconcile.Request
	seen := map[client.ObjectKey]bool{}
	for _, p := range append(peers, named...) {
		if key := client.ObjectKeyFromObject(&p); p.UID != sip.UID && !seen[key] {
			seen[key] = true
			out = append(out, reconcile.Request{NamespacedName: key})
		}
	}
	return out
}

// withAddress lists the StaticIPs of every namespace that use address.
func (r *Reconciler) withAddress(ctx context.Context, address string) ([]v1alpha1.StaticIP, error) {
	var list v1alpha1.StaticIPList
	if err := r.Client.List(ctx, &list, client.MatchingFields{addressIndex: staticippolicy.NormalizeAddress(address)}); err != nil {
		return nil, fmt.Errorf("listing StaticIPs with address %s: %w", address, err)
	}
	return list.Items, nil
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
	// Only names are read: no deep copy. Every status update of a pool comes here, and a
	// copy of each of its StaticIPs per update was the operator's largest allocation in
	// test/scale (1.6 GB over a 5,000-node cold start).
	var list v1alpha1.StaticIPList
	if err := r.Client.List(ctx, &list, client.InNamespace(enm.Namespace), client.UnsafeDisableDeepCopy); err != nil {
		return nil
	}
	out := make([]reconcile.Request, 0, len(list.Items))
	for i := range list.Items {
		// Every StaticIP of the namespace, not only matching ones: one that stopped matching
		// must drop its KeytabValid condition.
		out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&list.Items[i])})
	}
	return out
}
