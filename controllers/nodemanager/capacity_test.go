package nodemanager

import (
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// TestStaticCapacityReapplied: a Static pool's capacity is written when the NM registers
// with another one, and again after a re-registration made the RM forget it.
func TestStaticCapacityReapplied(t *testing.T) {
	f := newFixture(t, day)
	f.node("a")
	f.staticIPs(1)
	f.pool(func(e *v1alpha1.ElasticNodeManager) {
		e.Spec.Capacity.Static = &v1alpha1.Resources{VCores: 3, MemoryMB: 6144}
	})
	f.settle()
	id := f.livePods()[0].Annotations[v1alpha1.AnnotationYARNNodeID]
	if n, _ := f.rm.Node(id); n.Total.VCores != 3 || n.Total.MemoryMB != 6144 {
		t.Fatalf("total %+v, want the static 3/6144", n.Total)
	}
	must(t, f.rm.ReRegisterNode(id))
	f.settle()
	if n, _ := f.rm.Node(id); n.Total.VCores != 3 {
		t.Fatalf("after re-registration total %+v", n.Total)
	}
	writes := f.rm.Requests("POST", "/ws/v1/cluster/nodes/"+id+"/resource")
	f.settle()
	if again := f.rm.Requests("POST", "/ws/v1/cluster/nodes/"+id+"/resource"); again != writes {
		t.Errorf("RM written without a difference: %d -> %d", writes, again)
	}
	if st := f.enm().Status; st.Offered.VCores != 3 || st.Offered.MemoryMB != 6144 {
		t.Errorf("offered %+v", st.Offered)
	}
}
