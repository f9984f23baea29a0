package nodemanager

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// TestGonePoolIsForgotten runs the controller in a real manager: a pool's memory (its RM
// client and the Kerberos credentials in it among the rest) is kept while the pool exists,
// deletion included, and dropped once the pool is gone.
func TestGonePoolIsForgotten(t *testing.T) {
	f := newFixture(t, day.Add(2*time.Hour))
	f.pool(func(e *v1alpha1.ElasticNodeManager) { e.Spec.Decommission.OnDelete = v1alpha1.DeletionImmediate })
	key := types.NamespacedName{Namespace: f.ns, Name: "pool"}

	stop := f.startManager()
	defer stop()
	f.eventually("the pool reconciled", func() bool {
		e := f.enm()
		return hasFinalizer(e, v1alpha1.FinalizerPool) && len(e.Status.Conditions) > 0
	})
	if !f.poolRemembered(key) {
		t.Fatal("the pool was forgotten while it exists")
	}

	must(t, env.Client.Delete(f.ctx, f.enm()))
	f.eventually("the pool gone", f.poolGone)
	f.eventually("the gone pool forgotten", func() bool { return !f.poolRemembered(key) })
}
