package koordledger

import (
	"math"

	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestFromNodeAllocatable(t *testing.T) {
	node := func(annotations map[string]string, alloc corev1.ResourceList) *corev1.Node {
		return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n", Annotations: annotations}, Status: corev1.NodeStatus{Allocatable: alloc}}
	}
	status := corev1.ResourceList{ResourceBatchCPU: resource.MustParse("60646"), ResourceBatchMemory: resource.MustParse("256Gi")}

	m, ok, err := FromNodeAllocatable(node(nil, status))
	if err != nil || !ok || !near(m.CPUCores.Mean, 60.646) || !near(m.MemoryBytes.Min, 256*gib) || !m.FromAllocatable {
		t.Errorf("status.allocatable: %+v ok=%v err=%v, want 60.646 cores and 256 GiB", m, ok, err)
	}
	origin := `{"resources":{"kubernetes.io/batch-cpu":"80000","kubernetes.io/batch-memory":"300Gi"}}`
	m, ok, err = FromNodeAllocatable(node(map[string]string{AnnotationOriginExtendedAllocatable: origin}, status))
	if err != nil || !ok || !near(m.CPUCores.Mean, 80) || !near(m.MemoryBytes.Mean, 300*gib) {
		t.Errorf("origin annotation wins: %+v ok=%v err=%v", m, ok, err)
	}
	ledger := `{"allocations":[{"name":"hadoop-yarn","priority":"koord-batch","resources":{"kubernetes.io/batch-cpu":"8000","kubernetes.io/batch-memory":"32Gi"}}]}`
	m, ok, err = FromNodeAllocatable(node(map[string]string{AnnotationThirdPartyAllocations: ledger}, status))
	if err != nil || !ok || !near(m.CPUCores.Mean, 68.646) || !near(m.MemoryBytes.Mean, 288*gib) {
		t.Errorf("no origin: YARN's share goes back onto status.allocatable: %+v ok=%v err=%v", m, ok, err)
	}
	if _, ok, err := FromNodeAllocatable(node(nil, corev1.ResourceList{ResourceBatchCPU: resource.MustParse("1000")})); ok || err != nil {
		t.Errorf("no batch memory: ok=%v err=%v, want not available", ok, err)
	}
	if _, _, err := FromNodeAllocatable(node(map[string]string{AnnotationOriginExtendedAllocatable: "bad"}, status)); err == nil {
		t.Error("malformed annotation: want an error")
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(b)) }

const gib = float64(1 << 30)
