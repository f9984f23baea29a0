package plan

import (
	"reflect"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

var t0 = time.Date(2026, 6, 2, 8, 0, 0, 0, time.UTC)

func TestNextDrainStepsDrain(t *testing.T) {
	pol := DrainPolicy{Strategy: v1alpha1.DecommissionDrain, ShedAfter: 30 * time.Minute}
	st := DrainState{Started: t0, Deadline: t0.Add(time.Hour)}
	full := RMNode{Registered: true, HasTotal: true, TotalVCores: 10, TotalMemoryMB: 30720, NumContainers: 3}
	zero := RMNode{Registered: true, HasTotal: true, NumContainers: 3}
	zeroIdle := RMNode{Registered: true, HasTotal: true}
	shed := st
	shed.ShedRequested = true
	cases := []struct {
		name      string
		st        DrainState
		rm        RMNode
		reachable bool
		now       time.Time
		steps     []DrainStep
		wake      time.Time
	}{
		{"start: capacity to zero, shed later", st, full, true, t0, []DrainStep{StepSetCapacityZero}, t0.Add(30 * time.Minute)},
		{"zero applied, wait for shed time", st, zero, true, t0.Add(time.Minute), []DrainStep{StepWait}, t0.Add(30 * time.Minute)},
		{"shed time", st, zero, true, t0.Add(30 * time.Minute), []DrainStep{StepRequestShed}, t0.Add(time.Hour)},
		{"shed requested: wait for deadline", shed, zero, true, t0.Add(40 * time.Minute), []DrainStep{StepWait}, t0.Add(time.Hour)},
		{"RM forgot the zero (re-registration): re-apply", shed, full, true, t0.Add(40 * time.Minute), []DrainStep{StepSetCapacityZero}, t0.Add(time.Hour)},
		{"late start: zero and shed together", st, full, true, t0.Add(31 * time.Minute), []DrainStep{StepSetCapacityZero, StepRequestShed}, t0.Add(time.Hour)},
		{"idle at zero: delete", st, zeroIdle, true, t0.Add(time.Minute), []DrainStep{StepDeletePod}, time.Time{}},
		{"idle but zero not yet visible: set and wait (nothing to shed)", st, RMNode{Registered: true, HasTotal: true, TotalVCores: 10}, true, t0, []DrainStep{StepSetCapacityZero}, t0.Add(time.Hour)},
		{"deadline: delete whatever runs", st, zero, true, t0.Add(time.Hour), []DrainStep{StepDeletePod}, time.Time{}},
		{"not listed (RM re-registration gap): wait, never delete", st, RMNode{}, true, t0.Add(50 * time.Minute), []DrainStep{StepWait}, t0.Add(time.Hour)},
		{"left YARN (decommissioned or shut down): delete", st, RMNode{Left: true}, true, t0, []DrainStep{StepDeletePod}, time.Time{}},
		{"RM unreachable: wait", st, RMNode{}, false, t0.Add(50 * time.Minute), []DrainStep{StepWait}, t0.Add(time.Hour)},
		{"RM unreachable at deadline: delete", st, RMNode{}, false, t0.Add(time.Hour), []DrainStep{StepDeletePod}, time.Time{}},
		{"pre-3.3 RM without totals: never sure it is zero, so only the deadline ends it", st, RMNode{Registered: true, NumContainers: 0}, true, t0, []DrainStep{StepSetCapacityZero}, t0.Add(time.Hour)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := NextDrainSteps(pol, tc.st, tc.rm, tc.reachable, tc.now)
			if !reflect.DeepEqual(got.Steps, tc.steps) || !got.WakeAt.Equal(tc.wake) {
				t.Fatalf("got %v wake %s, want %v wake %s", got.Steps, got.WakeAt, tc.steps, tc.wake)
			}
		})
	}
}

func TestNextDrainStepsYarnGraceful(t *testing.T) {
	pol := DrainPolicy{Strategy: v1alpha1.DecommissionYarnGraceful, ShedAfter: 30 * time.Minute}
	st := DrainState{Started: t0, Deadline: t0.Add(time.Hour)}
	requested := st
	requested.ExcludeRequested = true
	running := RMNode{Registered: true, HasTotal: true, TotalVCores: 10, NumContainers: 2}
	decom := running
	decom.Decommissioning = true
	cases := []struct {
		name  string
		st    DrainState
		rm    RMNode
		now   time.Time
		steps []DrainStep
	}{
		{"start: exclude job", st, running, t0, []DrainStep{StepEnsureExcludeJob}},
		{"job created: wait", requested, running, t0.Add(time.Minute), []DrainStep{StepWaitDecommissioned}},
		{"decommissioning: wait", requested, decom, t0.Add(10 * time.Minute), []DrainStep{StepWaitDecommissioned}},
		{"decommissioned: delete", requested, RMNode{Left: true}, t0.Add(20 * time.Minute), []DrainStep{StepDeletePod}},
		{"not listed (RM restarted): wait", requested, RMNode{}, t0.Add(20 * time.Minute), []DrainStep{StepWait}},
		{"deadline: delete", requested, decom, t0.Add(time.Hour), []DrainStep{StepDeletePod}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := NextDrainSteps(pol, tc.st, tc.rm, true, tc.now)
			if !reflect.DeepEqual(got.Steps, tc.steps) {
				t.Fatalf("got %v, want %v", got.Steps, tc.steps)
			}
		})
	}
}
