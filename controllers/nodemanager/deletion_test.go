package nodemanager

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// TestDeleteMidWindowDrains: deleting a pool in an open window drains its NodeManagers
// (capacity 0, deadline = decommission timeout) and the finalizer holds the pool until the
// pods and StaticIP bindings are gone.
func TestDeleteMidWindowDrains(t *testing.T) {
	f := newFixture(t, day.Add(2*time.Hour))
	f.node("a")
	f.staticIPs(1)
	f.pool(scheduled)
	f.settle()
	f.runApp(3)
	if len(f.livePods()) != 1 {
		t.Fatal("want one pod")
	}
	if !hasFinalizer(f.enm(), v1alpha1.FinalizerPool) {
		t.Fatal("pool finalizer missing")
	}
	must(t, env.Client.Delete(f.ctx, f.enm()))
	f.settle()
	if f.poolGone() {
		t.Fatal("pool gone before its NodeManagers drained")
	}
	pod := f.livePods()[0]
	if pod.Annotations[v1alpha1.AnnotationDrainDeadline] != day.Add(3*time.Hour).Format(time.RFC3339) {
		t.Errorf("deadline %q, want now + timeout", pod.Annotations[v1alpha1.AnnotationDrainDeadline])
	}
	if n, _ := f.rm.Node(pod.Annotations[v1alpha1.AnnotationYARNNodeID]); n.Total.VCores != 0 {
		t.Errorf("capacity not zeroed: %+v", n.Total)
	}
	f.advanceTo(day.Add(3 * time.Hour))
	f.settle()
	if !f.poolGone() {
		t.Fatalf("pool still there after its drain deadline; pods %d", len(f.pods()))
	}
}

// TestDeleteImmediate: onDelete Immediate deletes the pods at once.
func TestDeleteImmediate(t *testing.T) {
	f := newFixture(t, day.Add(2*time.Hour))
	f.node("a")
	f.node("b")
	f.staticIPs(2)
	f.pool(func(e *v1alpha1.ElasticNodeManager) {
		scheduled(e)
		e.Spec.Decommission.OnDelete = v1alpha1.DeletionImmediate
	})
	f.settle()
	f.runApp(6)
	must(t, env.Client.Delete(f.ctx, f.enm()))
	f.settle()
	if len(f.pods()) != 0 {
		t.Fatalf("pods %d after an immediate delete", len(f.pods()))
	}
	// Without the StaticIP controller in this test nobody records the pod UID in the
	// binding, so the release rule waits out the binding's pending grace.
	f.advanceTo(day.Add(2*time.Hour + 3*time.Minute))
	f.settle()
	if !f.poolGone() {
		t.Fatalf("pool still there")
	}
	if f.rec.count(EventNodeManagerDeleted) != 2 {
		t.Errorf("events %v", f.rec.events)
	}
}

// TestYarnGracefulCreatesDecommissionJob: strategy YarnGraceful runs the exclude Job, waits
// for DECOMMISSIONED, and a reopened window replaces it with a recommission Job.
func TestYarnGracefulCreatesDecommissionJob(t *testing.T) {
	f := newFixture(t, day.Add(7*time.Hour))
	f.node("a")
	f.staticIPs(1)
	f.pool(func(e *v1alpha1.ElasticNodeManager) {
		scheduled(e)
		e.Spec.Decommission.Strategy = v1alpha1.DecommissionYarnGraceful
		e.Spec.Decommission.ExcludeFile = "hdfs://nn/yarn/exclude"
		// A second window right after the first one's end, to test recommissioning.
		e.Spec.Schedule.Windows = append(e.Spec.Schedule.Windows, v1alpha1.Window{Name: "morning", Start: "08:20", End: "10:00", DrainDuration: &metav1.Duration{Duration: time.Hour}})
	})
	f.settle()
	f.runApp(3)
	f.advanceTo(day.Add(8 * time.Hour))
	f.settle()
	pod := f.livePods()[0]
	job := &batchv1.Job{}
	must(t, env.Client.Get(f.ctx, client.ObjectKey{Namespace: f.ns, Name: podspec.JobName(pod.Name, "decom")}, job))
	if job.Spec.Template.Spec.Containers[0].Image != "hadoop:3.3.6" {
		t.Errorf("job image %s", job.Spec.Template.Spec.Containers[0].Image)
	}
	if f.rec.count(EventDecommissionJob) != 1 {
		t.Errorf("events %v", f.rec.events)
	}
	// The RM starts decommissioning (what the Job's refreshNodes does).
	must(t, f.rm.SetNodeState(pod.Annotations[v1alpha1.AnnotationYARNNodeID], "DECOMMISSIONING"))
	f.advanceTo(day.Add(8*time.Hour + 10*time.Minute))
	f.settle()
	if len(f.livePods()) != 1 {
		t.Fatal("pod deleted while DECOMMISSIONING")
	}
	// 08:20: the morning window opens: recommission.
	f.advanceTo(day.Add(8*time.Hour + 20*time.Minute))
	f.settle()
	if f.rec.count(EventRecommissionJob) != 1 || f.rec.count(EventDrainCancelled) != 1 {
		t.Errorf("events %v", f.rec.events)
	}
	if p := f.livePods()[0]; p.Annotations[v1alpha1.AnnotationDrainStarted] != "" {
		t.Errorf("drain annotations left: %v", p.Annotations)
	}
}

func hasFinalizer(o metav1.Object, name string) bool {
	for _, f := range o.GetFinalizers() {
		if f == name {
			return true
		}
	}
	return false
}
