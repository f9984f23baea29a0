package plan

import (
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// AllEligible as Demand.Want means "every eligible node" (Scheduled and Resident pools).
const AllEligible int32 = -1

// Demand is what the pool wants at one instant, whatever its mode.
type Demand struct {
	WindowState
	// Want is how many NodeManagers should run: a count, or AllEligible.
	Want int32
}

// ScheduledDemand: every eligible node while a window is open, none otherwise.
func ScheduledDemand(s Schedule, now time.Time) Demand {
	st := s.Evaluate(now)
	d := Demand{WindowState: st}
	if st.Phase == PhaseOpen {
		d.Want = AllEligible
	}
	return d
}

// OnDemandDemand: spec.nodes until expiresAt, then zero. Drains after expiry use the
// decommission timeout, so DrainDeadline is left to the caller.
func OnDemandDemand(spec v1alpha1.OnDemandSpec, now time.Time) Demand {
	if spec.ExpiresAt != nil && !now.Before(spec.ExpiresAt.Time) {
		return Demand{WindowState: WindowState{Phase: PhaseClosed}}
	}
	d := Demand{WindowState: WindowState{Phase: PhaseOpen, Window: "on-demand"}, Want: spec.Nodes}
	if spec.ExpiresAt != nil {
		d.Next, d.NextAction = spec.ExpiresAt.Time, ActionExpire
	}
	return d
}

// ResidentDemand: always on, every eligible node.
func ResidentDemand() Demand {
	return Demand{WindowState: WindowState{Phase: PhaseOpen, Window: "resident"}, Want: AllEligible}
}

// DemandFor evaluates the pool's mode. The error is an *InvalidScheduleError for a spec
// problem (e.g. an unknown time zone).
func DemandFor(spec *v1alpha1.ElasticNodeManagerSpec, now time.Time) (Demand, error) {
	switch spec.Mode {
	case v1alpha1.ModeScheduled:
		s, err := ParseSchedule(spec.Schedule)
		if err != nil {
			return Demand{}, err
		}
		return ScheduledDemand(s, now), nil
	case v1alpha1.ModeOnDemand:
		if spec.OnDemand == nil {
			return Demand{}, &InvalidScheduleError{Reason: ReasonInvalidWindow, Message: "mode OnDemand needs onDemand"}
		}
		return OnDemandDemand(*spec.OnDemand, now), nil
	case v1alpha1.ModeResident:
		return ResidentDemand(), nil
	}
	return Demand{}, &InvalidScheduleError{Reason: "InvalidMode", Message: "unknown mode " + string(spec.Mode)}
}

// DrainDeadline is when a drain that starts now must be over. A Scheduled pool drains by the
// window's end + drainDuration (the API says drainDuration replaces the timeout there); when
// the window is already past its drain period (the operator was down) the deadline is now.
// Other drains (on-demand expiry or shrink, a node leaving the placement) get the
// decommission timeout.
func DrainDeadline(mode v1alpha1.Mode, d Demand, timeout time.Duration, now time.Time) time.Time {
	if mode == v1alpha1.ModeScheduled {
		switch d.Phase {
		case PhaseDraining:
			return d.DrainDeadline
		case PhaseClosed:
			return now
		}
	}
	return now.Add(timeout)
}
