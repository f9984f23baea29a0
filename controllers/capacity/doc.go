// Package capacity is the resident-mode controller: every interval it resizes each
// NodeManager of a Resident ElasticNodeManager to what Koordinator's batch tier can give.
//
// One cycle reads in three files, top-down: reconciler.go (Reconcile: get, gather, decide,
// apply, remember, patch status and emit Events, in that order), cycle/cycle.go (the pure
// cycle step: per-node decisions, the write budget and urgency order, the plan and its
// Events' summary) and policy/decide.go (the per-node rules).
//
// One reconcile has a fixed shape: get the pool -> gather (NM pods by pool label, the Nodes,
// ONE metrics fetch for the whole pool, ONE RM node listing) -> decide (cycle.Step, pure:
// policy.Decide per node, the write budget, urgency order, grows in flight; the simulator
// runs the same step; the MetricsFresh condition and the transition Events) -> apply (the
// plan's jobs, RM before guarder on shrinks, then YARN's usage into Koordinator's
// thirdPartyAllocations node annotation) -> remember (cycle.Plan.Commit of what the jobs
// achieved) -> patch the pool's status and emit the Events -> RequeueAfter the interval.
//
// State. The last applied target per NodeManager lives in the pool's memory
// (controllers/poolstate), dropped with the pool: after an operator restart
// the RM's total becomes the base again. That only loses drift detection for a size the RM
// forgot while the operator was down and the metrics stay inside the damping band; any real
// change is still applied. The RM write token bucket and the time of the last successful
// metrics sample (used when Prometheus is unreachable) are also in memory.
//
// Draining NodeManagers (elasticyarn.io/drain-started) belong to the nodemanager
// controller and are never resized here: they are left out of the listing, and a drain that
// starts after the listing marks the node in rmwrites, which apply checks under the node's
// lock.
package capacity
