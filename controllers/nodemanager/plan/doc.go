// Package plan holds every decision of the ElasticNodeManager lifecycle controller as pure
// functions: no client, no clock, no I/O. The reconciler gathers plain inputs (the time is one
// of them), calls these functions and applies what they return, so a whole day of schedules,
// bursts and drains can be table-tested without an API server.
//
//   - schedule.go / window.go: Scheduled windows in a time zone (days, midnight, DST, drain).
//   - demand.go: what a pool wants now (Scheduled, OnDemand with expiry, Resident).
//   - desired.go: per node Create / Keep / StartDrain / ContinueDrain / CancelDrain / Delete.
//   - drain.go: the next steps of one drain (Drain and YarnGraceful strategies).
//   - exclude.go: the YarnGraceful exclude file, level-triggered, one Job at a time.
//   - capacity.go: when a Static pool's RM capacity drifted.
//   - conditions.go: condition setters over the ENM status.
package plan
