package nodemanager

import (
	"math"
	"testing"
	"time"

	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// The pool's PodDisruptionBudget allows no eviction of its pods, is put back when edited, and
// is held by the operator's finalizer until the deleted pool is empty.
func TestPoolDisruptionBudget(t *testing.T) {
	f := newFixture(t, day.Add(2*time.Hour))
	f.node("a")
	f.staticIPs(1)
	f.pool(func(e *v1alpha1.ElasticNodeManager) { e.Spec.Decommission.OnDelete = v1alpha1.DeletionImmediate })
	f.settle()
	key := client.ObjectKey{Namespace: f.ns, Name: DisruptionBudgetName("pool")}
	var pdb policyv1.PodDisruptionBudget
	must(t, env.Client.Get(f.ctx, key, &pdb))
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() != math.MaxInt32 || pdb.Spec.MaxUnavailable != nil ||
		pdb.Spec.Selector.MatchLabels[v1alpha1.LabelPool] != "pool" || !metav1.IsControlledBy(&pdb, f.enm()) ||
		!hasFinalizer(&pdb, v1alpha1.FinalizerPool) {
		t.Fatalf("budget %+v", pdb)
	}

	one := intstr.FromInt32(1)
	pdb.Spec.MinAvailable = &one
	must(t, env.Client.Update(f.ctx, &pdb))
	f.reconcile()
	must(t, env.Client.Get(f.ctx, key, &pdb))
	if pdb.Spec.MinAvailable.IntValue() != math.MaxInt32 {
		t.Errorf("an edited budget was not put back: minAvailable %s", pdb.Spec.MinAvailable.String())
	}

	must(t, env.Client.Delete(f.ctx, f.enm()))
	f.advanceTo(day.Add(2*time.Hour + 3*time.Minute)) // the binding's pending grace (no StaticIP controller here)
	f.settle()
	if !f.poolGone() {
		t.Fatal("pool still there")
	}
	must(t, env.Client.Get(f.ctx, key, &pdb))
	if hasFinalizer(&pdb, v1alpha1.FinalizerPool) {
		t.Errorf("the budget keeps the operator's finalizer after the pool went")
	}
}

// elasticyarn.io/drain-requested drains the NodeManager (capacity zero, nothing killed), and
// only once its containers are done is the pod deleted and a new one started on the node.
func TestDrainRequestedReplacesThePod(t *testing.T) {
	f := newFixture(t, day.Add(2*time.Hour))
	f.node("a")
	f.staticIPs(1)
	f.pool(nil)
	f.settle()
	f.rm.SubmitApp(rmemulator.AppSpec{Name: "etl", Queue: "default", User: "alice", Type: "SPARK", Containers: 2,
		Resource: yarnclient.Resource{VCores: 1, MemoryMB: 1024}, AMResource: yarnclient.Resource{VCores: 1, MemoryMB: 1024}, Duration: 10 * time.Minute})
	f.rm.Tick(f.clock.Now())
	old := f.livePods()[0]
	id := old.Annotations[v1alpha1.AnnotationYARNNodeID]

	patch := client.MergeFrom(old.DeepCopy())
	old.Annotations[v1alpha1.AnnotationDrainRequested] = "true"
	must(t, env.Client.Patch(f.ctx, &old, patch))
	f.settle()
	live := f.livePods()
	if len(live) != 1 || live[0].UID != old.UID || live[0].Annotations[v1alpha1.AnnotationDrainStarted] == "" {
		t.Fatalf("want the same pod draining, got %d live pods", len(live))
	}
	if n, _ := f.rm.Node(id); n.Total.VCores != 0 || n.NumContainers == 0 {
		t.Fatalf("RM node %+v: want capacity zero with the containers still running", n)
	}

	f.advanceTo(day.Add(2*time.Hour + 11*time.Minute))
	f.rm.Tick(f.clock.Now()) // the containers finish on their own
	f.settle()
	// The fixture runs the real StaticIP controller, which releases the address as soon as the
	// pod is gone and YARN no longer lists the node as active: the drained pod is deleted and
	// a new one takes its place within the same settle.
	live = f.livePods()
	if len(live) != 1 || live[0].UID == old.UID || live[0].Labels[v1alpha1.LabelStaticIP] != old.Labels[v1alpha1.LabelStaticIP] {
		t.Fatalf("want the drained pod replaced by a new pod on the node with the same StaticIP, got %d live pods", len(live))
	}
	if f.rec.count(EventDrainStarted) != 1 || f.rec.count(EventNodeManagerDeleted) != 1 {
		t.Errorf("events %v", f.rec.events)
	}
}
