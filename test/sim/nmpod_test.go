package sim

import (
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// TestNMPodBatchRequest: koordlet's BE request is what podspec puts in the NM pod, not what
// YARN allocated: the static capacity, the dynamic ceiling, or nothing.
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
	if got := NMPodBatchRequest(spec); got != (Resources{VCores: 48, MemoryMB: 192 * 1024}) {
		t.Errorf("resident pool with a ceiling requests %+v, want the ceiling", got)
	}
	spec.Template.QoSClass = "None"
	if got := NMPodBatchRequest(spec); got != (Resources{}) {
		t.Errorf("a pod outside the BE class is not counted by koordlet, got %+v", got)
	}
}
