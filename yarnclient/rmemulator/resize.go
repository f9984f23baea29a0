package rmemulator

import (
	"sort"
	"time"
)

// updateNodeResource is POST /nodes/{id}/resource. It answers the node's current (old) total
// and applies the new one after ResizeDelay, like the RM's asynchronous scheduler event.
func (e *Emulator) updateNodeResource(id string, r Resource, overCommitTimeoutMs int64) (Resource, *remoteErr) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, ok := e.nodes[id]
	if !ok {
		return Resource{}, notFound("nodeId, " + id + ", is not found")
	}
	if !n.state.Active() {
		return Resource{}, &remoteErr{status: 500, exception: "YarnException",
			javaClass: "org.apache.hadoop.yarn.exceptions.YarnException",
			message:   "Resource update get failed on an unrecognized node: " + id}
	}
	old := n.total
	gen := n.gen
	time.AfterFunc(e.cfg.ResizeDelay, func() { e.applyResize(id, gen, r, overCommitTimeoutMs) })
	return old, nil
}

func (e *Emulator) applyResize(id string, gen int, r Resource, overCommitTimeoutMs int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, ok := e.nodes[id]
	if !ok || n.gen != gen {
		return // the NM re-registered meanwhile: the RM forgot this update
	}
	n.total = r
	switch {
	case overCommitTimeoutMs < 0:
		// Never kill: used may now exceed total, and nothing new is placed until it fits.
	case overCommitTimeoutMs == 0:
		e.preemptToFitLocked(n)
	default:
		time.AfterFunc(time.Duration(overCommitTimeoutMs)*time.Millisecond, func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			if n.gen == gen {
				e.preemptToFitLocked(n)
			}
		})
	}
}

// preemptToFitLocked kills the newest containers until the node's usage fits its total, as the
// scheduler does when an over-commit timeout expires.
func (e *Emulator) preemptToFitLocked(n *node) {
	cs := make([]*container, 0, len(n.containers))
	for _, c := range n.containers {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].start.After(cs[j].start) })
	for _, c := range cs {
		u := n.used()
		if u.MemoryMB <= n.total.MemoryMB && u.VCores <= n.total.VCores {
			return
		}
		e.finishLocked(c, false)
	}
}
