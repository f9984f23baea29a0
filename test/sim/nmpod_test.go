package sim

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// TestNMPodBatchRequest: koordlet's BE request is what podspec puts in the NM pod, not what
// YARN allocated: the static capacity, a resident template's request, or nothing (a
// resident pool never requests its ceiling).
func TestNMPodBatchRequest(t *testing.T) {
	if got := (Static{Size: Resources{VCores: 10, MemoryMB: 30 * 1024}}).NMPodRequest(); got != (Resources{VCores: 10, MemoryMB: 30 * 1024}) {
		t.Errorf("static pool's pod requests %+v, want its capacity", got)
	}
	if got := NewElastic(DefaultElasticOptions()).NMPodRequest(); got != (Resources{}) {
		t.Errorf("resident pool without a ceiling requests %+v, want nothing", got)
	}
	spec := DefaultElasticSpec()
	dc := *spec.Capacity.Dynamic
	dc.Ceiling = &v1alpha1.Resources{VCores: 48, MemoryMB: 192 * 1024}
	spec.Capacity.Dynamic = &dc
	if got := NMPodBatchRequest(spec); got != (Resources{}) {
		t.Errorf("resident pool with a ceiling requests %+v, want nothing", got)
	}
	q := resource.MustParse("1000") // 1 core, yarn-copilot's NodeManager footprint
	spec.Template.Resources = corev1.ResourceRequirements{Requests: corev1.ResourceList{podspec.BatchCPU: q}, Limits: corev1.ResourceList{podspec.BatchCPU: q}}
	if got := NMPodBatchRequest(spec); got != (Resources{VCores: 1}) {
		t.Errorf("resident pool with a template request asks for %+v, want 1 core", got)
	}
	spec.Template.QoSClass = "None"
	if got := NMPodBatchRequest(spec); got != (Resources{}) {
		t.Errorf("a pod outside the BE class is not counted by koordlet, got %+v", got)
	}
}
