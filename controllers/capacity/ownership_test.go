package capacity

import (
	"context"
	"errors"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/statusapply"
)

// TestControllersNeverRevertEachOthersConditions: the capacity controller and the NodeManager
// controller write ENM status from stale reads that lack each other's conditions. Each
// applies only the conditions it owns, so neither ever removes or reverts the other's.
func TestControllersNeverRevertEachOthersConditions(t *testing.T) {
	ctx := context.Background()
	src := &fakeSource{fn: func(promquery.Request) (*promquery.Result, error) {
		return nil, errors.New("dial tcp: connection refused")
	}}
	f := newPoolFixture(t, "owners", []string{"owners-a"}, src, nil)
	var stale v1alpha1.ElasticNodeManager // read before anyone wrote status: the cache lags
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(f.enm), &stale); err != nil {
		t.Fatal(err)
	}
	direct, err := client.NewWithWatch(env.Config, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	staleCache := interceptor.NewClient(direct, interceptor.Funcs{
		Get: func(ctx context.Context, c client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
			if enm, ok := obj.(*v1alpha1.ElasticNodeManager); ok && key == client.ObjectKeyFromObject(&stale) {
				stale.DeepCopyInto(enm)
				return nil
			}
			return c.Get(ctx, key, obj, opts...)
		},
	})
	f.r.Client = staleCache

	// The NodeManager controller reports the pool Ready and the RM reachable.
	nmView := stale.DeepCopy()
	plan.SetRMReachableCondition(&nmView.Status, nil, nmView.Generation, t0)
	plan.SetReadyCondition(&nmView.Status, plan.ReadyInputs{Running: 1}, nmView.Generation, t0)
	if err := statusapply.Apply(ctx, env.Client, nmView, statusapply.ManagerNodeManager, nodemanager.OwnedStatus(nmView)); err != nil {
		t.Fatal(err)
	}
	// The capacity controller, reading the stale object, reports Prometheus down.
	if _, err := f.r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(f.enm)}); err != nil {
		t.Fatal(err)
	}
	// The guarder contract controller, also reading the stale object, reports its condition
	// the way controllers/guardercontract writes it.
	gcView := stale.DeepCopy()
	meta.SetStatusCondition(&gcView.Status.Conditions, metav1.Condition{Type: v1alpha1.ConditionGuardersReady,
		Status: metav1.ConditionFalse, Reason: "GuarderTooOld", Message: "1 of 1 guarders lack processTrees", ObservedGeneration: gcView.Generation})
	if err := statusapply.Apply(ctx, env.Client, gcView, statusapply.ManagerGuarderContract,
		statusapply.Owned{Conditions: []string{v1alpha1.ConditionGuardersReady}}); err != nil {
		t.Fatal(err)
	}
	// The NodeManager controller writes again from its own stale view (no MetricsFresh).
	plan.SetRMReachableCondition(&nmView.Status, errors.New("connection refused"), nmView.Generation, t0.Add(time.Minute))
	if err := statusapply.Apply(ctx, env.Client, nmView, statusapply.ManagerNodeManager, nodemanager.OwnedStatus(nmView)); err != nil {
		t.Fatal(err)
	}

	var got v1alpha1.ElasticNodeManager
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(f.enm), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{v1alpha1.ConditionReady: "", v1alpha1.ConditionRMReachable: "False", v1alpha1.ConditionMetricsFresh: "False",
		v1alpha1.ConditionGuardersReady: "False"}
	for typ, status := range want {
		c := meta.FindStatusCondition(got.Status.Conditions, typ)
		switch {
		case c == nil:
			t.Errorf("%s is gone: %+v", typ, got.Status.Conditions)
		case status != "" && string(c.Status) != status:
			t.Errorf("%s = %s, want %s", typ, c.Status, status)
		}
	}
	for _, mf := range got.ManagedFields {
		if mf.Subresource == "status" && mf.Manager != statusapply.ManagerNodeManager && mf.Manager != statusapply.ManagerCapacity &&
			mf.Manager != statusapply.ManagerGuarderContract {
			t.Errorf("status written by an unexpected manager %q (%s)", mf.Manager, mf.Operation)
		}
	}
}
