package plan

import (
	"errors"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func TestOnDemandDemand(t *testing.T) {
	exp := metav1.NewTime(t0.Add(2 * time.Hour))
	cases := []struct {
		name   string
		spec   v1alpha1.OnDemandSpec
		now    time.Time
		want   int32
		phase  Phase
		action Action
	}{
		{"no expiry", v1alpha1.OnDemandSpec{Nodes: 5}, t0, 5, PhaseOpen, ActionNone},
		{"before expiry", v1alpha1.OnDemandSpec{Nodes: 5, ExpiresAt: &exp}, t0, 5, PhaseOpen, ActionExpire},
		{"at expiry", v1alpha1.OnDemandSpec{Nodes: 5, ExpiresAt: &exp}, exp.Time, 0, PhaseClosed, ActionNone},
		{"after expiry", v1alpha1.OnDemandSpec{Nodes: 5, ExpiresAt: &exp}, exp.Add(time.Hour), 0, PhaseClosed, ActionNone},
		{"zero nodes", v1alpha1.OnDemandSpec{Nodes: 0}, t0, 0, PhaseOpen, ActionNone},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := OnDemandDemand(tc.spec, tc.now)
			if d.Want != tc.want || d.Phase != tc.phase || d.NextAction != tc.action {
				t.Fatalf("got %+v", d)
			}
		})
	}
}

func TestDemandForModes(t *testing.T) {
	spec := &v1alpha1.ElasticNodeManagerSpec{Mode: v1alpha1.ModeResident}
	if d, err := DemandFor(spec, t0); err != nil || d.Want != AllEligible || d.Phase != PhaseOpen {
		t.Fatalf("resident: %+v %v", d, err)
	}
	spec = &v1alpha1.ElasticNodeManagerSpec{Mode: v1alpha1.ModeScheduled, Schedule: &v1alpha1.ScheduleSpec{TimeZone: "Nowhere/Land", Windows: []v1alpha1.Window{{Start: "00:00", End: "08:00"}}}}
	_, err := DemandFor(spec, t0)
	var ie *InvalidScheduleError
	if !errors.As(err, &ie) || ie.Reason != ReasonInvalidTimeZone {
		t.Fatalf("invalid zone: %v", err)
	}
	spec.Schedule.TimeZone = "UTC"
	if d, err := DemandFor(spec, t0.Add(-time.Hour)); err != nil || d.Want != AllEligible {
		t.Fatalf("scheduled open at 07:00: %+v %v", d, err)
	}
	if d, _ := DemandFor(spec, t0.Add(30*time.Minute)); d.Want != 0 || d.Phase != PhaseDraining {
		t.Fatalf("scheduled draining at 08:30: %+v", d)
	}
	if _, err := DemandFor(&v1alpha1.ElasticNodeManagerSpec{Mode: v1alpha1.ModeOnDemand}, t0); err == nil {
		t.Fatal("OnDemand without onDemand must fail")
	}
}

func TestDrainDeadline(t *testing.T) {
	draining := Demand{WindowState: WindowState{Phase: PhaseDraining, DrainDeadline: t0.Add(time.Hour)}}
	open := Demand{WindowState: WindowState{Phase: PhaseOpen, DrainDeadline: t0.Add(5 * time.Hour)}}
	closed := Demand{WindowState: WindowState{Phase: PhaseClosed}}
	cases := []struct {
		name string
		mode v1alpha1.Mode
		d    Demand
		want time.Time
	}{
		{"scheduled draining: window deadline", v1alpha1.ModeScheduled, draining, t0.Add(time.Hour)},
		{"scheduled closed: now", v1alpha1.ModeScheduled, closed, t0},
		{"scheduled open (node left placement): timeout", v1alpha1.ModeScheduled, open, t0.Add(2 * time.Hour)},
		{"on-demand expired: timeout", v1alpha1.ModeOnDemand, closed, t0.Add(2 * time.Hour)},
	}
	for _, tc := range cases {
		if got := DrainDeadline(tc.mode, tc.d, 2*time.Hour, t0); !got.Equal(tc.want) {
			t.Errorf("%s: got %s want %s", tc.name, got, tc.want)
		}
	}
}
