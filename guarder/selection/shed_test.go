package selection

import (
	"reflect"
	"testing"
	"time"
)

func TestShedDecidesAndStages(t *testing.T) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	grace := 2 * time.Minute
	started := now.Add(-time.Hour)
	am := Candidate{ID: "am1", App: "app1", AM: true, VCores: 1, MemoryMB: 1024, StartedAt: started}
	task := Candidate{ID: "t1", App: "app1", VCores: 4, MemoryMB: 4096, StartedAt: started}
	other := Candidate{ID: "t9", App: "app9", VCores: 2, MemoryMB: 2048, StartedAt: started}
	ids := func(cs []Choice) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	cases := []struct {
		name       string
		cands      []Candidate
		target     Target
		deadline   time.Time
		wantSignal []string
		wantHeld   []string
	}{
		{"fits: nothing", []Candidate{am, task, other}, Target{VCores: 7, MemoryMB: 7168}, now.Add(time.Hour), []string{}, []string{}},
		{"drain to zero, deadline far: the AM waits for its task", []Candidate{am, task, other}, Target{}, now.Add(time.Hour),
			[]string{"t1", "t9"}, []string{"am1"}},
		{"drain to zero, no deadline: the AM waits", []Candidate{am, task}, Target{}, time.Time{}, []string{"t1"}, []string{"am1"}},
		{"deadline within the grace period: the AM goes now", []Candidate{am, task}, Target{}, now.Add(grace), []string{"t1", "am1"}, []string{}},
		{"deadline just beyond the grace period: the AM still waits", []Candidate{am, task}, Target{}, now.Add(grace + time.Second),
			[]string{"t1"}, []string{"am1"}},
		{"the AM's task already leaving: the AM waits for it", []Candidate{am, {ID: "t1", App: "app1", VCores: 4, MemoryMB: 4096, Leaving: true}},
			Target{}, now.Add(time.Hour), []string{}, []string{"am1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Shed(c.cands, c.target, now, c.deadline, grace, DefaultWeights())
			if want := Decide(c.cands, c.target, now, DefaultWeights()); !reflect.DeepEqual(got.Plan, want) {
				t.Errorf("plan %+v, want Decide's %+v", got.Plan, want)
			}
			if g := ids(got.Signal); !reflect.DeepEqual(g, c.wantSignal) {
				t.Errorf("signal %v, want %v", g, c.wantSignal)
			}
			if g := ids(got.Held); !reflect.DeepEqual(g, c.wantHeld) {
				t.Errorf("held %v, want %v", g, c.wantHeld)
			}
		})
	}
}
