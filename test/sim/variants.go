package sim

import "github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"

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

// VariantStrategies are settings of the product worth comparing with its defaults: a
// conservative statistic (the window's minimum or 10th percentile) and NMs that register
// with no capacity, so a restarted NM takes nothing before the operator sizes it.
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
	}
}
