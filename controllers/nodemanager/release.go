package nodemanager

import (
	"context"
	"time"

	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/staticip"
)

// bindingPendingGrace is how long a binding may wait for its pod: Bind writes the binding
// just before the pod is created.
const bindingPendingGrace = 2 * time.Minute

// releaseGoneBindings frees the pool's StaticIPs whose pods are gone and whose YARN nodes
// are no longer active, with the StaticIP package's release rule (the StaticIP controller
// applies the same rule; whoever is first wins and the other's Release is a no-op). Doing
// it here too lets the next window reuse an address without waiting for another controller.
func (r *Reconciler) releaseGoneBindings(ctx context.Context, enm *v1alpha1.ElasticNodeManager, w *world, now time.Time) int {
	podsByName := map[string]int{}
	for i := range w.pods {
		podsByName[w.pods[i].Name] = i
	}
	rpc, _ := podspec.Ports(enm)
	released := 0
	for i := range w.sips {
		sip := &w.sips[i]
		b := sip.Status.Binding
		if b == nil || b.Pool != enm.Name {
			continue
		}
		obs := staticip.PodObservation{}
		if j, ok := podsByName[b.PodName]; ok {
			pod := &w.pods[j]
			obs = staticip.PodObservation{Exists: true, UID: pod.UID, ClaimsAddress: pod.Labels[v1alpha1.LabelStaticIP] == podspec.LabelValue(sip.Name)}
		}
		node, listed := w.rmNodes[podspec.YARNNodeID(sip.Spec.FQDN, rpc)]
		dec := staticip.DecideRelease(staticip.ReleaseInput{
			Binding: b, Pod: obs, RMKnown: w.rmErr == nil,
			NodeActive: listed && staticip.IsActiveNodeState(string(node.State)),
			Now:        now, PendingGrace: bindingPendingGrace,
		})
		if dec.Action != staticip.Release {
			continue
		}
		if err := r.Binder.Release(ctx, sip); err != nil {
			ctrl.LoggerFrom(ctx).Info("Cannot release StaticIP", "staticIP", klog.KObj(sip), "error", err.Error())
			continue
		}
		released++
		r.event(enm, sip, false, EventStaticIPReleased, "Release", "StaticIP %s released: %s", sip.Name, dec.Why)
	}
	return released
}
