package nodemanager

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
)

// TestOnDemandBurstWithExpiry: two of three nodes run until expiresAt, lowering nodes
// drains the surplus, expiry drains the rest with the decommission timeout.
func TestOnDemandBurstWithExpiry(t *testing.T) {
	f := newFixture(t, day)
	f.node("a")
	f.node("b")
	f.node("c")
	f.staticIPs(3)
	expires := metav1.NewTime(day.Add(4 * time.Hour))
	f.pool(func(e *v1alpha1.ElasticNodeManager) {
		e.Spec.Mode = v1alpha1.ModeOnDemand
		e.Spec.OnDemand = &v1alpha1.OnDemandSpec{Nodes: 2, ExpiresAt: &expires}
		e.Spec.Decommission.Timeout = &metav1.Duration{Duration: 2 * time.Hour}
	})
	f.settle()
	live := f.livePods()
	if len(live) != 2 || live[0].Labels[v1alpha1.LabelNode] != f.nodeName("a") || live[1].Labels[v1alpha1.LabelNode] != f.nodeName("b") {
		t.Fatalf("want pods on a and b (by name), got %d", len(live))
	}
	st := f.enm().Status
	if st.NextTransitionAction != string(plan.ActionExpire) || !st.NextTransition.Time.Equal(expires.Time) {
		t.Errorf("next %v %s", st.NextTransition, st.NextTransitionAction)
	}

	// Lowering the burst drains one, by the timeout.
	enm := f.enm()
	patch := client.MergeFrom(enm.DeepCopy())
	enm.Spec.OnDemand.Nodes = 1
	must(t, env.Client.Patch(f.ctx, enm, patch))
	f.advanceTo(day.Add(time.Hour))
	f.settle()
	draining := 0
	for _, p := range f.livePods() {
		if p.Annotations[v1alpha1.AnnotationDrainStarted] != "" {
			draining++
			if p.Labels[v1alpha1.LabelNode] != f.nodeName("b") {
				t.Errorf("the lowest-ranked node must drain, got %s", p.Labels[v1alpha1.LabelNode])
			}
		}
	}
	// b had no containers: it is deleted as soon as capacity 0 shows.
	f.settle()
	if draining > 1 || len(f.livePods()) != 1 {
		t.Fatalf("draining %d, live %d", draining, len(f.livePods()))
	}

	// Expiry: the burst drains to zero with the decommission timeout as deadline.
	f.runApp(2)
	f.advanceTo(expires.Time)
	f.settle()
	live = f.livePods()
	if len(live) != 1 || live[0].Annotations[v1alpha1.AnnotationDrainDeadline] != expires.Add(2*time.Hour).Format(time.RFC3339) {
		t.Fatalf("after expiry: %d pods, deadline %q", len(live), live[0].Annotations[v1alpha1.AnnotationDrainDeadline])
	}
	if st := f.enm().Status; st.DesiredNodeManagers != 0 || st.NextTransition != nil {
		t.Errorf("status after expiry %+v", st)
	}
	f.advanceTo(expires.Add(2 * time.Hour))
	f.settle()
	if n := len(f.pods()); n != 0 {
		t.Fatalf("%d pods after the expiry drain deadline", n)
	}
}
