package policy

import (
	"testing"
	"time"
)

// stale is fresh(cpu) whose newest sample is age old.
func stale(cpu float64, age time.Duration) Input {
	in := fresh(cpu)
	in.Metrics.NewestSample = now.Add(-age)
	return in
}

// TestStaleDataNeverRaisesTarget: with stale data the target never exceeds what the RM
// advertises now, whatever the base: no drift re-apply upwards (RM 2, applied 10) and no
// floor raise (RM 2, floor 4).
func TestStaleDataNeverRaisesTarget(t *testing.T) {
	floor := func(s *Settings) { s.Floor = Resources{VCores: 4, MemoryMB: 16384} }
	cases := []struct {
		name     string
		settings func(*Settings)
		input    Input
		rmTotal  Resources
		want     Resources
		reason   Reason
	}{
		{"drift: RM below the applied size, held data", nil, stale(40, 5*time.Minute), Resources{2, 8192}, Resources{2, 8192}, ReasonStaleHold},
		{"drift: RM above the applied size, held data still re-applies the smaller size", nil, stale(40, 5*time.Minute), Resources{32, 131072}, Resources{10, 40960}, ReasonDrift},
		{"floor: RM below the floor", floor, stale(40, time.Hour), Resources{2, 8192}, Resources{2, 8192}, ReasonStaleShrinkToFloor},
		{"floor: shrink towards the floor", floor, stale(40, time.Hour), Resources{10, 40960}, Resources{4, 16384}, ReasonStaleShrinkToFloor},
		{"no sample at all, RM below the floor", floor, func() Input { in := fresh(40); in.Metrics = Metrics{}; return in }(), Resources{2, 8192}, Resources{2, 8192}, ReasonStaleShrinkToFloor},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := baseSettings()
			if tc.settings != nil {
				tc.settings(&s)
			}
			in := tc.input
			in.RM.Total = tc.rmTotal
			in.RM.Used = Resources{1, 4096}
			d := Decide(s, in)
			if d.Target != tc.want || d.Reason != tc.reason || !d.Stale {
				t.Fatalf("target %+v reason %s stale %v, want %+v %s stale", d.Target, d.Reason, d.Stale, tc.want, tc.reason)
			}
			if d.Direction == DirectionGrow {
				t.Fatalf("stale data grows the node: %+v", d)
			}
			for _, a := range d.Actions {
				if a.Target.VCores > tc.rmTotal.VCores || a.Target.MemoryMB > tc.rmTotal.MemoryMB {
					t.Fatalf("action %+v raises the RM's %+v on stale data", a, tc.rmTotal)
				}
			}
		})
	}
}

// TestFutureSampleIsNotFresh: a sample dated after now (clock skew) is stale: the node holds,
// never grows, and the skew alone never takes it to the floor.
func TestFutureSampleIsNotFresh(t *testing.T) {
	s := baseSettings()
	for _, ahead := range []time.Duration{time.Second, 10 * time.Minute, 48 * time.Hour} {
		in := fresh(40) // would grow 10 -> 40 if fresh
		in.Metrics.NewestSample = now.Add(ahead)
		d := Decide(s, in)
		if !d.Stale || d.Reason != ReasonStaleHold || !d.Has(ReasonFutureSample) || d.Target != in.RM.Total || len(d.Actions) != 0 {
			t.Errorf("sample %s ahead: %+v, want a stale hold at %+v flagged FutureSample", ahead, d, in.RM.Total)
		}
	}
}

// TestDecideWithoutRM: with the RM unreachable nothing is resized; a node-safety shed still
// goes to the guarder, sized from the last recorded YARN usage.
func TestDecideWithoutRM(t *testing.T) {
	s := baseSettings()
	unreachable := func(in *Input) {
		in.RM = RMState{Unreachable: true, Used: Resources{12, 49152}}
	}
	in := fresh(40)
	unreachable(&in)
	if d := Decide(s, in); d.Reason != ReasonRMUnreachable || len(d.Actions) != 0 || d.Shed {
		t.Errorf("calm node: %+v, want RMUnreachable and nothing to do", d)
	}
	in.Usage = NodeUsage{Known: true, RecentCores: 62, SustainedMinCores: 60, CapacityCores: 64} // 90 % is 57.6
	d := Decide(s, in)
	want := Resources{VCores: 12 - 5, MemoryMB: 49152}
	if !d.Shed || d.Reason != ReasonNodeSafetyShed || len(d.Actions) != 1 || d.Actions[0] != guard(want) || d.WritesRM() {
		t.Errorf("overloaded node: %+v, want only a guarder shed to %+v", d, want)
	}
	in.RM.Used = Resources{}
	if d := Decide(s, in); d.Shed || len(d.Actions) != 0 {
		t.Errorf("no recorded usage: %+v, want no shed (a zero target would ask for everything)", d)
	}
	in.RM.Used = Resources{12, 49152}
	s.GuarderEnabled = false
	if d := Decide(s, in); len(d.Actions) != 0 {
		t.Errorf("guarder disabled: actions %+v", d.Actions)
	}
}
