package staticippolicy

import (
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// activeStates are the YARN node states in which the RM still counts a NodeManager as part of
// the cluster: it may hold containers (RUNNING, DECOMMISSIONING, UNHEALTHY) or be registering
// (NEW). Handing the FQDN to another pod then would give two processes one NodeId.
var activeStates = map[string]bool{"NEW": true, "RUNNING": true, "UNHEALTHY": true, "DECOMMISSIONING": true}

// IsActiveNodeState reports whether a YARN node state (as the RM REST API spells it) keeps
// the node's StaticIP bound. DECOMMISSIONED, LOST, REBOOTED and SHUTDOWN let it go.
func IsActiveNodeState(state string) bool { return activeStates[state] }

// PodObservation is what the API server says about the pod named in a binding.
type PodObservation struct {
	// Exists: a pod with the binding's name exists in the StaticIP's namespace.
	Exists bool
	// UID of that pod.
	UID types.UID
	// ClaimsAddress: the pod carries the elasticyarn.io/static-ip label naming this StaticIP,
	// i.e. it was created for this binding (a re-created pod of the same name, re-bound).
	ClaimsAddress bool
}

// ReleaseInput gathers everything DecideRelease needs.
type ReleaseInput struct {
	Binding *v1alpha1.StaticIPBinding
	Pod     PodObservation
	// RMKnown: the RM answered; when false NodeActive means nothing and nothing is released.
	RMKnown bool
	// NodeActive: the RM lists the StaticIP's FQDN in an active state (see IsActiveNodeState).
	NodeActive bool
	Now        time.Time
	// PendingGrace is how long a binding without a pod UID waits for its pod to be created:
	// Bind writes the binding before the NodeManager controller creates the pod.
	PendingGrace time.Duration
}

// ReleaseAction is what to do with a binding.
type ReleaseAction string

const (
	// Keep the binding as it is (phase Bound).
	Keep ReleaseAction = "Keep"
	// AdoptPod records Decision.PodUID in the binding (phase Bound).
	AdoptPod ReleaseAction = "AdoptPod"
	// WaitForRM: the pod is gone but YARN still counts the node (or the RM did not answer);
	// keep the binding and show phase Releasing.
	WaitForRM ReleaseAction = "WaitForRM"
	// Release clears the binding and records lastNodeName.
	Release ReleaseAction = "Release"
)

// ReleaseDecision is the outcome of DecideRelease.
type ReleaseDecision struct {
	Action ReleaseAction
	// PodUID to record, for AdoptPod.
	PodUID types.UID
	// Why, for logs and Events.
	Why string
	// RecheckAfter, when non-zero, is when the decision may change without any watch event
	// (the pending grace running out).
	RecheckAfter time.Duration
}

// DecideRelease applies the release rule: a binding is released only when its pod is gone (no
// pod of that name, or one with another UID that does not claim this StaticIP) AND the RM
// no longer lists the node as active. Garbage collection of bindings whose pods vanished is
// the same rule; there is no second path that could disagree with it.
func DecideRelease(in ReleaseInput) ReleaseDecision {
	b := in.Binding
	if b == nil {
		return ReleaseDecision{Action: Keep, Why: "not bound"}
	}
	if in.Pod.Exists {
		switch {
		case b.PodUID == "":
			return ReleaseDecision{Action: AdoptPod, PodUID: in.Pod.UID, Why: fmt.Sprintf("pod %s created", b.PodName)}
		case b.PodUID == in.Pod.UID:
			return ReleaseDecision{Action: Keep, Why: fmt.Sprintf("pod %s holds the address", b.PodName)}
		case in.Pod.ClaimsAddress:
			return ReleaseDecision{Action: AdoptPod, PodUID: in.Pod.UID, Why: fmt.Sprintf("pod %s was re-created for this address", b.PodName)}
		}
	} else if b.PodUID == "" {
		if wait := b.Since.Add(in.PendingGrace).Sub(in.Now); wait > 0 {
			return ReleaseDecision{Action: Keep, Why: fmt.Sprintf("waiting for pod %s to be created", b.PodName), RecheckAfter: wait}
		}
	}
	gone := fmt.Sprintf("pod %s is gone", b.PodName)
	switch {
	case !in.RMKnown:
		return ReleaseDecision{Action: WaitForRM, Why: gone + "; the ResourceManager did not answer, so the node may still be active"}
	case in.NodeActive:
		return ReleaseDecision{Action: WaitForRM, Why: gone + "; YARN still lists the node as active"}
	}
	return ReleaseDecision{Action: Release, Why: gone + " and YARN no longer lists the node"}
}
