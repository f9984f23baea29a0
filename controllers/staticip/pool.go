package staticip

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// listPageSize is how many StaticIPs one list request asks for: client-go's pager default
// (defaultPageSize in k8s.io/client-go/tools/pager), the page the reflectors also list with.
const listPageSize = 500

// listPool returns the StaticIPs an ElasticNodeManager may use: those in its namespace that
// match spec.staticIPs.selector.
//
// It reads the API server page by page and drops each StaticIP's managedFields: only one page's
// answer is held at a time, instead of the answer for the whole pool next to its decoded copy
// (10,000 StaticIPs are read again every listingMaxAge while a pool is created). Nothing reads
// the managedFields: bindings are written by merge patch, which leaves them alone.
func listPool(ctx context.Context, r client.Reader, enm *v1alpha1.ElasticNodeManager) ([]v1alpha1.StaticIP, error) {
	sel, err := metav1.LabelSelectorAsSelector(&enm.Spec.StaticIPs.Selector)
	if err != nil {
		return nil, fmt.Errorf("pool %s: staticIPs.selector: %w", enm.Name, err)
	}
	items := []v1alpha1.StaticIP{} // not nil: an empty pool is a listing too
	opts := []client.ListOption{client.InNamespace(enm.Namespace), client.MatchingLabelsSelector{Selector: sel}, client.Limit(listPageSize)}
	for continueFrom := ""; ; {
		var page v1alpha1.StaticIPList
		if err := r.List(ctx, &page, append(opts, client.Continue(continueFrom))...); err != nil {
			return nil, fmt.Errorf("pool %s: listing StaticIPs: %w", enm.Name, err)
		}
		for i := range page.Items {
			page.Items[i].ManagedFields = nil
		}
		items = append(items, page.Items...)
		if continueFrom = page.Continue; continueFrom == "" {
			return items, nil
		}
	}
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
