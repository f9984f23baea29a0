package staticip

import (
	"context"
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

// gather collects what decide needs: the keytab verdict, duplicates and the release decision.
func (r *Reconciler) gather(ctx context.Context, sip *v1alpha1.StaticIP) (gathered, error) {
	pools, err := r.poolsSelecting(ctx, sip)
	if err != nil {
		return gathered{}, err
	}
	dup, err := r.duplicateOf(ctx, sip)
	if err != nil {
		return gathered{}, err
	}
	release, err := r.releaseDecision(ctx, sip)
	if err != nil {
		return gathered{}, err
	}
	return gathered{keytab: r.checkKeytab(ctx, sip, pools), duplicateOf: dup, release: release}, nil
}

// poolsSelecting lists the ElasticNodeManagers of the StaticIP's namespace whose selector
// matches it, by name so the first failing keytab check is always the same one.
func (r *Reconciler) poolsSelecting(ctx context.Context, sip *v1alpha1.StaticIP) ([]v1alpha1.ElasticNodeManager, error) {
	var list v1alpha1.ElasticNodeManagerList
	if err := r.Client.List(ctx, &list, client.InNamespace(sip.Namespace)); err != nil {
		return nil, fmt.Errorf("listing ElasticNodeManagers: %w", err)
	}
	var out []v1alpha1.ElasticNodeManager
	for i := range list.Items {
		if selects(&list.Items[i], sip) {
			out = append(out, list.Items[i])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// duplicateOf finds the StaticIP, in any namespace, that keeps this one's address or, failing
// that, its FQDN (staticippolicy.FindDuplicates, FindFQDNDuplicates); nil when it has neither.
func (r *Reconciler) duplicateOf(ctx context.Context, sip *v1alpha1.StaticIP) (*duplicate, error) {
	peers, err := r.withAddress(ctx, sip.Spec.Address)
	if err != nil {
		return nil, err
	}
	if owner, ok := staticippolicy.FindDuplicates(peers)[client.ObjectKeyFromObject(sip)]; ok {
		return &duplicate{reason: ReasonDuplicateAddress, what: "address " + sip.Spec.Address, of: owner}, nil
	}
	if peers, err = r.withFQDN(ctx, sip.Spec.FQDN); err != nil {
		return nil, err
	}
	if owner, ok := staticippolicy.FindFQDNDuplicates(peers)[client.ObjectKeyFromObject(sip)]; ok {
		return &duplicate{reason: ReasonDuplicateFQDN, what: "FQDN " + sip.Spec.FQDN, of: owner}, nil
	}
	return nil, nil
}

// releaseDecision observes the binding's pod and, only when the pod is gone, asks YARN.
func (r *Reconciler) releaseDecision(ctx context.Context, sip *v1alpha1.StaticIP) (staticippolicy.ReleaseDecision, error) {
	b := sip.Status.Binding
	in := staticippolicy.ReleaseInput{Binding: b, Now: r.now(), PendingGrace: or(r.PendingGrace, DefaultPendingGrace)}
	if b == nil {
		return staticippolicy.DecideRelease(in), nil
	}
	var pod corev1.Pod
	switch err := r.Client.Get(ctx, types.NamespacedName{Namespace: sip.Namespace, Name: b.PodName}, &pod); {
	case err == nil:
		in.Pod = staticippolicy.PodObservation{Exists: true, UID: pod.UID, ClaimsAddress: pod.Labels[v1alpha1.LabelStaticIP] == sip.Name}
	case !apierrors.IsNotFound(err):
		return staticippolicy.ReleaseDecision{}, fmt.Errorf("reading pod %s: %w", b.PodName, err)
	}
	d := staticippolicy.DecideRelease(in)
	if d.Action != staticippolicy.WaitForRM {
		return d, nil
	}
	in.RMKnown, in.NodeActive = r.nodeActive(ctx, sip)
	return staticippolicy.DecideRelease(in), nil
}

// nodeActive asks YARN whether the StaticIP's FQDN is still an active node of its pool. A
// pool that no longer exists has drained its nodes (its finalizer waits for that), so it
// counts as known and inactive.
func (r *Reconciler) nodeActive(ctx context.Context, sip *v1alpha1.StaticIP) (known, active bool) {
	log := logf.FromContext(ctx)
	if r.RM == nil {
		return false, false
	}
	var pool v1alpha1.ElasticNodeManager
	if err := r.Client.Get(ctx, types.NamespacedName{Namespace: sip.Namespace, Name: sip.Status.Binding.Pool}, &pool); err != nil {
		if apierrors.IsNotFound(err) {
			return true, false
		}
		log.Error(err, "reading pool", "pool", sip.Status.Binding.Pool)
		return false, false
	}
	nodes, err := r.RM.ActiveNodes(ctx, &pool)
	if err != nil {
		log.Info("ResourceManager did not answer; keeping the binding", "pool", pool.Name, "error", err.Error())
		return false, false
	}
	return true, nodes[sip.Spec.FQDN]
}
