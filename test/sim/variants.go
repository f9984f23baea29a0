package sim

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// ElasticVariant is the product with one spec change, named name.
func ElasticVariant(name string, change func(*v1alpha1.DynamicCapacity)) Factory {
	opt := DefaultElasticOptions()
	opt.Name = name
	dc := *opt.Spec.Capacity.Dynamic
	change(&dc)
	opt.Spec.Capacity.Dynamic = &dc
	return ElasticFactory(opt)
}

// WithConfigured makes the NMs of f's strategy register with size instead of
// Config.NMConfigured (their yarn-site resources), under a new name.
func WithConfigured(f Factory, name string, size Resources) Factory {
	return func() Strategy { return configured{Strategy: f(), name: name, size: size} }
}

type configured struct {
	Strategy
	name string
	size Resources
}

func (c configured) Name() string          { return c.name }
func (c configured) Configured() Resources { return c.size }

// WithBatchCPURequest is the product whose NodeManager pod template requests cores of
// kubernetes.io/batch-cpu (requests equal to limits), under a new name: koordlet's cpuevict
// can then select it, and the policy's CPU-eviction guard applies.
func WithBatchCPURequest(name string, cores int64) Factory {
	opt := DefaultElasticOptions()
	opt.Name = name
	q := *resource.NewQuantity(cores*1000, resource.DecimalSI)
	opt.Spec.Template.Resources = corev1.ResourceRequirements{
		Requests: corev1.ResourceList{podspec.BatchCPU: q}, Limits: corev1.ResourceList{podspec.BatchCPU: q.DeepCopy()}}
	return ElasticFactory(opt)
}

// VariantStrategies are settings of the product worth comparing with its defaults: a
// conservative statistic (the window's minimum or 10th percentile), NMs that register
// with no capacity, so a restarted NM takes nothing before the operator sizes it, the former
// defaults (VCoreRatio memory, a 10 % band), and a pod template that requests 64 cores of
// batch CPU (the former pod with a 64-vcore ceiling), which makes the NM evictable for CPU.
func VariantStrategies() []Factory {
	q := int32(10)
	minimum := ElasticVariant("elastic-yarn/min", func(d *v1alpha1.DynamicCapacity) { d.Statistic = v1alpha1.StatisticMin })
	return []Factory{
		minimum,
		ElasticVariant("elastic-yarn/p10", func(d *v1alpha1.DynamicCapacity) {
			d.Statistic, d.QuantilePercent = v1alpha1.StatisticQuantile, &q
		}),
		WithConfigured(ElasticFactory(DefaultElasticOptions()), "elastic-yarn/nm0", Resources{}),
		WithConfigured(minimum, "elastic-yarn/min+nm0", Resources{}),
		ElasticVariant("elastic-yarn/ratio+tol10", func(d *v1alpha1.DynamicCapacity) {
			d.Memory.Policy, d.ScaleDownTolerancePercent = v1alpha1.MemoryVCoreRatio, 10
		}),
		WithBatchCPURequest("elastic-yarn/request64", 64),
	}
}
