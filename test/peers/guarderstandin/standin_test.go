package guarderstandin

import (
	"context"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// TestStandinSheds: a shrink target sheds Spark tasks gracefully (after gracefulExit) and
// kills MapReduce tasks at once, AMs last, through the emulator.
func TestStandinSheds(t *testing.T) {
	rm := rmemulator.New(rmemulator.Config{})
	id, err := rm.RegisterNode(rmemulator.NodeSpec{Host: "nm-1.demo.test", RPCPort: 8041, Capacity: rmemulator.Resource{VCores: 8, MemoryMB: 32768}})
	if err != nil {
		t.Fatal(err)
	}
	rm.SubmitApp(rmemulator.AppSpec{Type: "SPARK", Containers: 3, Resource: rmemulator.Resource{VCores: 1, MemoryMB: 2048}})
	rm.SubmitApp(rmemulator.AppSpec{Type: "MAPREDUCE", Containers: 3, Resource: rmemulator.Resource{VCores: 1, MemoryMB: 2048}})
	now := time.Now()
	rm.Tick(now) // 2 AMs + 6 tasks = 8 vcores
	if n := len(rm.Containers(id)); n != 8 {
		t.Fatalf("%d containers placed, want 8", n)
	}
	var graceful, forced int
	s := newStandin(rm, id, func(g bool) {
		if g {
			graceful++
		} else {
			forced++
		}
	})
	r, err := s.SetTarget(context.Background(), worker.Target{VCores: 3, MemoryMB: 32768, Reason: "test", SetAt: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Plan.Remove) != 5 || !r.Plan.Fits {
		t.Fatalf("plan %+v", r.Plan)
	}
	// Spark tasks go first (graceful), then MapReduce tasks are killed; AMs stay.
	if forced != 2 || graceful != 0 {
		t.Fatalf("after the cycle: forced %d graceful %d", forced, graceful)
	}
	if n := len(rm.Containers(id)); n != 6 {
		t.Fatalf("%d containers left before graceful exits, want 6", n)
	}
	s.tick(now.Add(gracefulExit + time.Second))
	if graceful != 3 || len(rm.Containers(id)) != 3 {
		t.Fatalf("graceful %d, %d containers left", graceful, len(rm.Containers(id)))
	}
	for _, c := range rm.Containers(id) {
		if c.AM {
			continue
		}
		if rm.Apps()[1].ID != c.ApplicationID {
			t.Errorf("unexpected survivor %s", c.ID)
		}
	}
	if _, ok := s.LastPlan(); !ok {
		t.Fatal("no last plan")
	}
}

// TestStandinCountsWhatAnAMTakes: shedding everything takes the tasks first and holds the AM
// back while they leave (as the real guarder does); the next cycle kills the AM.
func TestStandinCountsWhatAnAMTakes(t *testing.T) {
	rm := rmemulator.New(rmemulator.Config{})
	id, err := rm.RegisterNode(rmemulator.NodeSpec{Host: "nm-1.demo.test", RPCPort: 8041, Capacity: rmemulator.Resource{VCores: 4, MemoryMB: 32768}})
	if err != nil {
		t.Fatal(err)
	}
	rm.SubmitApp(rmemulator.AppSpec{Type: "MAPREDUCE", Containers: 3, Resource: rmemulator.Resource{VCores: 1, MemoryMB: 2048}})
	now := time.Now()
	rm.Tick(now)
	var forced int
	s := newStandin(rm, id, func(g bool) {
		if !g {
			forced++
		}
	})
	if _, err := s.SetTarget(context.Background(), worker.Target{Reason: "drain", SetAt: now}); err != nil {
		t.Fatal(err)
	}
	if left := rm.Containers(id); forced != 3 || len(left) != 1 || !left[0].AM {
		t.Fatalf("first cycle: forced %d, left %+v; want the 3 tasks gone and the AM held", forced, left)
	}
	if _, err := s.SetTarget(context.Background(), worker.Target{Reason: "drain", SetAt: now}); err != nil {
		t.Fatal(err)
	}
	if forced != 4 || len(rm.Containers(id)) != 0 {
		t.Fatalf("second cycle: forced %d, %d containers left", forced, len(rm.Containers(id)))
	}
}
