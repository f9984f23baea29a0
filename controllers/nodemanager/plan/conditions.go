package plan

import (
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Condition reasons of ElasticNodeManager.
const (
	ReasonValid           = "Valid"
	ReasonWindowOpen      = "WindowOpen"
	ReasonWindowDraining  = "WindowDraining"
	ReasonWindowClosed    = "WindowClosed"
	ReasonRMAnswered      = "Answered"
	ReasonRMUnreachable   = "RMUnreachable"
	ReasonEnoughStaticIPs = "EnoughStaticIPs"
	ReasonPoolTooSmall    = "PoolTooSmall"
	ReasonReady           = "AllNodeManagersRunning"
	ReasonProgressing     = "Progressing"
	ReasonSpecInvalid     = "SpecInvalid"
	ReasonNotEnoughNodes  = "NotEnoughEligibleNodes"
	ReasonDeleting        = "Deleting"
)

// setCondition sets one condition at now. meta.SetStatusCondition keeps the old transition
// time when the status does not change and takes ours when it does, so no clock is read here.
func setCondition(st *v1alpha1.ElasticNodeManagerStatus, typ string, ok bool, reason, msg string, gen int64, now time.Time) {
	status := metav1.ConditionFalse
	if ok {
		status = metav1.ConditionTrue
	}
	meta.SetStatusCondition(&st.Conditions, metav1.Condition{
		Type: typ, Status: status, Reason: reason, Message: truncate(msg),
		ObservedGeneration: gen, LastTransitionTime: metav1.NewTime(now),
	})
}

// Condition messages are bounded like the rest of the status.
func truncate(s string) string {
	const max = 1024
	if len(s) > max {
		return s[:max-3] + "..."
	}
	return s
}

// SetSpecValidCondition: err is nil or the spec problem.
func SetSpecValidCondition(st *v1alpha1.ElasticNodeManagerStatus, err error, gen int64, now time.Time) {
	if err == nil {
		setCondition(st, v1alpha1.ConditionSpecValid, true, ReasonValid, "", gen, now)
		return
	}
	reason := ReasonSpecInvalid
	if ie, ok := err.(*InvalidScheduleError); ok {
		reason = ie.Reason
	}
	setCondition(st, v1alpha1.ConditionSpecValid, false, reason, err.Error(), gen, now)
}

// SetWindowOpenCondition reflects the demand's phase.
func SetWindowOpenCondition(st *v1alpha1.ElasticNodeManagerStatus, d Demand, gen int64, now time.Time) {
	switch d.Phase {
	case PhaseOpen:
		setCondition(st, v1alpha1.ConditionWindowOpen, true, ReasonWindowOpen, fmt.Sprintf("window %q is open", d.Window), gen, now)
	case PhaseDraining:
		setCondition(st, v1alpha1.ConditionWindowOpen, false, ReasonWindowDraining,
			fmt.Sprintf("window %q ended; drains end by %s", d.Window, d.DrainDeadline.UTC().Format(time.RFC3339)), gen, now)
	default:
		setCondition(st, v1alpha1.ConditionWindowOpen, false, ReasonWindowClosed, "no window is open", gen, now)
	}
}

// SetRMReachableCondition: err is nil or why the RM did not answer.
func SetRMReachableCondition(st *v1alpha1.ElasticNodeManagerStatus, err error, gen int64, now time.Time) {
	if err == nil {
		setCondition(st, v1alpha1.ConditionRMReachable, true, ReasonRMAnswered, "", gen, now)
		return
	}
	setCondition(st, v1alpha1.ConditionRMReachable, false, ReasonRMUnreachable, err.Error(), gen, now)
}

// SetStaticIPsAvailableCondition says whether the pool has enough StaticIPs for its desired size.
func SetStaticIPsAvailableCondition(st *v1alpha1.ElasticNodeManagerStatus, r Result, gen int64, now time.Time) {
	if r.ShortOfStaticIPs > 0 {
		setCondition(st, v1alpha1.ConditionStaticIPsAvailable, false, ReasonPoolTooSmall,
			fmt.Sprintf("%d of %d desired NodeManagers have no free StaticIP", r.ShortOfStaticIPs, r.Desired), gen, now)
		return
	}
	setCondition(st, v1alpha1.ConditionStaticIPsAvailable, true, ReasonEnoughStaticIPs, "", gen, now)
}

// ReadyInputs is what Ready summarises.
type ReadyInputs struct {
	SpecErr  error
	RMErr    error
	Result   Result
	Running  int32
	Deleting bool
}

// SetReadyCondition: Ready when the spec is valid, the RM answers and every desired
// NodeManager runs with nothing missing.
func SetReadyCondition(st *v1alpha1.ElasticNodeManagerStatus, in ReadyInputs, gen int64, now time.Time) {
	r := in.Result
	switch {
	case in.Deleting:
		setCondition(st, v1alpha1.ConditionReady, false, ReasonDeleting, "the pool is being deleted", gen, now)
	case in.SpecErr != nil:
		setCondition(st, v1alpha1.ConditionReady, false, ReasonSpecInvalid, in.SpecErr.Error(), gen, now)
	case in.RMErr != nil:
		setCondition(st, v1alpha1.ConditionReady, false, ReasonRMUnreachable, "the ResourceManager does not answer", gen, now)
	case r.ShortOfStaticIPs > 0:
		setCondition(st, v1alpha1.ConditionReady, false, ReasonPoolTooSmall, fmt.Sprintf("%d NodeManagers lack a StaticIP", r.ShortOfStaticIPs), gen, now)
	case r.ShortOfNodes > 0:
		setCondition(st, v1alpha1.ConditionReady, false, ReasonNotEnoughNodes, fmt.Sprintf("%d more eligible nodes needed", r.ShortOfNodes), gen, now)
	case in.Running < r.Desired-r.ShortOfNodes:
		setCondition(st, v1alpha1.ConditionReady, false, ReasonProgressing, fmt.Sprintf("%d of %d NodeManagers running", in.Running, r.Desired), gen, now)
	default:
		setCondition(st, v1alpha1.ConditionReady, true, ReasonReady, fmt.Sprintf("%d NodeManagers running", in.Running), gen, now)
	}
}
