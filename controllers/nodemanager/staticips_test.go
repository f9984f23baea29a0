package nodemanager

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

// The StaticIP controller is the only one that releases addresses, so the fixture runs it
// too, synchronously in settle, as the operator runs both controllers side by side.

// fixtureActiveNodes answers the StaticIP controller's question from the fixture's RM.
type fixtureActiveNodes struct{ f *fixture }

func (a fixtureActiveNodes) ActiveNodes(ctx context.Context, _ *v1alpha1.ElasticNodeManager) (map[string]bool, error) {
	nodes, err := a.f.rmc.ListNodes(ctx)
	if err != nil {
		return nil, err
	}
	active := map[string]bool{}
	for _, n := range nodes {
		if staticippolicy.IsActiveNodeState(string(n.State)) {
			active[n.NodeHostName] = true
		}
	}
	return active, nil
}

// indexedClient serves the StaticIP controller's field-indexed lists from a plain list, as
// the manager's cache would (the fixture has no cache: reads must see its own writes).
func indexedClient(c client.WithWatch) client.Client {
	return interceptor.NewClient(c, interceptor.Funcs{
		List: func(ctx context.Context, c client.WithWatch, list client.ObjectList, opts ...client.ListOption) error {
			lo := &client.ListOptions{}
			lo.ApplyOptions(opts)
			sips, ok := list.(*v1alpha1.StaticIPList)
			if !ok || lo.FieldSelector == nil {
				return c.List(ctx, list, opts...)
			}
			for name, index := range staticip.Indexes {
				want, found := lo.FieldSelector.RequiresExactMatch(name)
				if !found {
					continue
				}
				var all v1alpha1.StaticIPList
				if err := c.List(ctx, &all, client.InNamespace(lo.Namespace)); err != nil {
					return err
				}
				sips.Items = nil
				for i := range all.Items {
					for _, v := range index(&all.Items[i]) {
						if v == want {
							sips.Items = append(sips.Items, all.Items[i])
							break
						}
					}
				}
				return nil
			}
			return c.List(ctx, list, opts...)
		},
	})
}

func (f *fixture) newStaticIPReconciler() *staticip.Reconciler {
	direct, err := client.NewWithWatch(env.Config, client.Options{Scheme: env.Scheme})
	must(f.t, err)
	return &staticip.Reconciler{Client: indexedClient(direct), APIReader: env.Client, RM: fixtureActiveNodes{f}, Now: f.clock.Now}
}

// reconcileStaticIPs runs the StaticIP controller once over the test's StaticIPs and reports
// whether any of them changed.
func (f *fixture) reconcileStaticIPs() bool {
	f.t.Helper()
	var before v1alpha1.StaticIPList
	must(f.t, env.Client.List(f.ctx, &before, client.InNamespace(f.ns)))
	for i := range before.Items {
		_, err := f.sipr.Reconcile(f.ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(&before.Items[i])})
		if err != nil && !apierrors.IsConflict(err) {
			f.t.Fatalf("StaticIP controller: %v", err)
		}
	}
	var after v1alpha1.StaticIPList
	must(f.t, env.Client.List(f.ctx, &after, client.InNamespace(f.ns)))
	for i := range before.Items {
		if i >= len(after.Items) || before.Items[i].ResourceVersion != after.Items[i].ResourceVersion {
			return true
		}
	}
	return len(after.Items) != len(before.Items)
}
