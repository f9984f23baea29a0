package testkit

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Defaults the builders use when an option is left empty.
const (
	DefaultNamespace     = "default"
	DefaultPoolName      = "pool"
	DefaultClusterName   = "test"
	DefaultImage         = "registry.example.com/hadoop-nodemanager:3.3.6"
	DefaultRealm         = "EXAMPLE.TEST"
	DefaultPrometheusURL = "http://prometheus.monitoring.svc:9090"
	// DefaultKrb5ConfigMap and DefaultClientKeytabSecret are what a Kerberos pool refers to;
	// a test that runs the operator's Kerberos paths creates them (see test/kdc).
	DefaultKrb5ConfigMap      = "krb5"
	DefaultClientKeytabSecret = "yarn-operator-keytab"
)

// DefaultResourceManagers is an RM HA pair, as production runs.
var DefaultResourceManagers = []string{"https://rm1.example.test:8090", "https://rm2.example.test:8090"}

// DefaultStatic is the static capacity of a Static pool (iQIYI's first stage: 10 vcores, 30 GiB).
var DefaultStatic = v1alpha1.Resources{VCores: 10, MemoryMB: 30 * 1024}

// PoolOptions are an ElasticNodeManager's settings; every zero field takes its default.
type PoolOptions struct {
	Namespace string // DefaultNamespace
	Name      string // DefaultPoolName
	// ClusterName is spec.yarn.clusterName (DefaultClusterName).
	ClusterName string
	// ResourceManagers are the RM web addresses (DefaultResourceManagers).
	ResourceManagers []string
	// SimpleAuth leaves spec.yarn.kerberos unset, for a cluster with
	// hadoop.security.authentication=simple; by default the pool uses Kerberos in Realm.
	SimpleAuth bool
	// Realm of the pool's Kerberos settings (DefaultRealm).
	Realm string
	// NodeLabel is the YARN partition of the pool's NodeManagers; empty means none.
	NodeLabel string
	// Image of the NodeManager container (DefaultImage).
	Image string
	// NodeSelector is spec.placement.nodeSelector; empty means every node.
	NodeSelector map[string]string
	// StaticIPSelector selects the pool's StaticIPs ({elasticyarn.io/pool: Name}, the label
	// StaticIP gives them).
	StaticIPSelector map[string]string
	// Mode is Resident by default. Scheduled pools get a nightly window 22:00-06:00 unless
	// Schedule is set; OnDemand pools get one node unless OnDemand is set.
	Mode     v1alpha1.Mode
	Schedule *v1alpha1.ScheduleSpec
	OnDemand *v1alpha1.OnDemandSpec
	// Capacity replaces the whole capacity spec. By default a Resident pool takes its capacity
	// from Koordinator (Dynamic, or DynamicCapacity(PrometheusURL)) and any other pool is
	// Static (DefaultStatic).
	Capacity *v1alpha1.CapacitySpec
	// Dynamic is the Koordinator policy of a default Resident pool.
	Dynamic *v1alpha1.DynamicCapacity
	// PrometheusURL of the default dynamic policy (DefaultPrometheusURL).
	PrometheusURL string
	// Guarder and NodeSafety are copied as they are (the zero value means the API's defaults).
	Guarder    v1alpha1.GuarderSpec
	NodeSafety v1alpha1.NodeSafetySpec
}

