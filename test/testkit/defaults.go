package testkit

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// WithAPIDefaults returns a copy of enm with every CRD default (the +kubebuilder:default
// markers of api/v1alpha1) filled in where the field is empty: the pool as the API server
// stores it. Code that reads a pool without an API server (the simulator, pure decision
// tests) uses it; TestPoolDefaultsAreValid keeps it equal to the CRD's defaulting.
func WithAPIDefaults(enm *v1alpha1.ElasticNodeManager) *v1alpha1.ElasticNodeManager {
	out := enm.DeepCopy()
	s := &out.Spec
	setInt32(&s.YARN.NodeManagerPorts.RPC, 8041)
	setInt32(&s.YARN.NodeManagerPorts.HTTP, 8042)
	if k := s.YARN.Kerberos; k != nil && len(k.NodeManagerPrincipals) == 0 {
		k.NodeManagerPrincipals = []string{"nm/{fqdn}", "HTTP/{fqdn}"}
	}
	t := &s.Template
	setString(&t.ImagePullPolicy, "IfNotPresent")
	setString(&t.PriorityClassName, "koord-batch")
	setString(&t.QoSClass, "BE")
	if t.TerminationGracePeriodSeconds == nil {
		sixty := int64(60)
		t.TerminationGracePeriodSeconds = &sixty
	}
	setString(&s.StaticIPs.AnnotationKey, "cni.projectcalico.org/ipAddrs")
	setString(&s.StaticIPs.AnnotationFormat, "JSONList")
	if sc := s.Schedule; sc != nil {
		setString(&sc.TimeZone, "UTC")
		for i := range sc.Windows {
			setDuration(&sc.Windows[i].DrainDuration, time.Hour)
		}
	}
	setString(&s.Capacity.Source, v1alpha1.CapacityStatic)
	if dc := s.Capacity.Dynamic; dc != nil {
		dynamicDefaults(dc)
	}
	d := &s.Decommission
	setString(&d.Strategy, v1alpha1.DecommissionDrain)
	setDuration(&d.Timeout, time.Hour)
	setDuration(&d.ShedAfter, 30*time.Minute)
	setString(&d.OnDelete, v1alpha1.DeletionDrain)
	g := &s.Guarder
	setBool(&g.Enabled, true)
	setInt32(&g.Port, 9810)
	setDuration(&g.GracePeriod, 5*time.Minute)
	setString(&g.SignalPolicy, v1alpha1.SignalGraceful)
	setString(&g.ContainerIdentification, v1alpha1.IdentifyByCgroup)
	u := &s.UpdateStrategy
	setString(&u.Type, v1alpha1.UpdateRollingUpdate)
	if u.MaxUnavailable == nil {
		tenPercent := intstr.FromString("10%")
		u.MaxUnavailable = &tenPercent
	}
	setDuration(&u.ProgressDeadline, 10*time.Minute)
	n := &s.NodeSafety
	setBool(&n.Enabled, true)
	setInt32(&n.CPUThresholdPercent, 90)
	setDuration(&n.ShedAfter, 5*time.Minute)
	setString(&n.ShedOrder, v1alpha1.ShedByApplicationPriority)
	return out
}

func dynamicDefaults(dc *v1alpha1.DynamicCapacity) {
	setString(&dc.CPUMetric, v1alpha1.BESuppressCPU)
	setDuration(&dc.Window, 10*time.Minute)
	setString(&dc.Statistic, v1alpha1.StatisticMean)
	setDuration(&dc.Interval, time.Minute)
	setInt32(&dc.ScaleUpStepVCores, 3)
	setInt32(&dc.ScaleDownTolerancePercent, 20)
	setString(&dc.Memory.Policy, v1alpha1.MemoryBatch)
	setInt32(&dc.Memory.MBPerVCore, 4096)
	for i := range dc.Overcommit {
		setInt32(&dc.Overcommit[i].MemoryPercent, 100)
	}
	setDuration(&dc.StaleAfter, 3*time.Minute)
	setDuration(&dc.ShrinkToFloorAfter, 15*time.Minute)
	setInt32(&dc.MaxRMWritesPerMinute, v1alpha1.DefaultMaxRMWritesPerMinute)
}

func setString[T ~string](p *T, def T) {
	if *p == "" {
		*p = def
	}
}

func setInt32(p *int32, def int32) {
	if *p == 0 {
		*p = def
	}
}

func setBool(p **bool, def bool) {
	if *p == nil {
		*p = &def
	}
}

func setDuration(p **metav1.Duration, def time.Duration) {
	if *p == nil {
		*p = duration(def)
	}
}
