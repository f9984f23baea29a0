package selection

import (
	"reflect"
	"testing"
	"time"
)

func TestStageHoldsApplicationMastersBackWhileTheirTasksRemain(t *testing.T) {
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	am := func(id, app string) Candidate { return Candidate{ID: id, App: app, AM: true} }
	task := func(id, app string, leaving bool) Candidate { return Candidate{ID: id, App: app, Leaving: leaving} }
	choices := func(ids ...string) []Choice {
		var cs []Choice
		for _, id := range ids {
			cs = append(cs, Choice{ID: id})
		}
		return cs
	}
	cases := []struct {
		name              string
		cands             []Candidate
		remove            []string
		amLatest          time.Time
		wantNow, wantHeld []Choice
	}{
		{name: "drain to zero: tasks now, their AM held",
			cands:  []Candidate{am("am1", "app1"), task("t1", "app1", false), task("t2", "app1", false)},
			remove: []string{"t1", "t2", "am1"}, wantNow: choices("t1", "t2"), wantHeld: choices("am1")},
		{name: "an AM whose tasks are still leaving waits",
			cands:  []Candidate{am("am1", "app1"), task("t1", "app1", true)},
			remove: []string{"am1"}, wantHeld: choices("am1")},
		{name: "an AM alone on the node goes",
			cands:  []Candidate{am("am1", "app1"), task("t9", "app9", false)},
			remove: []string{"am1"}, wantNow: choices("am1")},
		{name: "the deadline releases the hold",
			cands:  []Candidate{am("am1", "app1"), task("t1", "app1", false)},
			remove: []string{"t1", "am1"}, amLatest: now, wantNow: choices("t1", "am1")},
		{name: "a later deadline keeps the hold",
			cands:  []Candidate{am("am1", "app1"), task("t1", "app1", false)},
			remove: []string{"t1", "am1"}, amLatest: now.Add(time.Minute), wantNow: choices("t1"), wantHeld: choices("am1")},
		{name: "an AM without a known application is not held",
			cands:  []Candidate{am("am1", ""), task("t1", "app1", false)},
			remove: []string{"am1"}, wantNow: choices("am1")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gotNow, gotHeld := Stage(Plan{Remove: choices(c.remove...)}, c.cands, now, c.amLatest)
			if !reflect.DeepEqual(gotNow, c.wantNow) || !reflect.DeepEqual(gotHeld, c.wantHeld) {
				t.Errorf("now %v held %v, want now %v held %v", gotNow, gotHeld, c.wantNow, c.wantHeld)
			}
		})
	}
}
