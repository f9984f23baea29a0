package sim

import (
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/trace"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/workload"
)

// The guarder model decides through the worker's selection.Shed: an ApplicationMaster whose
// task is on the same node waits until the task is gone, unless the target's deadline leaves
// no time to wait.
func TestGuarderModelHoldsTheAMWhileItsTasksLeave(t *testing.T) {
	const grace = 5 * time.Minute
	cases := []struct {
		name     string
		deadline time.Duration
		wantHeld bool
	}{
		{"deadline far: the AM waits for its task", time.Hour, true},
		{"deadline within the grace period: the AM goes with its task", grace, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			traces := trace.Synthetic(trace.DefaultSyntheticOptions(1, 1, 30*time.Second, 1))
			c := NewCluster(DefaultConfig(1), traces, "guarder")
			n := c.Nodes[0]
			am := newContainer(workload.Spec{ID: 1, App: 1, Class: workload.AppMaster, VCores: 1, MemoryMB: 2048,
				Work: 10 * time.Hour, Terminate: time.Second}, 0)
			task := newContainer(workload.Spec{ID: 2, App: 1, Class: workload.MapReduce, VCores: 2, MemoryMB: 4096,
				Work: 10 * time.Hour, Terminate: 2 * time.Second}, 0)
			n.add(am)
			n.add(task)
			g := newGuarderModel(1, selection.DefaultWeights(), grace)
			g.setTarget(n, Resources{}, c.Time(c.Now+tc.deadline))

			g.cycle(c)
			if !task.Leaving() {
				t.Fatal("the task was not asked to leave for a target of zero")
			}
			if held := !am.Leaving(); held != tc.wantHeld {
				t.Fatalf("AM held: %t, want %t", held, tc.wantHeld)
			}
			if !tc.wantHeld {
				return
			}
			// The task exits after its SIGTERM; the next scan sends the AM.
			c.Now = task.ExitAt
			c.lifecycle(n)
			if len(n.Containers) != 1 {
				t.Fatalf("%d containers after the task's exit, want the AM alone", len(n.Containers))
			}
			g.cycle(c)
			if !am.Leaving() {
				t.Error("the AM is still held with its task gone")
			}
		})
	}
}
