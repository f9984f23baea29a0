package nodemanager

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
)

// TestNodeDisappears: a deleted node's pod is deleted (its StaticIP freed once YARN drops
// the NodeManager); the others stay.
func TestNodeDisappears(t *testing.T) {
	f := newFixture(t, day)
	f.node("a")
	f.node("b")
	f.staticIPs(2)
	f.pool(nil)
	f.settle()
	if len(f.livePods()) != 2 {
		t.Fatalf("want 2 pods")
	}
	must(t, env.Client.Delete(f.ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: f.nodeName("b")}}))
	f.settle()
	live := f.livePods()
	if len(live) != 1 || live[0].Labels[v1alpha1.LabelNode] != f.nodeName("a") {
		t.Fatalf("live pods %d", len(live))
	}
	if len(f.pods()) != 1 {
		t.Fatalf("the gone node's pod must be removed once YARN drops it")
	}
	if st := f.enm().Status; st.EligibleNodes != 1 || st.RunningNodeManagers != 1 {
		t.Errorf("status %+v", st)
	}
}

// TestPoolTooSmall: no StaticIP at all, then one for two nodes.
func TestPoolTooSmall(t *testing.T) {
	f := newFixture(t, day)
	f.node("a")
	f.node("b")
	f.pool(nil)
	f.settle()
	if len(f.pods()) != 0 {
		t.Fatal("pods without StaticIPs")
	}
	c := f.condition(v1alpha1.ConditionStaticIPsAvailable)
	if c.Status != metav1.ConditionFalse || c.Reason != plan.ReasonPoolTooSmall {
		t.Errorf("condition %+v", c)
	}
	if r := f.condition(v1alpha1.ConditionReady); r.Status != metav1.ConditionFalse || r.Reason != plan.ReasonPoolTooSmall {
		t.Errorf("Ready %+v", r)
	}
	if f.rec.count(EventPoolTooSmall) != 1 {
		t.Errorf("events %v", f.rec.events)
	}
	f.settle()
	if f.rec.count(EventPoolTooSmall) != 1 {
		t.Errorf("PoolTooSmall must be emitted on the transition only: %v", f.rec.events)
	}

	f.staticIPs(1)
	f.settle()
	if len(f.livePods()) != 1 {
		t.Fatalf("one StaticIP, want one pod, got %d", len(f.livePods()))
	}
	if st := f.enm().Status; st.DesiredNodeManagers != 2 || st.RunningNodeManagers != 1 {
		t.Errorf("status %+v", st)
	}
}

// TestRMUnreachable: the RM stops answering mid-drain; the condition and an Event say so and
// nothing is deleted before the deadline.
func TestRMUnreachable(t *testing.T) {
	f := newFixture(t, day.Add(7*time.Hour))
	f.node("a")
	f.node("b")
	f.staticIPs(2)
	f.pool(scheduled)
	f.settle()
	f.runApp(6) // busy nodes keep draining instead of going at once
	f.advanceTo(day.Add(8 * time.Hour))
	f.settle()
	if len(f.livePods()) != 2 {
		t.Fatalf("want 2 draining pods, got %d", len(f.livePods()))
	}
	f.rm.StopRM(0)
	f.advanceTo(day.Add(8*time.Hour + 40*time.Minute))
	res := f.reconcile()
	c := f.condition(v1alpha1.ConditionRMReachable)
	if c.Status != metav1.ConditionFalse || c.Reason != plan.ReasonRMUnreachable {
		t.Errorf("condition %+v", c)
	}
	if f.rec.count(EventRMUnreachable) != 1 {
		t.Errorf("events %v", f.rec.events)
	}
	if res.RequeueAfter <= 0 || res.RequeueAfter > DefaultDrainPollInterval {
		t.Errorf("requeue after %s, want a poll", res.RequeueAfter)
	}
	if f.shedder.count("drain") != 0 {
		// Shedding needs the RM's container count to make sense; without it the
		// plan only waits.
		t.Errorf("shed without RM: %v", f.shedder.calls)
	}
	for _, p := range f.pods() {
		if p.DeletionTimestamp != nil {
			t.Errorf("pod %s deleted while the RM is unreachable", p.Name)
		}
	}
	if len(f.pods()) != 2 {
		t.Errorf("pods deleted while the RM is unreachable")
	}
	// The deadline is final even without the RM: the node belongs to online services then.
	f.advanceTo(day.Add(9 * time.Hour))
	f.reconcile()
	if len(f.livePods()) != 0 {
		t.Errorf("pods kept past the deadline")
	}
}

// TestInvalidTimeZone: SpecValid=False with the reason, an Event, and nothing created.
func TestInvalidTimeZone(t *testing.T) {
	f := newFixture(t, day.Add(2*time.Hour))
	f.node("a")
	f.staticIPs(1)
	f.pool(func(e *v1alpha1.ElasticNodeManager) {
		scheduled(e)
		e.Spec.Schedule.TimeZone = "Mars/Olympus_Mons"
	})
	res := f.settle()
	c := f.condition(v1alpha1.ConditionSpecValid)
	if c.Status != metav1.ConditionFalse || c.Reason != plan.ReasonInvalidTimeZone {
		t.Errorf("SpecValid %+v", c)
	}
	if r := f.condition(v1alpha1.ConditionReady); r.Status != metav1.ConditionFalse {
		t.Errorf("Ready %+v", r)
	}
	if f.rec.count(EventInvalidTimeZone) != 1 {
		t.Errorf("events %v", f.rec.events)
	}
	if len(f.pods()) != 0 || res.RequeueAfter != 0 {
		t.Errorf("pods %d requeue %s", len(f.pods()), res.RequeueAfter)
	}
}
