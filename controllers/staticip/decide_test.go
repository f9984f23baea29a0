package staticip

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

func TestDecide(t *testing.T) {
	binding := &v1alpha1.StaticIPBinding{Pool: "p", PodName: "nm-a", NodeName: "node-a"}
	bound := v1alpha1.StaticIPStatus{Phase: v1alpha1.StaticIPBound, Binding: binding}
	releasing := v1alpha1.StaticIPStatus{Phase: v1alpha1.StaticIPReleasing, Binding: binding}
	bad := &keytabVerdict{Status: metav1.ConditionFalse, Reason: string(staticippolicy.KeytabMissing), Message: "Secret ns/x not found"}
	good := &keytabVerdict{Status: metav1.ConditionTrue, Reason: string(staticippolicy.KeytabValidReason), Message: "ok"}
	unknown := &keytabVerdict{Status: metav1.ConditionUnknown, Reason: ReasonKrb5ConfUnavailable, Message: "no ConfigMap"}
	owner := &types.NamespacedName{Namespace: "a", Name: "first"}
	sameAddress := &duplicate{reason: ReasonDuplicateAddress, what: "address 10.0.0.1", of: *owner}
	sameFQDN := &duplicate{reason: ReasonDuplicateFQDN, what: "FQDN nm-0.example.test", of: *owner}
	withKeytab := func(st v1alpha1.StaticIPStatus, v *keytabVerdict) v1alpha1.StaticIPStatus {
		st.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionKeytabValid, Status: v.Status, Reason: v.Reason}}
		return st
	}
	withReady := func(st v1alpha1.StaticIPStatus, reason string) v1alpha1.StaticIPStatus {
		st.Conditions = append(st.Conditions, metav1.Condition{Type: v1alpha1.ConditionReady, Status: metav1.ConditionFalse, Reason: reason})
		return st
	}

	tests := []struct {
		name       string
		status     v1alpha1.StaticIPStatus
		g          gathered
		wantPhase  v1alpha1.StaticIPPhase
		wantReady  string
		wantEvents []string
		check      func(t *testing.T, st v1alpha1.StaticIPStatus)
	}{
		{name: "new, no Kerberos", wantPhase: v1alpha1.StaticIPAvailable, wantReady: ReasonAvailable},
		{name: "keytab missing", g: gathered{keytab: bad}, wantPhase: v1alpha1.StaticIPInvalid, wantReady: ReasonKeytabInvalid,
			wantEvents: []string{"KeytabMissing"}},
		{name: "keytab still missing: no second Event", status: withKeytab(v1alpha1.StaticIPStatus{Phase: v1alpha1.StaticIPInvalid}, bad),
			g: gathered{keytab: bad}, wantPhase: v1alpha1.StaticIPInvalid, wantReady: ReasonKeytabInvalid},
		{name: "keytab fixed", status: withKeytab(v1alpha1.StaticIPStatus{Phase: v1alpha1.StaticIPInvalid}, bad),
			g: gathered{keytab: good}, wantPhase: v1alpha1.StaticIPAvailable, wantReady: ReasonAvailable, wantEvents: []string{"Valid"}},
		{name: "keytab not checkable is not Invalid", g: gathered{keytab: unknown}, wantPhase: v1alpha1.StaticIPAvailable,
			wantReady: ReasonKrb5ConfUnavailable, wantEvents: []string{ReasonKrb5ConfUnavailable}},
		{name: "no Kerberos pool any more: condition dropped", status: withKeytab(v1alpha1.StaticIPStatus{Phase: v1alpha1.StaticIPInvalid}, bad),
			wantPhase: v1alpha1.StaticIPAvailable, wantReady: ReasonAvailable,
			check: func(t *testing.T, st v1alpha1.StaticIPStatus) {
				if meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionKeytabValid) != nil {
					t.Error("KeytabValid kept")
				}
			}},
		{name: "duplicate", g: gathered{duplicateOf: sameAddress}, wantPhase: v1alpha1.StaticIPInvalid, wantReady: ReasonDuplicateAddress,
			wantEvents: []string{ReasonDuplicateAddress}},
		{name: "still duplicate: no second Event", status: withReady(v1alpha1.StaticIPStatus{Phase: v1alpha1.StaticIPInvalid}, ReasonDuplicateAddress),
			g: gathered{duplicateOf: sameAddress}, wantPhase: v1alpha1.StaticIPInvalid, wantReady: ReasonDuplicateAddress},
		{name: "bound duplicate keeps its holder", status: bound, g: gathered{duplicateOf: sameAddress, release: staticippolicy.ReleaseDecision{Action: staticippolicy.Keep}},
			wantPhase: v1alpha1.StaticIPBound, wantReady: ReasonDuplicateAddress, wantEvents: []string{ReasonDuplicateAddress}},
		{name: "duplicate FQDN", g: gathered{duplicateOf: sameFQDN}, wantPhase: v1alpha1.StaticIPInvalid, wantReady: ReasonDuplicateFQDN,
			wantEvents: []string{ReasonDuplicateFQDN}},
		{name: "adopt pod", status: bound, g: gathered{release: staticippolicy.ReleaseDecision{Action: staticippolicy.AdoptPod, PodUID: "u1"}},
			wantPhase: v1alpha1.StaticIPBound, wantReady: ReasonBound,
			check: func(t *testing.T, st v1alpha1.StaticIPStatus) {
				if st.Binding == nil || st.Binding.PodUID != "u1" {
					t.Errorf("binding %+v", st.Binding)
				}
			}},
		{name: "pod gone, YARN active", status: bound, g: gathered{release: staticippolicy.ReleaseDecision{Action: staticippolicy.WaitForRM, Why: "w"}},
			wantPhase: v1alpha1.StaticIPReleasing, wantReady: ReasonReleasing, wantEvents: []string{ReasonReleasing}},
		{name: "still releasing: no second Event", status: releasing, g: gathered{release: staticippolicy.ReleaseDecision{Action: staticippolicy.WaitForRM, Why: "w"}},
			wantPhase: v1alpha1.StaticIPReleasing, wantReady: ReasonReleasing},
		{name: "released", status: releasing, g: gathered{release: staticippolicy.ReleaseDecision{Action: staticippolicy.Release, Why: "gone"}},
			wantPhase: v1alpha1.StaticIPAvailable, wantReady: ReasonAvailable, wantEvents: []string{"Released"},
			check: func(t *testing.T, st v1alpha1.StaticIPStatus) {
				if st.Binding != nil || st.LastNodeName != "node-a" {
					t.Errorf("binding %+v last %q", st.Binding, st.LastNodeName)
				}
			}},
		{name: "released with a bad keytab is Invalid", status: withKeytab(releasing, bad),
			g:         gathered{keytab: bad, release: staticippolicy.ReleaseDecision{Action: staticippolicy.Release, Why: "gone"}},
			wantPhase: v1alpha1.StaticIPInvalid, wantReady: ReasonKeytabInvalid, wantEvents: []string{"Released"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sip := &v1alpha1.StaticIP{ObjectMeta: metav1.ObjectMeta{Generation: 3}, Spec: v1alpha1.StaticIPSpec{Address: "10.0.0.1"},
				Status: *tc.status.DeepCopy()}
			out := decide(sip, tc.g)
			if out.status.Phase != tc.wantPhase || out.status.ObservedGeneration != 3 {
				t.Fatalf("phase %q gen %d, want %q gen 3", out.status.Phase, out.status.ObservedGeneration, tc.wantPhase)
			}
			ready := meta.FindStatusCondition(out.status.Conditions, v1alpha1.ConditionReady)
			if ready == nil || ready.Reason != tc.wantReady || ready.ObservedGeneration != 3 {
				t.Fatalf("Ready %+v, want reason %s", ready, tc.wantReady)
			}
			var reasons []string
			for _, e := range out.events {
				reasons = append(reasons, e.Reason)
				if e.Type != corev1.EventTypeNormal && e.Type != corev1.EventTypeWarning {
					t.Errorf("event type %q", e.Type)
				}
			}
			if len(reasons) != len(tc.wantEvents) || (len(reasons) > 0 && reasons[0] != tc.wantEvents[0]) {
				t.Fatalf("events %v, want %v", reasons, tc.wantEvents)
			}
			if tc.check != nil {
				tc.check(t, out.status)
			}
			if sip.Status.Phase != tc.status.Phase {
				t.Fatal("decide changed its input")
			}
		})
	}
}

func TestRequeueAfter(t *testing.T) {
	wait := gathered{release: staticippolicy.ReleaseDecision{Action: staticippolicy.WaitForRM}}
	pending := gathered{release: staticippolicy.ReleaseDecision{Action: staticippolicy.Keep, RecheckAfter: 5 * time.Second}}
	kerberos := gathered{keytab: &keytabVerdict{Status: metav1.ConditionTrue}}
	for _, tc := range []struct {
		name string
		g    gathered
		want time.Duration
	}{
		{"nothing to wait for", gathered{}, 0},
		{"pending grace", pending, 5 * time.Second},
		{"waiting for YARN", wait, 30 * time.Second},
		{"keytab recheck", kerberos, 10 * time.Minute},
	} {
		if got := requeueAfter(tc.g, 10*time.Minute, 30*time.Second); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
