package nodemanager

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Event reasons, one per transition.
const (
	EventNodeManagerCreated = "NodeManagerCreated"
	EventNodeManagerDeleted = "NodeManagerDeleted"
	EventDrainStarted       = "DrainStarted"
	EventDrainCancelled     = "DrainCancelled"
	EventShedRequested      = "ShedRequested"
	EventShedFailed         = "ShedFailed"
	EventCapacityZeroed     = "CapacityZeroed"
	EventExcludeJob         = "ExcludeJobCreated"
	EventWindowOpened       = "WindowOpened"
	EventWindowClosed       = "WindowClosed"
	EventPoolTooSmall       = "PoolTooSmall"
	EventRMUnreachable      = "RMUnreachable"
	EventRMReachable        = "RMReachable"
	EventInvalidTimeZone    = "InvalidTimeZone"
	EventSpecInvalid        = "SpecInvalid"
	EventNodeLabelCreated   = "NodeLabelCreated"
	EventCreateFailed       = "CreateFailed"
	EventRMWriteFailed      = "RMWriteFailed"
)

// event records an Event on the pool (regarding) about related (a pod, or nil).
func (r *Reconciler) event(regarding, related runtime.Object, warning bool, reason, action, note string, args ...any) {
	if r.Recorder == nil {
		return
	}
	typ := corev1.EventTypeNormal
	if warning {
		typ = corev1.EventTypeWarning
	}
	r.Recorder.Eventf(regarding, related, typ, reason, action, note, args...)
}
