package capacity

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// poolState is what one pool remembers between cycles (see the package comment for why it
// may live in memory).
type poolState struct {
	// cycle is the cycle step's memory (last applied targets, grows in flight, the RM write
	// budget); only cycle.Plan.Commit produces a new one.
	cycle cycle.State
	// lastSample is the newest sample seen per Kubernetes node, for cycles in which
	// Prometheus cannot be reached.
	lastSample map[string]time.Time
	// outageSince is when this process first failed to reach Prometheus in the current outage.
	outageSince time.Time
	// reported are the unowned pods claiming the pool that were already reported (Event,
	// metric), so each is reported once per operator process.
	reported map[types.UID]bool
}

type states struct {
	mu    sync.Mutex
	pools map[types.NamespacedName]*poolState
}

func (s *states) get(key types.NamespacedName) *poolState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pools == nil {
		s.pools = map[types.NamespacedName]*poolState{}
	}
	p, ok := s.pools[key]
	if !ok {
		p = &poolState{cycle: cycle.State{Previous: map[string]policy.Resources{}, InFlight: map[string]cycle.SentResize{}},
			lastSample: map[string]time.Time{}, reported: map[types.UID]bool{}}
		s.pools[key] = p
	}
	return p
}

func (s *states) forget(key types.NamespacedName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pools, key)
}
