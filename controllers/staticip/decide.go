package staticip

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

// gathered is what gather read about one StaticIP.
type gathered struct {
	// keytab is the KeytabValid verdict, nil when no Kerberos pool selects the StaticIP.
	keytab *keytabVerdict
	// duplicateOf says which StaticIP keeps this one's address or FQDN, if any.
	duplicateOf *duplicate
	// release is the decision about the binding (Keep when unbound).
	release staticippolicy.ReleaseDecision
}

// duplicate: another StaticIP keeps what this one claims.
type duplicate struct {
	// reason is ReasonDuplicateAddress or ReasonDuplicateFQDN.
	reason string
	// what is the claim, e.g. "address 10.0.0.1".
	what string
	of   types.NamespacedName
}

func (d *duplicate) message() string {
	return fmt.Sprintf("%s is already used by StaticIP %s", d.what, d.of)
}

// event is an Event to emit once the status patch has landed.
type event struct {
	Type, Reason, Note string
}

// outcome is what reconciling one StaticIP should change.
type outcome struct {
	status v1alpha1.StaticIPStatus
	events []event
}

// decide turns the gathered data into the StaticIP's new status and the Events that mark
// transitions. It is pure, like the staticip package it builds on.
func decide(sip *v1alpha1.StaticIP, g gathered) outcome {
	old := &sip.Status
	st := *old.DeepCopy()
	st.ObservedGeneration = sip.Generation
	var events []event

	if v := g.keytab; v != nil {
		prev := meta.FindStatusCondition(old.Conditions, v1alpha1.ConditionKeytabValid)
		meta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: v1alpha1.ConditionKeytabValid,
			Status: v.Status, Reason: v.Reason, Message: v.Message, ObservedGeneration: sip.Generation})
		if prev == nil || prev.Status != v.Status || prev.Reason != v.Reason {
			typ := corev1.EventTypeNormal
			if v.Status != metav1.ConditionTrue {
				typ = corev1.EventTypeWarning
			}
			events = append(events, event{typ, v.Reason, "keytab: " + v.Message})
		}
	} else {
		meta.RemoveStatusCondition(&st.Conditions, v1alpha1.ConditionKeytabValid)
	}

	switch rd := g.release; rd.Action {
	case staticippolicy.AdoptPod:
		st.Binding.PodUID = rd.PodUID
	case staticippolicy.Release:
		st.LastNodeName = st.Binding.NodeName
		st.Binding = nil
		events = append(events, event{corev1.EventTypeNormal, "Released", rd.Why})
	case staticippolicy.WaitForRM:
		if old.Phase != v1alpha1.StaticIPReleasing {
			events = append(events, event{corev1.EventTypeNormal, ReasonReleasing, rd.Why})
		}
	}

	ready := metav1.Condition{Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, ObservedGeneration: sip.Generation}
	keytabBad := g.keytab != nil && g.keytab.Status == metav1.ConditionFalse
	switch {
	case st.Binding != nil && g.release.Action == staticippolicy.WaitForRM:
		st.Phase = v1alpha1.StaticIPReleasing
		ready.Reason, ready.Message = ReasonReleasing, g.release.Why
	case st.Binding != nil:
		st.Phase = v1alpha1.StaticIPBound
		ready.Reason, ready.Message = ReasonBound, fmt.Sprintf("bound to pod %s of pool %s on node %s",
			st.Binding.PodName, st.Binding.Pool, st.Binding.NodeName)
	case g.duplicateOf != nil:
		st.Phase = v1alpha1.StaticIPInvalid
	case keytabBad:
		st.Phase = v1alpha1.StaticIPInvalid
		ready.Status, ready.Reason, ready.Message = metav1.ConditionFalse, ReasonKeytabInvalid, g.keytab.Message
	case g.keytab != nil && g.keytab.Status == metav1.ConditionUnknown:
		// Not a verdict on the keytab, so not Invalid; Binder skips it anyway because
		// Kerberos pools need KeytabValid=True.
		st.Phase = v1alpha1.StaticIPAvailable
		ready.Status, ready.Reason, ready.Message = metav1.ConditionUnknown, g.keytab.Reason, g.keytab.Message
	default:
		st.Phase = v1alpha1.StaticIPAvailable
		ready.Reason, ready.Message = ReasonAvailable, "free to bind"
	}
	// A duplicate that is bound keeps its holder (yanking a running NodeManager's address is
	// worse than the collision), but says so, and is Invalid once released.
	if d := g.duplicateOf; d != nil {
		ready.Status, ready.Reason, ready.Message = metav1.ConditionFalse, d.reason, d.message()
		prevReady := meta.FindStatusCondition(old.Conditions, v1alpha1.ConditionReady)
		if prevReady == nil || prevReady.Reason != d.reason {
			events = append(events, event{corev1.EventTypeWarning, d.reason, ready.Message})
		}
	}
	meta.SetStatusCondition(&st.Conditions, ready)

	return outcome{status: st, events: events}
}

// requeueAfter is when to look again without a watch event: keytab Secrets and krb5.conf are
// read, not watched (see rbac.go), YARN node states change without telling the API server,
// and a pending binding's grace runs out on its own. Zero means no timed recheck.
func requeueAfter(g gathered, keytabRecheck, rmRecheck time.Duration) time.Duration {
	var after time.Duration
	sooner := func(d time.Duration) {
		if d > 0 && (after == 0 || d < after) {
			after = d
		}
	}
	sooner(g.release.RecheckAfter)
	if g.keytab != nil {
		sooner(keytabRecheck)
	}
	if g.release.Action == staticippolicy.WaitForRM {
		sooner(rmRecheck)
	}
	return after
}
