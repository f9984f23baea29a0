package nodemanager

import (
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// TestDrainWaitsThroughRMReregistrationGap: the RM restarts just before the window closes
// and lists no NodeManager until each re-registers. The drain that starts in the gap deletes
// nothing: the pod stays with its running containers until the NM is back, gets its zero
// capacity then, and goes only once the RM shows it idle at zero.
func TestDrainWaitsThroughRMReregistrationGap(t *testing.T) {
	f := newFixture(t, day.Add(7*time.Hour))
	f.node("a")
	f.staticIPs(1)
	f.pool(scheduled)
	f.settle()
	f.runApp(3)
	pod := f.livePods()[0]
	id := pod.Annotations[v1alpha1.AnnotationYARNNodeID]
	if n, _ := f.rm.Node(id); n.NumContainers != 4 {
		t.Fatalf("containers before the restart: %+v", n)
	}

	must(t, f.rm.RestartRM())
	f.advanceTo(day.Add(8*time.Hour + 5*time.Minute)) // the window closed
	f.settle()
	live := f.livePods()
	if len(live) != 1 || live[0].Annotations[v1alpha1.AnnotationDrainStarted] == "" {
		t.Fatalf("in the gap: %d live pods %v, want the one pod draining", len(live), live)
	}
	f.advanceTo(day.Add(8*time.Hour + 25*time.Minute))
	f.settle()
	if n := len(f.livePods()); n != 1 {
		t.Fatalf("%d live pods 20 minutes into the gap, want 1", n)
	}

	f.rm.ReregisterAll()
	f.settle()
	n, _ := f.rm.Node(id)
	if !n.Registered || n.NumContainers != 4 || n.Total.VCores != 0 || n.Total.MemoryMB != 0 {
		t.Fatalf("after re-registration: %+v, want the containers kept and capacity 0", n)
	}
	if len(f.livePods()) != 1 {
		t.Fatal("deleted while containers run")
	}

	// The work finishes (or the guarder sheds it); killing the AM ends its tasks with it.
	for cs := f.rm.Containers(id); len(cs) > 0; cs = f.rm.Containers(id) {
		must(t, f.rm.KillContainer(cs[0].ID))
	}
	f.advanceTo(day.Add(8*time.Hour + 40*time.Minute))
	f.settle()
	if n := len(f.pods()); n != 0 {
		t.Fatalf("%d pods left once the RM shows the node idle at zero", n)
	}
}
