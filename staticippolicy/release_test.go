package staticippolicy_test

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

func TestDecideRelease(t *testing.T) {
	withUID := &v1alpha1.StaticIPBinding{Pool: "p", PodName: "nm-a", PodUID: "uid-1", NodeName: "node-a", Since: metav1.NewTime(t0)}
	pending := &v1alpha1.StaticIPBinding{Pool: "p", PodName: "nm-a", NodeName: "node-a", Since: metav1.NewTime(t0)}
	grace := 2 * time.Minute
	samePod := staticippolicy.PodObservation{Exists: true, UID: "uid-1", ClaimsAddress: true}
	newPodForUs := staticippolicy.PodObservation{Exists: true, UID: "uid-2", ClaimsAddress: true}
	strangerPod := staticippolicy.PodObservation{Exists: true, UID: "uid-2"}
	noPod := staticippolicy.PodObservation{}

	tests := []struct {
		name       string
		binding    *v1alpha1.StaticIPBinding
		pod        staticippolicy.PodObservation
		rmKnown    bool
		nodeActive bool
		now        time.Time
		want       staticippolicy.ReleaseAction
		wantUID    string
		recheck    time.Duration
	}{
		{name: "unbound", binding: nil, rmKnown: true, now: t0, want: staticippolicy.Keep},
		{name: "pod alive, node inactive: keep", binding: withUID, pod: samePod, rmKnown: true, now: t0, want: staticippolicy.Keep},
		{name: "pod alive, RM down: keep", binding: withUID, pod: samePod, now: t0, want: staticippolicy.Keep},
		{name: "pod created after bind: adopt its UID", binding: pending, pod: strangerPod, rmKnown: true, now: t0, want: staticippolicy.AdoptPod, wantUID: "uid-2"},
		{name: "pod re-created for this address: adopt", binding: withUID, pod: newPodForUs, rmKnown: true, now: t0, want: staticippolicy.AdoptPod, wantUID: "uid-2"},
		{name: "same name, other UID, not ours, node active: wait", binding: withUID, pod: strangerPod, rmKnown: true, nodeActive: true, now: t0, want: staticippolicy.WaitForRM},
		{name: "same name, other UID, not ours, node gone: release", binding: withUID, pod: strangerPod, rmKnown: true, now: t0, want: staticippolicy.Release},
		{name: "pod gone, RUNNING/DECOMMISSIONING in YARN: wait", binding: withUID, pod: noPod, rmKnown: true, nodeActive: true, now: t0, want: staticippolicy.WaitForRM},
		{name: "pod gone, RM did not answer: wait", binding: withUID, pod: noPod, now: t0, want: staticippolicy.WaitForRM},
		{name: "pod gone, node no longer active: release", binding: withUID, pod: noPod, rmKnown: true, now: t0, want: staticippolicy.Release},
		{name: "pod not created yet, inside grace: keep and recheck", binding: pending, pod: noPod, rmKnown: true, now: t0.Add(30 * time.Second), want: staticippolicy.Keep, recheck: 90 * time.Second},
		{name: "pod never created, grace over: release (GC)", binding: pending, pod: noPod, rmKnown: true, now: t0.Add(grace), want: staticippolicy.Release},
		{name: "pod never created, grace over, node active: wait", binding: pending, pod: noPod, rmKnown: true, nodeActive: true, now: t0.Add(time.Hour), want: staticippolicy.WaitForRM},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := staticippolicy.DecideRelease(staticippolicy.ReleaseInput{
				Binding: tc.binding, Pod: tc.pod, RMKnown: tc.rmKnown, NodeActive: tc.nodeActive,
				Now: tc.now, PendingGrace: grace,
			})
			if got.Action != tc.want || string(got.PodUID) != tc.wantUID || got.RecheckAfter != tc.recheck {
				t.Fatalf("got %+v, want action %s uid %q recheck %v", got, tc.want, tc.wantUID, tc.recheck)
			}
			if got.Why == "" {
				t.Fatalf("decision without a reason")
			}
		})
	}
}

func TestIsActiveNodeState(t *testing.T) {
	for state, want := range map[string]bool{
		"NEW": true, "RUNNING": true, "UNHEALTHY": true, "DECOMMISSIONING": true,
		"DECOMMISSIONED": false, "LOST": false, "REBOOTED": false, "SHUTDOWN": false, "": false,
	} {
		if got := staticippolicy.IsActiveNodeState(state); got != want {
			t.Errorf("%q: got %v, want %v", state, got, want)
		}
	}
}
