package staticip

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Reasons of the StaticIP Ready condition.
const (
	ReasonAvailable        = "Available"
	ReasonBound            = "Bound"
	ReasonReleasing        = "Releasing"
	ReasonDuplicateAddress = "DuplicateAddress"
	ReasonDuplicateFQDN    = "DuplicateFQDN"
	ReasonKeytabInvalid    = "KeytabInvalid"
)

// idlePhase is the phase of a StaticIP nobody holds: Invalid when the last check found a
// duplicate address or FQDN or a bad keytab, otherwise Available. Both writers of "unbound" (the
// Binder's Release and the reconciler) use it, so they cannot disagree.
func idlePhase(sip *v1alpha1.StaticIP) v1alpha1.StaticIPPhase {
	if c := meta.FindStatusCondition(sip.Status.Conditions, v1alpha1.ConditionKeytabValid); c != nil && c.Status == metav1.ConditionFalse {
		return v1alpha1.StaticIPInvalid
	}
	if c := meta.FindStatusCondition(sip.Status.Conditions, v1alpha1.ConditionReady); c != nil && (c.Reason == ReasonDuplicateAddress || c.Reason == ReasonDuplicateFQDN) {
		return v1alpha1.StaticIPInvalid
	}
	return v1alpha1.StaticIPAvailable
}

// clearBinding releases the address in memory: remember the node so it gets the same
// address (and YARN NodeId) back, and fall back to the idle phase.
func clearBinding(sip *v1alpha1.StaticIP) {
	if b := sip.Status.Binding; b != nil {
		sip.Status.LastNodeName = b.NodeName
	}
	sip.Status.Binding = nil
	sip.Status.Phase = idlePhase(sip)
}
