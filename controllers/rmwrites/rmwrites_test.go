package rmwrites

import (
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
)

var pool = &metav1.ObjectMeta{Namespace: "yarn", Name: "pool", UID: "pool-1"}

func TestLockSerialisesOneNodeAndForgetsIdleOnes(t *testing.T) {
	var s Serializer
	inside, maxInside := 0, 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Go(func() {
			w := s.Lock(pool, "nm-a:8041")
			defer w.Unlock()
			mu.Lock()
			inside++
			maxInside = max(maxInside, inside)
			mu.Unlock()
			other := s.Lock(pool, "nm-b:8041") // another node is never blocked by nm-a
			other.Unlock()
			mu.Lock()
			inside--
			mu.Unlock()
		})
	}
	wg.Wait()
	if maxInside != 1 {
		t.Fatalf("%d writers of one node at once, want 1", maxInside)
	}
	if n := len(writesOf.Get(s.pools().Of(pool)).nodes); n != 0 {
		t.Fatalf("%d idle locks kept", n)
	}
}

// TestDrainMarkBelongsToThePodAndThePool: a drain's zero marks the node drained by its pod
// only; a replacement pod on the same YARN node id, a cancelled drain and a dropped pool all
// end the mark.
func TestDrainMarkBelongsToThePodAndThePool(t *testing.T) {
	pools := &poolstate.Pools{}
	s := Serializer{Pools: pools}
	drainedBy := func(pod types.UID) bool {
		w := s.Lock(pool, "nm-a:8041")
		defer w.Unlock()
		return w.DrainedBy(pod)
	}
	if drainedBy("pod-1") || drainedBy("") {
		t.Fatal("a node nobody drained is marked drained")
	}
	s.LockForNodeManager(pool, "nm-a:8041", "pod-1", true)()
	if !drainedBy("pod-1") {
		t.Fatal("the drain's zero did not mark the node")
	}
	if drainedBy("pod-2") {
		t.Error("the mark of pod-1's drain holds back pod-2, a new NodeManager on the same node")
	}
	s.LockForNodeManager(pool, "nm-a:8041", "pod-1", false)()
	if drainedBy("pod-1") {
		t.Error("a write of the static capacity (drain cancelled) left the mark")
	}
	s.LockForNodeManager(pool, "nm-a:8041", "pod-1", true)()
	s.EndDrain(pool, "nm-a:8041")
	if drainedBy("pod-1") {
		t.Error("EndDrain left the mark")
	}
	s.LockForNodeManager(pool, "nm-a:8041", "pod-1", true)()
	pools.Drop(types.NamespacedName{Namespace: "yarn", Name: "pool"})
	again := &metav1.ObjectMeta{Namespace: "yarn", Name: "pool", UID: "pool-2"}
	w := s.Lock(again, "nm-a:8041")
	defer w.Unlock()
	if w.DrainedBy("pod-1") {
		t.Error("a re-created pool inherited the dropped pool's drain mark")
	}
}
