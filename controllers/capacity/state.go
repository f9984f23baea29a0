package capacity

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// poolState is what one pool remembers between cycles (see the package comment for why it
// may live in memory).
type poolState struct {
	// previous is the last target applied per YARN node id.
	previous map[string]policy.Resources
	// lastSample is the newest sample seen per Kubernetes node, for cycles in which
	// Prometheus cannot be reached.
	lastSample map[string]time.Time
	// outageSince is when this process first failed to reach Prometheus in the current outage.
	outageSince time.Time
	bucket      policy.Bucket
	// inFlight are grows sent without waiting (see resize), per YARN node id, until the RM
	// shows them or resizeSettle passes.
	inFlight map[string]sentResize
	// reported are the unowned pods claiming the pool that were already reported (Event,
	// metric), so each is reported once per operator process.
	reported map[types.UID]bool
}

// sentResize is a resize the RM has not shown yet.
type sentResize struct {
	target policy.Resources
	at     time.Time
}

// resizeSettle is how long a sent grow may take to show in the RM before a different total
// counts as drift again. A real RM applies it at the NodeManager's next heartbeat (1 s by
// default); a cycle that runs sooner (a spec edit right after one) must not re-send it.
const resizeSettle = 30 * time.Second

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
		p = &poolState{previous: map[string]policy.Resources{}, lastSample: map[string]time.Time{}, inFlight: map[string]sentResize{},
			reported: map[types.UID]bool{}}
		s.pools[key] = p
	}
	return p
}

func (s *states) forget(key types.NamespacedName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pools, key)
}
