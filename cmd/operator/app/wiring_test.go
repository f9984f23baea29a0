package app

import (
	"context"
	"testing"

	"github.com/go-logr/logr"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmconnect"
)

// TestNodeManagerRMsForgetDropsTheClient: when the nodemanager controller drops a pool's
// memory, the pool's client is closed and dropped, so the next one is built anew, and the
// clients of other pools are kept.
func TestNodeManagerRMsForgetDropsTheClient(t *testing.T) {
	ctx := context.Background()
	pools := &poolstate.Pools{}
	rms := nodeManagerRMs{f: &rmconnect.Factory{Logger: logr.Discard(), Pools: pools}}
	pool := func(name string) *v1alpha1.ElasticNodeManager {
		enm := &v1alpha1.ElasticNodeManager{ObjectMeta: metav1.ObjectMeta{Namespace: "yarn", Name: name}}
		enm.Spec.YARN.ResourceManagers = []string{"http://rm.example.com:8088"}
		return enm
	}
	clientOf := func(enm *v1alpha1.ElasticNodeManager) any {
		t.Helper()
		c, err := rms.RMFor(ctx, enm)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	gone, kept := pool("gone"), pool("kept")
	first, other := clientOf(gone), clientOf(kept)
	if clientOf(gone) != first {
		t.Fatal("the factory does not keep a pool's client; nothing to forget")
	}

	pools.Drop(types.NamespacedName{Namespace: "yarn", Name: "gone"})
	if clientOf(gone) == first {
		t.Error("the forgotten pool's client is still handed out")
	}
	if clientOf(kept) != other {
		t.Error("forgetting one pool dropped another pool's client")
	}
}
