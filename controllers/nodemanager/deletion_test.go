package nodemanager

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
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

// TestYarnGracefulExcludeFile: strategy YarnGraceful keeps the exclude file equal to the
// draining hosts through one Job at a time: the drain adds the host, a reopened window
// removes it (recommission), the DECOMMISSIONED node's pod goes, and deleting the pool
// cleans the file before the finalizer goes.
func TestYarnGracefulExcludeFile(t *testing.T) {
	f := newFixture(t, day.Add(7*time.Hour))
	f.node("a")
	f.staticIPs(2)
	f.pool(func(e *v1alpha1.ElasticNodeManager) {
		scheduled(e)
		e.Spec.Decommission.Strategy = v1alpha1.DecommissionYarnGraceful
		e.Spec.Decommission.ExcludeFile = "hdfs://nn/yarn/exclude"
		e.Spec.Schedule.Windows = append(e.Spec.Schedule.Windows, v1alpha1.Window{Name: "morning", Start: "08:20", End: "10:00", DrainDuration: &metav1.Duration{Duration: time.Hour}})
	})
	f.settle()
	f.runApp(3)
	if n := len(f.excludeJobs()); n != 0 {
		t.Fatalf("%d exclude Jobs before any drain", n)
	}
	pod := f.livePods()[0]
	id := pod.Annotations[v1alpha1.AnnotationYARNNodeID]
	host, _, _ := cutPort(id)

	// 08:00: the drain puts the host in the file.
	f.advanceTo(day.Add(8 * time.Hour))
	f.settle()
	jobs := f.excludeJobs()
	if len(jobs) != 1 || env1(jobs[0], "EXCLUDE_HOSTS") != host || env1(jobs[0], "INCLUDE_HOSTS") == "" || env1(jobs[0], "TIMEOUT_SECONDS") != "3600" {
		t.Fatalf("jobs %d, exclude %q", len(jobs), env1(jobs[0], "EXCLUDE_HOSTS"))
	}
	if jobs[0].Spec.Template.Spec.Containers[0].Image != "hadoop:3.3.6" || f.rec.count(EventExcludeJob) != 1 {
		t.Errorf("image %s, events %v", jobs[0].Spec.Template.Spec.Containers[0].Image, f.rec.events)
	}
	// What refreshNodes -g does: the RM decommissions the node; the pod waits for it.
	f.completeJobs()
	must(t, f.rm.SetNodeState(id, "DECOMMISSIONING"))
	f.advanceTo(day.Add(8*time.Hour + 10*time.Minute))
	f.settle()
	if len(f.livePods()) != 1 || len(f.excludeJobs()) != 1 {
		t.Fatalf("pods %d jobs %d while DECOMMISSIONING", len(f.livePods()), len(f.excludeJobs()))
	}

	// 08:20: the morning window opens: the host leaves the file (recommission).
	f.advanceTo(day.Add(8*time.Hour + 20*time.Minute))
	f.settle()
	jobs = f.excludeJobs()
	if len(jobs) != 2 || env1(latest(jobs), "EXCLUDE_HOSTS") != "" {
		t.Fatalf("want a recommission Job, got %d jobs", len(jobs))
	}
	if f.rec.count(EventDrainCancelled) != 1 || f.livePods()[0].Annotations[v1alpha1.AnnotationDrainStarted] != "" {
		t.Errorf("drain not cancelled: %v", f.rec.events)
	}
	f.completeJobs()
	must(t, f.rm.SetNodeState(id, "RUNNING"))

	// 10:00: drained again; the RM finishes (DECOMMISSIONED): the pod goes, the file is cleaned.
	f.advanceTo(day.Add(10 * time.Hour))
	f.settle()
	f.completeJobs()
	must(t, f.rm.SetNodeState(id, "DECOMMISSIONED"))
	f.advanceTo(day.Add(10*time.Hour + 5*time.Minute))
	f.settle()
	if len(f.pods()) != 0 {
		t.Fatalf("pod left after DECOMMISSIONED")
	}
	f.completeJobs()
	f.settle()
	jobs = f.excludeJobs()
	if len(jobs) != 4 || env1(latest(jobs), "EXCLUDE_HOSTS") != "" {
		t.Fatalf("want the file cleaned by a 4th Job, got %d jobs", len(jobs))
	}
	must(t, env.Client.Delete(f.ctx, f.enm()))
	f.completeJobs()
	f.advanceTo(day.Add(11 * time.Hour))
	f.settle()
	if !f.poolGone() {
		t.Fatal("pool not gone")
	}
}

func (f *fixture) excludeJobs() []batchv1.Job {
	f.t.Helper()
	var list batchv1.JobList
	must(f.t, env.Client.List(f.ctx, &list, client.InNamespace(f.ns), client.MatchingLabels{podspec.LabelExcludeJob: "true"}))
	return list.Items
}

// completeJobs plays the Job controller: every unfinished exclude Job succeeds.
func (f *fixture) completeJobs() {
	f.t.Helper()
	for _, j := range f.excludeJobs() {
		if len(j.Status.Conditions) > 0 {
			continue
		}
		now := metav1.NewTime(f.clock.Now())
		j.Status.StartTime = &now
		j.Status.CompletionTime = &now
		j.Status.Succeeded = 1
		j.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: now},
		}
		must(f.t, env.Client.Status().Update(f.ctx, &j))
	}
}

func latest(jobs []batchv1.Job) batchv1.Job {
	best := jobs[0]
	for _, j := range jobs[1:] {
		if podspec.ExcludeJobSeq(&best) < podspec.ExcludeJobSeq(&j) {
			best = j
		}
	}
	return best
}

func env1(j batchv1.Job, name string) string {
	for _, e := range j.Spec.Template.Spec.Containers[0].Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func hasFinalizer(o metav1.Object, name string) bool {
	for _, f := range o.GetFinalizers() {
		if f == name {
			return true
		}
	}
	return false
}
