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

// nodeManagerResources: the template's resources when it has any; otherwise the pool's
// static capacity (or, in resident mode, its dynamic ceiling) as Koordinator batch
// resources, requests equal to limits as Koordinator expects for BE pods. With neither,
// nothing is requested.
func nodeManagerResources(enm *v1alpha1.ElasticNodeManager) corev1.ResourceRequirements {
	t := enm.Spec.Template.Resources
	if len(t.Requests) > 0 || len(t.Limits) > 0 || len(t.Claims) > 0 {
		return *t.DeepCopy()
	}
	var r *v1alpha1.Resources
	switch {
	case enm.Spec.Capacity.Static != nil:
		r = enm.Spec.Capacity.Static
	case enm.Spec.Capacity.Dynamic != nil && enm.Spec.Capacity.Dynamic.Ceiling != nil:
		r = enm.Spec.Capacity.Dynamic.Ceiling
	}
	if r == nil || (r.VCores == 0 && r.MemoryMB == 0) {
		return corev1.ResourceRequirements{}
	}
	list := corev1.ResourceList{
		BatchCPU:    *resource.NewQuantity(int64(r.VCores)*1000, resource.DecimalSI),
		BatchMemory: *resource.NewQuantity(r.MemoryMB*1024*1024, resource.BinarySI),
	}
	return corev1.ResourceRequirements{Requests: list, Limits: list.DeepCopy()}
}
