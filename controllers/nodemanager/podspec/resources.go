package podspec

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Koordinator's batch extended resources and QoS label.
const (
	BatchCPU        corev1.ResourceName = "kubernetes.io/batch-cpu"    // milli-cores
	BatchMemory     corev1.ResourceName = "kubernetes.io/batch-memory" // bytes
	LabelKoordQoS                       = "koordinator.sh/qosClass"
	DefaultPriority                     = "koord-batch"
	QoSNone                             = "None"
	DefaultQoSClass                     = "BE"
)

// nodeManagerResources: the template's resources when it has any; otherwise a static pool's
// capacity as Koordinator batch resources, requests equal to limits as Koordinator expects
// for BE pods. A resident (dynamic) pool requests nothing, not even its ceiling: the
// operator reports what YARN holds in the Node's thirdPartyAllocations, which koord-manager
// subtracts from the batch allocatable, so a batch request as well would count YARN twice;
// and a batch-cpu request is what koordlet's cpuevict divides the BE limit by, so requesting
// the ceiling would make a busy NodeManager evictable whenever the limit falls under 60 % of
// it. Koordinator's own YARN integration requests only the NodeManager daemon's footprint
// (koordinator-sh/yarn-copilot charts/hadoop-yarn/values.yaml: 1 core, 1 GiB); a template
// can do the same.
func nodeManagerResources(enm *v1alpha1.ElasticNodeManager) corev1.ResourceRequirements {
	t := enm.Spec.Template.Resources
	if len(t.Requests) > 0 || len(t.Limits) > 0 || len(t.Claims) > 0 {
		return *t.DeepCopy()
	}
	r := enm.Spec.Capacity.Static
	if r == nil || (r.VCores == 0 && r.MemoryMB == 0) {
		return corev1.ResourceRequirements{}
	}
	list := corev1.ResourceList{
		BatchCPU:    *resource.NewQuantity(int64(r.VCores)*1000, resource.DecimalSI),
		BatchMemory: *resource.NewQuantity(r.MemoryMB*1024*1024, resource.BinarySI),
	}
	return corev1.ResourceRequirements{Requests: list, Limits: list.DeepCopy()}
}
