package nodemanager

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
)

var day = time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)

func scheduled(enm *v1alpha1.ElasticNodeManager) {
	enm.Spec.Mode = v1alpha1.ModeScheduled
	enm.Spec.Schedule = &v1alpha1.ScheduleSpec{TimeZone: "UTC", Windows: []v1alpha1.Window{{
		Name: "night", Start: "01:00", End: "08:00", DrainDuration: &metav1.Duration{Duration: time.Hour},
	}}}
	enm.Spec.Decommission = v1alpha1.DecommissionSpec{Strategy: v1alpha1.DecommissionDrain,
		ShedAfter: &metav1.Duration{Duration: 30 * time.Minute}, Timeout: &metav1.Duration{Duration: time.Hour}}
}

// TestScheduledDay drives a whole day with the clock: nothing before the window, pods at
// its start, capacity 0 at its end, a shed request after shedAfter, an idle node deleted at
// once, the busy one at the deadline, addresses released, the next window announced.
func TestScheduledDay(t *testing.T) {
	f := newFixture(t, day.Add(30*time.Minute))
	f.node("a")
	f.node("b")
	f.staticIPs(3)
	f.pool(scheduled)

	res := f.settle()
	if n := len(f.pods()); n != 0 {
		t.Fatalf("%d pods before the window", n)
	}
	if res.RequeueAfter != 30*time.Minute {
		t.Errorf("requeue after %s, want the window start in 30m", res.RequeueAfter)
	}
	st := f.enm().Status
	if st.NextTransitionAction != string(plan.ActionStart) || !st.NextTransition.Time.Equal(day.Add(time.Hour)) {
		t.Errorf("next transition %v %s", st.NextTransition, st.NextTransitionAction)
	}

	// 01:00: the window opens.
	f.advanceTo(day.Add(time.Hour))
	f.settle()
	pods := f.livePods()
	if len(pods) != 2 {
		t.Fatalf("%d pods at window start, want 2; events %v; status %+v", len(pods), f.rec.events, f.enm().Status)
	}
	st = f.enm().Status
	if st.RunningNodeManagers != 2 || st.DesiredNodeManagers != 2 || st.EligibleNodes != 2 || st.Offered.VCores != 8 {
		t.Errorf("status %+v", st)
	}
	if c := f.condition(v1alpha1.ConditionReady); c.Status != metav1.ConditionTrue {
		t.Errorf("Ready %+v", c)
	}
	if f.rec.count(EventWindowOpened) != 1 || f.rec.count(EventNodeManagerCreated) != 2 {
		t.Errorf("events %v", f.rec.events)
	}
	for _, n := range f.rm.Nodes() {
		if len(n.Labels) != 1 || n.Labels[0] != "elastic" {
			t.Errorf("YARN node %s labels %v, want [elastic]", n.ID, n.Labels)
		}
	}
	// Work lands on both nodes.
	f.runApp(6)
	busy := 0
	for _, n := range f.rm.Nodes() {
		if n.NumContainers > 0 {
			busy++
		}
	}
	if busy != 2 {
		t.Fatalf("work on %d nodes", busy)
	}

	// 08:00: the window ends; drains start and YARN stops placing work.
	f.advanceTo(day.Add(8 * time.Hour))
	f.settle()
	if len(f.livePods()) != 2 {
		t.Fatalf("pods deleted at drain start")
	}
	for _, p := range f.livePods() {
		if p.Annotations[v1alpha1.AnnotationDrainDeadline] != day.Add(9*time.Hour).Format(time.RFC3339) {
			t.Errorf("deadline %q", p.Annotations[v1alpha1.AnnotationDrainDeadline])
		}
	}
	for _, n := range f.rm.Nodes() {
		if n.Total.VCores != 0 || n.Total.MemoryMB != 0 {
			t.Errorf("RM total of %s = %+v, want 0", n.ID, n.Total)
		}
	}
	if st := f.enm().Status; st.DrainingNodeManagers != 2 || st.NextTransitionAction != string(plan.ActionExpire) {
		t.Errorf("status %+v", st)
	}
	if f.rec.count(EventWindowClosed) != 1 || f.rec.count(EventDrainStarted) != 2 {
		t.Errorf("events %v", f.rec.events)
	}

	// 08:30: the guarder is asked to shed, once per pod.
	f.advanceTo(day.Add(8*time.Hour + 30*time.Minute))
	f.settle()
	f.settle()
	if f.shedder.count("drain") != 2 {
		t.Errorf("shed calls %v", f.shedder.calls)
	}
	// The guarder empties the node without the ApplicationMaster: it goes at once.
	var first corev1.Pod
	for _, p := range f.livePods() {
		hasAM := false
		for _, c := range f.rm.Containers(p.Annotations[v1alpha1.AnnotationYARNNodeID]) {
			hasAM = hasAM || c.AM
		}
		if !hasAM {
			first = p
		}
	}
	for _, c := range f.rm.Containers(first.Annotations[v1alpha1.AnnotationYARNNodeID]) {
		must(t, f.rm.KillContainer(c.ID))
	}
	f.rm.Tick(f.clock.Now())
	f.settle()
	if live := f.livePods(); len(live) != 1 || live[0].Name == first.Name {
		t.Fatalf("after the first node emptied: %d pods left", len(live))
	}

	// 09:00: the deadline takes the busy one.
	f.advanceTo(day.Add(9 * time.Hour))
	f.settle()
	if n := len(f.pods()); n != 0 {
		t.Fatalf("%d pods after the deadline (finalizers must go once YARN drops the nodes)", n)
	}
	f.settle()
	for _, sipName := range []string{"nm-0", "nm-1"} {
		sip := &v1alpha1.StaticIP{}
		must(t, env.Client.Get(f.ctx, clientKey(f.ns, sipName), sip))
		if sip.Status.Binding != nil || sip.Status.LastNodeName == "" {
			t.Errorf("StaticIP %s not released: %+v", sipName, sip.Status)
		}
	}
	st = f.enm().Status
	if st.NextTransitionAction != string(plan.ActionStart) || !st.NextTransition.Time.Equal(day.Add(25*time.Hour)) {
		t.Errorf("next transition %v %s", st.NextTransition, st.NextTransitionAction)
	}

	// The next night reuses the same addresses on the same nodes (sticky).
	f.advanceTo(day.Add(25 * time.Hour))
	f.settle()
	for _, p := range f.livePods() {
		sip := &v1alpha1.StaticIP{}
		must(t, env.Client.Get(f.ctx, clientKey(f.ns, p.Labels[v1alpha1.LabelStaticIP]), sip))
		if sip.Status.Binding == nil || sip.Status.Binding.NodeName != sip.Status.LastNodeName {
			t.Errorf("pod %s did not get its node's previous address: %+v", p.Name, sip.Status)
		}
	}
}
