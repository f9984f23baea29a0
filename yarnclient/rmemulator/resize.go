package rmemulator

import (
	"net/http"
	"sort"
	"time"
)

// updateNodeResource is POST /nodes/{id}/resource (RMWebServices.updateNodeResource). It
// answers the node's current (old) total and applies the new one after ResizeDelay, like the
// RM's asynchronous RMNodeResourceUpdateEvent.
//
// A node the RM does not know at all (never registered, or not yet re-registered after an
// RM restart) answers 404 from getRMNode. A known but inactive node passes getRMNode (it
// looks in the inactive nodes too) and fails in AdminService.updateNodeResource, which
// only looks at the active ones and throws a YarnException; RMWebServices wraps it in a
// YarnRuntimeException("Failed to update the node resource <nodeId>."), whose answer
// depends on the line (see inactiveNodeResize).
func (e *Emulator) updateNodeResource(id string, r Resource, overCommitTimeoutMs int64) (Resource, *remoteErr) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, ok := e.nodes[id]
	if !ok || !n.registered {
		return Resource{}, notFound("nodeId, " + id + ", is not found")
	}
	if !n.state.Active() {
		return Resource{}, e.inactiveNodeResize(id)
	}
	old := n.total
	gen := n.gen
	time.AfterFunc(e.cfg.ResizeDelay, func() { e.applyResize(id, gen, r, overCommitTimeoutMs) })
	return old, nil
}

// inactiveNodeResize is the answer to resizing a known but inactive node.
//   - Hadoop33: GenericExceptionHandler (Jersey 1) maps the unmapped YarnRuntimeException to
//     500 and sends the outer message; the AdminService text appears only in the RM log.
//   - Trunk: GenericExceptionHandler (Jersey 2) maps it to 503 and sends the cause's
//     message, the YarnException from AdminService.
func (e *Emulator) inactiveNodeResize(id string) *remoteErr {
	const class = "org.apache.hadoop.yarn.exceptions.YarnRuntimeException"
	if e.cfg.Line == Trunk {
		return &remoteErr{status: http.StatusServiceUnavailable, exception: "YarnRuntimeException", javaClass: class,
			message: "Resource update get failed on all nodes due to change resource on an unrecognized node: " + id}
	}
	return &remoteErr{status: http.StatusInternalServerError, exception: "YarnRuntimeException", javaClass: class,
		message: "Failed to update the node resource " + id + "."}
}

func (e *Emulator) applyResize(id string, gen int, r Resource, overCommitTimeoutMs int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, ok := e.nodes[id]
	if !ok || n.gen != gen {
		return // the NM re-registered meanwhile: the RM forgot this update
	}
	n.total = r
	if !e.cfg.ForgetResizeOnRMRestart {
		// ResourceTrackerService.nodeHeartbeat sends the updated capability in the next
		// heartbeat response; the NM keeps it (updateNMResource) for its next registration.
		time.AfterFunc(e.cfg.HeartbeatInterval, func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			if n.gen == gen && n.registered {
				n.nmTotal = n.total
			}
		})
	}
	if overCommitTimeoutMs < 0 {
		// Never kill: used may now exceed total, and nothing new is placed until it fits.
		return
	}
	// The scheduler kills for an overcommit only when the node heartbeats
	// (AbstractYarnScheduler.nodeUpdate -> signalContainersIfOvercommitted(node, true), YARN-999,
	// Hadoop 3.2+), and only once the timeout has passed. So a timeout of 0 kills at the next
	// heartbeat, not at once, and a positive one at the first heartbeat after it expires.
	time.AfterFunc(firstHeartbeatAfter(time.Duration(overCommitTimeoutMs)*time.Millisecond, e.cfg.HeartbeatInterval), func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if n.gen == gen {
			e.preemptToFitLocked(n)
		}
	})
}

// firstHeartbeatAfter is the delay, from a resize taking effect, to the first heartbeat at or
// after timeout; heartbeats come every interval from that moment.
func firstHeartbeatAfter(timeout, interval time.Duration) time.Duration {
	if timeout <= 0 {
		return interval
	}
	return (timeout + interval - 1) / interval * interval
}

// preemptToFitLocked kills containers until the node's usage fits its total, as the scheduler
// does when an over-commit timeout expires, in SchedulerNode.getContainersToKill order: AMs
// last, OPPORTUNISTIC before GUARANTEED (the emulator places only GUARANTEED ones), newest
// first.
func (e *Emulator) preemptToFitLocked(n *node) {
	cs := make([]*container, 0, len(n.containers))
	for _, c := range n.containers {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].am != cs[j].am {
			return !cs[i].am
		}
		return cs[i].start.After(cs[j].start)
	})
	for _, c := range cs {
		u := n.used()
		if u.MemoryMB <= n.total.MemoryMB && u.VCores <= n.total.VCores {
			return
		}
		e.finishLocked(c, false)
	}
}
