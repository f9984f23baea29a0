package staticip

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// listPool returns the StaticIPs an ElasticNodeManager may use: those in its namespace that
// match spec.staticIPs.selector.
func listPool(ctx context.Context, r client.Reader, enm *v1alpha1.ElasticNodeManager) ([]v1alpha1.StaticIP, error) {
	sel, err := metav1.LabelSelectorAsSelector(&enm.Spec.StaticIPs.Selector)
	if err != nil {
		return nil, fmt.Errorf("pool %s: staticIPs.selector: %w", enm.Name, err)
	}
	var list v1alpha1.StaticIPList
	if err := r.List(ctx, &list, client.InNamespace(enm.Namespace), client.MatchingLabelsSelector{Selector: sel}); err != nil {
		return nil, fmt.Errorf("pool %s: listing StaticIPs: %w", enm.Name, err)
	}
	return list.Items, nil
}

// selects reports whether the pool's selector matches the StaticIP (same namespace only).
func selects(enm *v1alpha1.ElasticNodeManager, sip *v1alpha1.StaticIP) bool {
	if enm.Namespace != sip.Namespace {
		return false
	}
	sel, err := metav1.LabelSelectorAsSelector(&enm.Spec.StaticIPs.Selector)
	if err != nil {
		return false
	}
	return sel.Matches(labels.Set(sip.Labels))
}