// Pool builds an ElasticNodeManager that the CRD's validation accepts.
func Pool(o PoolOptions) *v1alpha1.ElasticNodeManager {
	o.Namespace = or(o.Namespace, DefaultNamespace)
	o.Name = or(o.Name, DefaultPoolName)
	if o.Mode == "" {
		o.Mode = v1alpha1.ModeResident
	}
	rms := o.ResourceManagers
	if len(rms) == 0 {
		rms = DefaultResourceManagers
	}
	selector := o.StaticIPSelector
	if selector == nil {
		selector = map[string]string{v1alpha1.LabelPool: o.Name}
	}
	enm := &v1alpha1.ElasticNodeManager{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "ElasticNodeManager"},
		ObjectMeta: metav1.ObjectMeta{Namespace: o.Namespace, Name: o.Name},
		Spec: v1alpha1.ElasticNodeManagerSpec{
			YARN:       v1alpha1.YARNSpec{ClusterName: or(o.ClusterName, DefaultClusterName), ResourceManagers: append([]string(nil), rms...)},
			Template:   v1alpha1.NodeManagerTemplate{Image: or(o.Image, DefaultImage)},
			Placement:  v1alpha1.PlacementSpec{NodeSelector: o.NodeSelector},
			StaticIPs:  v1alpha1.StaticIPPoolSpec{Selector: metav1.LabelSelector{MatchLabels: selector}},
			Mode:       o.Mode,
			Schedule:   o.Schedule,
			OnDemand:   o.OnDemand,
			Capacity:   capacity(o),
			Guarder:    o.Guarder,
			NodeSafety: o.NodeSafety,
		},
	}
	if !o.SimpleAuth {
		enm.Spec.YARN.Kerberos = Kerberos(or(o.Realm, DefaultRealm))
	}
	if o.NodeLabel != "" {
		enm.Spec.YARN.NodeLabel = &v1alpha1.NodeLabelSpec{Name: o.NodeLabel}
	}
	switch {
	case o.Mode == v1alpha1.ModeScheduled && o.Schedule == nil:
		enm.Spec.Schedule = &v1alpha1.ScheduleSpec{Windows: []v1alpha1.Window{{Name: "night", Start: "22:00", End: "06:00", CrossesMidnight: true}}}
	case o.Mode == v1alpha1.ModeOnDemand && o.OnDemand == nil:
		enm.Spec.OnDemand = &v1alpha1.OnDemandSpec{Nodes: 1}
	}
	return enm
}

func capacity(o PoolOptions) v1alpha1.CapacitySpec {
	switch {
	case o.Capacity != nil:
		return *o.Capacity
	case o.Mode == v1alpha1.ModeResident:
		dc := o.Dynamic
		if dc == nil {
			dc = DynamicCapacity(or(o.PrometheusURL, DefaultPrometheusURL))
		}
		return v1alpha1.CapacitySpec{Source: v1alpha1.CapacityKoordinator, Dynamic: dc}
	default:
		static := DefaultStatic
		return v1alpha1.CapacitySpec{Source: v1alpha1.CapacityStatic, Static: &static}
	}
}

// Kerberos is a pool's Kerberos settings in realm: the operator's principal and keytab, the
// krb5.conf ConfigMap and the API's default NodeManager principals.
func Kerberos(realm string) *v1alpha1.KerberosSpec {
	return &v1alpha1.KerberosSpec{
		Realm:                 realm,
		Krb5Conf:              v1alpha1.ConfigMapKeyRef{Name: DefaultKrb5ConfigMap, Key: "krb5.conf"},
		ClientPrincipal:       "yarn-operator@" + realm,
		ClientKeytab:          v1alpha1.SecretKeyRef{Name: DefaultClientKeytabSecret, Key: "keytab"},
		NodeManagerPrincipals: []string{"nm/{fqdn}", "HTTP/{fqdn}"},
	}
}

// DynamicCapacity is resident mode's policy as the API defaults it (10-minute mean of
// koordlet's BE suppress figure, resized every minute, grow by 3+ vcores, ignore shrinks
// within 20 %), measured through the Prometheus at prometheusURL.
func DynamicCapacity(prometheusURL string) *v1alpha1.DynamicCapacity {
	return &v1alpha1.DynamicCapacity{
		PrometheusURL:             prometheusURL,
		CPUMetric:                 v1alpha1.BESuppressCPU,
		Window:                    duration(10 * time.Minute),
		Statistic:                 v1alpha1.StatisticMean,
		Interval:                  duration(time.Minute),
		ScaleUpStepVCores:         3,
		ScaleDownTolerancePercent: 20,
		Memory:                    v1alpha1.MemoryPolicy{Policy: v1alpha1.MemoryBatch, MBPerVCore: 4096},
		StaleAfter:                duration(3 * time.Minute),
		ShrinkToFloorAfter:        duration(15 * time.Minute),
		MaxRMWritesPerMinute:      v1alpha1.DefaultMaxRMWritesPerMinute,
	}
}

func duration(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
