// Package rmwrites serialises the operator's writes of one YARN node's size, so exactly one
// component decides a node's RM size at any moment. The NodeManager controller (drains: size
// zero, static capacity) and the capacity controller (resident resizing) both resize nodes.
// Without a common order a capacity cycle that read the pods before a drain started could
// send its grow after the drain's zero and re-grow a draining node.
//
// The rule: a drain takes the node's lock and marks the node drained by its pod before it
// writes zero (LockForNodeManager); the capacity controller takes the same lock and writes
// only if the node is not marked drained by the pod it listed (NodeWrite.DrainedBy).
// Whichever order the two run in, the drain's zero is the last write. Both controllers run in
// the one leader-elected operator process, so an in-process lock and mark are enough; after a
// restart the drain-started annotation, which the drain writes first, keeps draining pods out
// of the capacity controller's listing.
//
// Locks and marks are per pool memory (poolstate): they go with the pool.
package rmwrites

import (
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
)

// Serializer hands out one lock per YARN node of a pool. The zero value is ready to use; the
// operator shares one between the NodeManager and capacity controllers.
type Serializer struct {
	// Pools is the operator's per-pool memory; nil gives the Serializer its own.
	Pools *poolstate.Pools

	poolsOnce sync.Once
}

// poolWrites is one pool's node locks and drain marks.
type poolWrites struct {
	mu    sync.Mutex
	nodes map[string]*nodeLock
	// drained names, per YARN node id, the pod whose drain set the node to zero; one entry
	// per node at most. Changed and read with the node's lock held (and mu, for the map).
	drained map[string]types.UID
}

var writesOf = poolstate.NewSlot("rm writes", func(*poolstate.Pool) *poolWrites {
	return &poolWrites{nodes: map[string]*nodeLock{}, drained: map[string]types.UID{}}
}, nil)

type nodeLock struct {
	mu    sync.Mutex
	users int
}

// NodeWrite is a held node lock.
type NodeWrite struct {
	pool   *poolWrites
	nodeID string
	lock   *nodeLock
}

func (s *Serializer) pools() *poolstate.Pools {
	s.poolsOnce.Do(func() {
		if s.Pools == nil {
			s.Pools = &poolstate.Pools{}
		}
	})
	return s.Pools
}

// Lock takes the lock of nodeID in pool. Locks of idle nodes are dropped, so the map stays as
// large as the number of writes in flight.
func (s *Serializer) Lock(pool poolstate.Object, nodeID string) *NodeWrite {
	w := writesOf.Get(s.pools().Of(pool))
	w.mu.Lock()
	l, ok := w.nodes[nodeID]
	if !ok {
		l = &nodeLock{}
		w.nodes[nodeID] = l
	}
	l.users++
	w.mu.Unlock()
	l.mu.Lock()
	return &NodeWrite{pool: w, nodeID: nodeID, lock: l}
}

// LockForNodeManager takes the node's lock for the NodeManager controller's own write of
// the node's size for pod and returns its release: a write of zero (a drain) marks the node
// drained by pod before the write is made; any other size (a cancelled drain's static
// capacity) ends such a mark.
func (s *Serializer) LockForNodeManager(pool poolstate.Object, nodeID string, pod types.UID, zero bool) (unlock func()) {
	w := s.Lock(pool, nodeID)
	w.pool.mu.Lock()
	if zero {
		w.pool.drained[nodeID] = pod
	} else {
		delete(w.pool.drained, nodeID)
	}
	w.pool.mu.Unlock()
	return w.Unlock
}

// EndDrain ends the drain mark of nodeID: the drain was cancelled and the node's size is
// the capacity controller's again.
func (s *Serializer) EndDrain(pool poolstate.Object, nodeID string) {
	w := s.Lock(pool, nodeID)
	w.pool.mu.Lock()
	delete(w.pool.drained, nodeID)
	w.pool.mu.Unlock()
	w.Unlock()
}

// DrainedBy reports whether a drain of pod set the node to zero: a resize of it would
// undo the drain's zero.
func (w *NodeWrite) DrainedBy(pod types.UID) bool {
	w.pool.mu.Lock()
	defer w.pool.mu.Unlock()
	by, ok := w.pool.drained[w.nodeID]
	return ok && by == pod
}

// Unlock releases the node's lock.
func (w *NodeWrite) Unlock() {
	w.lock.mu.Unlock()
	w.pool.mu.Lock()
	w.lock.users--
	if w.lock.users == 0 {
		delete(w.pool.nodes, w.nodeID)
	}
	w.pool.mu.Unlock()
}
