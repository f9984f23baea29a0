package sim

import "time"

// RMNode is the ResourceManager's view of one NM: registration, advertised capacity, and a
// capacity write still on its way (the REST update is asynchronous).
type RMNode struct {
	Registered bool
	// Total is the capacity the scheduler uses now.
	Total Resources
	// Writes counts capacity writes to this node.
	Writes int

	pending    Resources
	pendingAt  time.Duration
	hasPending bool
}

// Effective is what the RM will advertise once the pending write lands: a controller compares
// its target with this, not with a total that is about to change.
func (r *RMNode) Effective() Resources {
	if r.hasPending {
		return r.pending
	}
	return r.Total
}

// write sends a capacity update at now, visible after delay (the last write wins).
func (r *RMNode) write(now, delay time.Duration, v Resources) {
	r.Writes++
	if delay <= 0 {
		r.Total, r.hasPending = v, false
		return
	}
	r.pending, r.pendingAt, r.hasPending = v, now+delay, true
}

// apply makes a pending write visible when its time has come.
func (r *RMNode) apply(now time.Duration) {
	if r.hasPending && r.pendingAt <= now {
		r.Total, r.hasPending = r.pending, false
	}
}

// register is an NM (re-)registration: the RM forgets any resize and takes the NM's size.
func (r *RMNode) register(configured Resources) {
	r.Registered, r.Total, r.hasPending = true, configured, false
}

// unregister is the NM going away (evicted).
func (r *RMNode) unregister() {
	r.Registered, r.Total, r.hasPending = false, Resources{}, false
}
