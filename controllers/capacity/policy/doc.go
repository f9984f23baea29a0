// Package policy decides, for one NodeManager, the YARN capacity resident mode advertises.
//
// It is pure: no client, no clock, no I/O. The controller and the simulator gather plain
// inputs (window statistics from Prometheus, what the RM reports, the last applied target,
// the pool's settings, the time) and call Decide; they then carry out the ordered Actions.
//
// The rules, in the order Decide applies them:
//  1. Without an RM view of the node nothing is decided (the node is not registered).
//  2. Stale metrics never raise capacity: older than StaleAfter the target holds, older than
//     ShrinkToFloorAfter (or no sample at all) it falls to the floor.
//  3. Fresh metrics: the chosen window statistic minus the reserve, rounded down to whole
//     vcores; memory per policy (VCoreRatio or BatchMemory) rounded down to YARN's
//     increment; the time-of-day overcommit profile scales both.
//  4. The desired size is clamped to floor and ceiling, then damped against the current
//     size: grow only by at least ScaleUpStepVCores, shrink only beyond the tolerance band.
//  5. CPU-eviction guard (only when the NodeManager pod requests kubernetes.io/batch-cpu and
//     the last minutes' BE limit is at or below 60 % of that request, where koordlet's
//     cpuevict can select the pod): the target keeps YARN strictly under 90 % of the limit,
//     skipping the tolerance band and overriding the floor.
//  6. Node safety: when the node's CPU use is above the threshold no new capacity is offered
//     (target = what YARN uses now); when it stays above for ShedAfter the guarder is asked
//     to shed the excess. Safety overrides the floor: protecting online work comes first.
//  7. Throttle, not shed: where koordlet cannot evict the NodeManager for CPU (no batch-cpu
//     request, the operator's resident pod), a shrink's guarder target keeps the vcores YARN
//     holds (koordlet's suppression throttles them) and only memory above the batch memory
//     on offer is shed; a node-safety shed is not softened.
//  8. Drift: when the RM's total differs from the last applied target (an NM re-registration
//     or an RM failover restored the configured size) the target is re-applied.
//
// A shrink tells the RM first (no new containers), then the guarder; a grow raises the
// guarder's target first so the guarder never sheds containers the RM just placed.
package policy
