// Package rmwrites serialises the operator's writes of one YARN node's size, so exactly one
// component decides a node's RM size at any moment. The NodeManager controller (drains: size
// zero, static capacity) and the capacity controller (resident resizing) both resize nodes.
// Without a common order a capacity cycle that read the pods before a drain started could
// send its grow after the drain's zero and re-grow a draining node.
//
// The rule: a drain records itself on the pod (elasticyarn.io/drain-started) before it takes
// the node's lock to write zero; the capacity controller takes the lock, then re-reads the
// pod from the API server (not the cache) and writes only if no drain has started. Whichever
// order the two run in, the drain's zero is the last write. Both controllers run in the one
// leader-elected operator process, so an in-process lock is enough.
package rmwrites

import "sync"

// Serializer hands out one lock per YARN node id. The zero value is ready to use.
type Serializer struct {
	mu    sync.Mutex
	nodes map[string]*nodeLock
}

type nodeLock struct {
	mu    sync.Mutex
	users int
}

// Lock takes nodeID's lock and returns its release. Locks of idle nodes are dropped, so the
// map stays as large as the number of writes in flight.
func (s *Serializer) Lock(nodeID string) (unlock func()) {
	s.mu.Lock()
	if s.nodes == nil {
		s.nodes = map[string]*nodeLock{}
	}
	l, ok := s.nodes[nodeID]
	if !ok {
		l = &nodeLock{}
		s.nodes[nodeID] = l
	}
	l.users++
	s.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		s.mu.Lock()
		l.users--
		if l.users == 0 {
			delete(s.nodes, nodeID)
		}
		s.mu.Unlock()
	}
}
