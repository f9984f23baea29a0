package nodemanager

import (
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// TestDrainResumesAfterRestart: the operator stops half-way through a drain; a new
// reconciler with no memory finds the drain in the pod annotations, keeps its deadline,
// re-applies the capacity the RM forgot, and sheds at the original shed time.
func TestDrainResumesAfterRestart(t *testing.T) {
	f := newFixture(t, day.Add(7*time.Hour))
	f.node("a")
	f.staticIPs(1)
	f.pool(scheduled)
	f.settle()
	f.runApp(3)

	f.advanceTo(day.Add(8*time.Hour + 5*time.Minute))
	f.settle()
	pod := f.livePods()[0]
	started := pod.Annotations[v1alpha1.AnnotationDrainStarted]
	deadline := pod.Annotations[v1alpha1.AnnotationDrainDeadline]
	if started == "" || deadline != day.Add(9*time.Hour).Format(time.RFC3339) {
		t.Fatalf("drain annotations %v", pod.Annotations)
	}

	// "Restart": a new reconciler; meanwhile the NM re-registered and the RM forgot the 0.
	f.r = f.newReconciler()
	id := pod.Annotations[v1alpha1.AnnotationYARNNodeID]
	must(t, f.rm.ReRegisterNode(id))
	f.runApp(3) // the re-registered NM gets work again before we are back
	f.advanceTo(day.Add(8*time.Hour + 20*time.Minute))
	f.settle()
	pod = f.livePods()[0]
	if pod.Annotations[v1alpha1.AnnotationDrainStarted] != started || pod.Annotations[v1alpha1.AnnotationDrainDeadline] != deadline {
		t.Errorf("restart changed the drain: %v", pod.Annotations)
	}
	if n, _ := f.rm.Node(id); n.Total.VCores != 0 {
		t.Errorf("capacity not re-applied after re-registration: %+v", n.Total)
	}
	if f.shedder.count("drain") != 0 {
		t.Errorf("shed before shedAfter")
	}
	// Shed at started+30m, which the new reconciler computes from the annotation.
	f.advanceTo(day.Add(8*time.Hour + 35*time.Minute))
	f.settle()
	if f.shedder.count("drain") != 1 {
		t.Errorf("shed calls %v", f.shedder.calls)
	}
	f.r = f.newReconciler()
	f.settle()
	if f.shedder.count("drain") != 1 {
		t.Errorf("a restart must not shed twice: %v", f.shedder.calls)
	}
	f.advanceTo(day.Add(9 * time.Hour))
	f.settle()
	if n := len(f.pods()); n != 0 {
		t.Fatalf("%d pods after the deadline", n)
	}
}
