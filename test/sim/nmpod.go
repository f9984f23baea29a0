package sim

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// NMPodBatchRequest is what the NodeManager pod the operator builds for spec requests from
// Koordinator, as koordlet sums it (koordinator pkg/util/pod_resources_utils.go
// GetPodBEMilliCPURequest at a7a1b76b: the containers' and sidecars' batch-cpu requests, for
// pods of QoS class BE only, pkg/koordlet/metricsadvisor/collectors/beresource/
// be_resource_collector.go getBECPURequestMilliCores). podspec.Build decides: the template's
// resources, else a static pool's capacity, else nothing (a resident pool never requests its ceiling).
func NMPodBatchRequest(spec v1alpha1.ElasticNodeManagerSpec) Resources {
	enm := &v1alpha1.ElasticNodeManager{ObjectMeta: metav1.ObjectMeta{Name: "sim", Namespace: "sim"}, Spec: spec}
	sip := &v1alpha1.StaticIP{ObjectMeta: metav1.ObjectMeta{Name: "sim"}, Spec: v1alpha1.StaticIPSpec{FQDN: "nm.sim.example"}}
	pod := podspec.Build(enm, "node", sip, podspec.Options{DefaultGuarderImage: "guarder"})
	if pod.Labels[podspec.LabelKoordQoS] != podspec.DefaultQoSClass {
		return Resources{} // not a BE pod: koordlet neither counts nor evicts it
	}
	var r Resources
	add := func(c corev1.Container) {
		if q, ok := c.Resources.Requests[podspec.BatchCPU]; ok {
			r.VCores += q.Value() / 1000 // batch-cpu is an integer count of milli-cores
		}
		if q, ok := c.Resources.Requests[podspec.BatchMemory]; ok {
			r.MemoryMB += q.Value() / bytesPerMiB
		}
	}
	for _, c := range pod.Spec.Containers {
		add(c)
	}
	for _, c := range pod.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			add(c) // a sidecar runs beside the others and is summed
		}
	}
	return r
}

// NMPodRequest is the batch request of the product's NodeManager pod.
func (e *Elastic) NMPodRequest() Resources { return NMPodBatchRequest(e.opt.Spec) }

// NMPodRequest is the batch request of a static pool's NodeManager pod: its capacity.
func (s Static) NMPodRequest() Resources {
	return NMPodBatchRequest(v1alpha1.ElasticNodeManagerSpec{Capacity: v1alpha1.CapacitySpec{
		Static: &v1alpha1.Resources{VCores: int32(s.Size.VCores), MemoryMB: s.Size.MemoryMB}}})
}
