package plan

import (
	"errors"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func TestConditionSettersKeepTransitionTime(t *testing.T) {
	var st v1alpha1.ElasticNodeManagerStatus
	SetRMReachableCondition(&st, nil, 3, t0)
	SetRMReachableCondition(&st, nil, 4, t0.Add(time.Hour))
	c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionRMReachable)
	if c.Status != metav1.ConditionTrue || !c.LastTransitionTime.Time.Equal(t0) || c.ObservedGeneration != 4 {
		t.Fatalf("unchanged status must keep its transition time: %+v", c)
	}
	SetRMReachableCondition(&st, errors.New("connection refused"), 4, t0.Add(2*time.Hour))
	c = meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionRMReachable)
	if c.Status != metav1.ConditionFalse || c.Reason != ReasonRMUnreachable || !c.LastTransitionTime.Time.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("got %+v", c)
	}
}

func TestSetSpecValidCondition(t *testing.T) {
	var st v1alpha1.ElasticNodeManagerStatus
	SetSpecValidCondition(&st, &InvalidScheduleError{Reason: ReasonInvalidTimeZone, Message: "bad"}, 1, t0)
	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionSpecValid); c.Status != metav1.ConditionFalse || c.Reason != ReasonInvalidTimeZone {
		t.Fatalf("got %+v", c)
	}
	SetSpecValidCondition(&st, nil, 2, t0)
	if !meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionSpecValid) {
		t.Fatal("want true")
	}
}

func TestSetWindowOpenCondition(t *testing.T) {
	for _, tc := range []struct {
		phase  Phase
		status metav1.ConditionStatus
		reason string
	}{{PhaseOpen, metav1.ConditionTrue, ReasonWindowOpen}, {PhaseDraining, metav1.ConditionFalse, ReasonWindowDraining}, {PhaseClosed, metav1.ConditionFalse, ReasonWindowClosed}} {
		var st v1alpha1.ElasticNodeManagerStatus
		SetWindowOpenCondition(&st, Demand{WindowState: WindowState{Phase: tc.phase}}, 1, t0)
		if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionWindowOpen); c.Status != tc.status || c.Reason != tc.reason {
			t.Errorf("%s: %+v", tc.phase, c)
		}
	}
}

func TestSetReadyCondition(t *testing.T) {
	cases := []struct {
		name   string
		in     ReadyInputs
		status metav1.ConditionStatus
		reason string
	}{
		{"all running", ReadyInputs{Result: Result{Desired: 2}, Running: 2}, metav1.ConditionTrue, ReasonReady},
		{"nothing wanted", ReadyInputs{}, metav1.ConditionTrue, ReasonReady},
		{"progressing", ReadyInputs{Result: Result{Desired: 2}, Running: 1}, metav1.ConditionFalse, ReasonProgressing},
		{"pool too small", ReadyInputs{Result: Result{Desired: 2, ShortOfStaticIPs: 1}, Running: 1}, metav1.ConditionFalse, ReasonPoolTooSmall},
		{"not enough nodes", ReadyInputs{Result: Result{Desired: 5, ShortOfNodes: 3}, Running: 2}, metav1.ConditionFalse, ReasonNotEnoughNodes},
		{"rm down", ReadyInputs{RMErr: errors.New("x")}, metav1.ConditionFalse, ReasonRMUnreachable},
		{"spec invalid", ReadyInputs{SpecErr: errors.New("x")}, metav1.ConditionFalse, ReasonSpecInvalid},
		{"deleting", ReadyInputs{Deleting: true}, metav1.ConditionFalse, ReasonDeleting},
	}
	for _, tc := range cases {
		var st v1alpha1.ElasticNodeManagerStatus
		SetReadyCondition(&st, tc.in, 1, t0)
		if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady); c.Status != tc.status || c.Reason != tc.reason {
			t.Errorf("%s: %+v", tc.name, c)
		}
	}
}

func TestSetStaticIPsAvailableCondition(t *testing.T) {
	var st v1alpha1.ElasticNodeManagerStatus
	SetStaticIPsAvailableCondition(&st, Result{Desired: 3, ShortOfStaticIPs: 2}, 1, t0)
	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionStaticIPsAvailable); c.Status != metav1.ConditionFalse || c.Reason != ReasonPoolTooSmall {
		t.Fatalf("%+v", c)
	}
}
