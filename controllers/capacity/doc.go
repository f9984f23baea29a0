// Package capacity is the resident-mode controller: every interval it resizes each
// NodeManager of a Resident ElasticNodeManager to what Koordinator's batch tier can give.
//
// One reconcile has a fixed shape: get the pool -> gather (NM pods by pool label, the Nodes,
// ONE metrics fetch for the whole pool, ONE RM node listing) -> decide (cycle.Step, pure:
// policy.Decide per node, the write budget, urgency order, grows in flight; the simulator
// runs the same step) -> apply (the plan's jobs, RM before guarder on shrinks) -> remember
// (cycle.Plan.Commit of what the jobs achieved) -> write YARN's usage to Koordinator's
// thirdPartyAllocations node annotation -> patch the pool's status -> RequeueAfter the
// interval.
//
// State. The last applied target per NodeManager lives in memory: after an operator restart
// the RM's total becomes the base again. That only loses drift detection for a size the RM
// forgot while the operator was down and the metrics stay inside the damping band; any real
// change is still applied. The RM write token bucket and the time of the last successful
// metrics sample (used when Prometheus is unreachable) are also in memory.
//
// Draining NodeManagers (elasticyarn.io/drain-started) belong to the nodemanager
// controller and are never resized here.
package capacity
