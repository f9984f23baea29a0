package policy

import "time"

// Resources is a YARN resource vector.
type Resources struct {
	VCores   int64
	MemoryMB int64
}

// Less reports whether r is below o in any dimension.
func (r Resources) LessInAny(o Resources) bool { return r.VCores < o.VCores || r.MemoryMB < o.MemoryMB }

// Min is the per-dimension minimum.
func (r Resources) Min(o Resources) Resources {
	return Resources{VCores: min(r.VCores, o.VCores), MemoryMB: min(r.MemoryMB, o.MemoryMB)}
}

// Stats summarise one series over the window.
type Stats struct {
	Mean, Min, Max, Quantile, StdDev float64
}

// Metrics is what Prometheus (or the node's status) says the batch tier offers.
type Metrics struct {
	// CPUPresent and MemoryPresent say whether the window held samples for the node.
	CPUPresent    bool
	MemoryPresent bool
	// CPUCores is batch CPU in cores (milli-cores already converted).
	CPUCores Stats
	// MemoryBytes is batch memory in bytes.
	MemoryBytes Stats
	// NewestSample is the timestamp of the node's newest sample; zero when none was found.
	NewestSample time.Time
	// FromAllocatable marks the fallback source (the Node's batch allocatable): a current
	// point value without a window or an age. It may hold or shrink a node, never grow it.
	FromAllocatable bool
	// RecentCPUPresent and RecentCPUCores are the batch CPU over the last minutes
	// (metrics.RecentWindow). The window statistic follows a collapse of the batch tier too
	// slowly to prevent an eviction; this short view feeds the CPU-eviction guard.
	RecentCPUPresent bool
	RecentCPUCores   float64
}

// NodeUsage is the node's own CPU use, for the safety backoff.
type NodeUsage struct {
	Known bool
	// RecentCores is the node's CPU use now (a short window average).
	RecentCores float64
	// SustainedMinCores is the lowest use over the safety ShedAfter window: above the
	// threshold means the node stayed overloaded the whole time.
	SustainedMinCores float64
	// CapacityCores is the node's CPU capacity.
	CapacityCores float64
}

// RMState is what the ResourceManager reports for the node now.
type RMState struct {
	Known bool
	Total Resources
	Used  Resources
	// Unreachable: the RM could not be asked this cycle (Known is false). Used is then the
	// last YARN usage the operator wrote to Koordinator's ledger (the Node's
	// thirdPartyAllocations), which is all node safety needs to size a shed.
	Unreachable bool
}

// Input is everything Decide needs for one node.
type Input struct {
	Now     time.Time
	Metrics Metrics
	Usage   NodeUsage
	RM      RMState
	// Previous is the last target this operator applied, nil when unknown (first cycle or
	// after an operator restart: the RM's total is then the base).
	Previous *Resources
}

// Reason says why a target was chosen.
type Reason string

const (
	ReasonNotRegistered         Reason = "NotRegistered"
	ReasonGrow                  Reason = "Grow"
	ReasonShrinkBeyondTolerance Reason = "ShrinkBeyondTolerance"
	ReasonWithinTolerance       Reason = "WithinTolerance"
	ReasonBelowScaleUpStep      Reason = "BelowScaleUpStep"
	ReasonUnchanged             Reason = "Unchanged"
	ReasonStaleHold             Reason = "StaleHold"
	ReasonStaleShrinkToFloor    Reason = "StaleShrinkToFloor"
	ReasonClampedToFloor        Reason = "ClampedToFloor"
	ReasonClampedToCeiling      Reason = "ClampedToCeiling"
	ReasonOvercommit            Reason = "Overcommit"
	ReasonNodeSafetyBackoff     Reason = "NodeSafetyBackoff"
	ReasonNodeSafetyShed        Reason = "NodeSafetyShed"
	ReasonDrift                 Reason = "Drift"
	// ReasonCPUEvictGuard: the NodeManager pod requests batch CPU, so koordlet's cpuevict
	// can select it; the target keeps YARN's CPU use under the eviction's usage threshold.
	ReasonCPUEvictGuard Reason = "CPUEvictGuard"
	// ReasonThrottleNotShed: a CPU shrink the guarder does not shed for: koordlet cannot
	// evict the NodeManager pod for CPU (it requests no batch CPU) and its suppression
	// throttles YARN instead; only memory is shed.
	ReasonThrottleNotShed Reason = "ThrottleNotShed"
	ReasonFallbackNoGrow  Reason = "FallbackNoGrow"
	// ReasonRMUnreachable: the RM could not be asked; only node safety acts (guarder only).
	ReasonRMUnreachable Reason = "RMUnreachable"
	// ReasonFutureSample: the newest sample is dated after now (clock skew): not fresh.
	ReasonFutureSample Reason = "FutureSample"
)

// Direction of a change relative to what the RM advertises now.
type Direction string

const (
	DirectionNone   Direction = "none"
	DirectionGrow   Direction = "grow"
	DirectionShrink Direction = "shrink"
)

// ActionKind is one step of applying a decision.
type ActionKind string

const (
	// ActionSetRM writes the node's total to the ResourceManager.
	ActionSetRM ActionKind = "SetRMCapacity"
	// ActionSetGuarder gives the guarder sidecar the capacity running containers must fit in.
	ActionSetGuarder ActionKind = "SetGuarderTarget"
)

// Action is one ordered step.
type Action struct {
	Kind   ActionKind
	Target Resources
	// Deadline is when the guarder must have brought the containers under Target.
	Deadline time.Time
}

// Decision is the verdict for one node.
type Decision struct {
	// Target is what the RM should advertise.
	Target Resources
	// Reason is the main reason; Adjustments lists what else shaped Target.
	Reason      Reason
	Adjustments []Reason
	// Direction compares Target with the RM's current total.
	Direction Direction
	// Stale says the node's metrics are stale (or absent).
	Stale bool
	// Shed says the guarder must shed running work (safety), not only stop growing.
	Shed bool
	// GuarderTarget is what running containers must fit in, when it differs from Target:
	// a CPU shrink on a node where koordlet cannot evict the NodeManager for CPU keeps the
	// vcores YARN holds (koordlet throttles them) and sheds only for memory. Zero means Target.
	GuarderTarget Resources
	// Actions are the ordered steps; empty when nothing must change.
	Actions []Action
}

// WritesRM reports whether the decision writes to the RM.
func (d Decision) WritesRM() bool {
	for _, a := range d.Actions {
		if a.Kind == ActionSetRM {
			return true
		}
	}
	return false
}

// Has reports whether r is the reason or one of the adjustments.
func (d Decision) Has(r Reason) bool {
	if d.Reason == r {
		return true
	}
	for _, a := range d.Adjustments {
		if a == r {
			return true
		}
	}
	return false
}
