package policy

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Defaults mirror the API's kubebuilder defaults, so an object created before a default was
// added (or a hand-built spec in a simulator) behaves the same as one the API server filled.
const (
	DefaultScaleUpStepVCores = 3
	// DefaultScaleDownTolerancePercent: inside the band a smaller offer changes nothing. A CPU
	// shrink no longer sheds (ThrottleNotShed), so the band only delays when the RM stops
	// placing on capacity that is gone, while koordlet's suppression holds the BE tier to its
	// limit within seconds. 10, 15 and 20 % were measured on both trace families
	// (docs/benchmarks.md): from 10 to 20 % RM writes fell by a third to a half and harvest
	// rose by 1-3 points of the oracle's on both, at 5-10 % more vcore-hours placed above the
	// offer; 20 % is the smallest of the three that keeps RM writes under a third of
	// instant-sync's on both (15 % missed on Alibaba, 7.28 against 7.16).
	DefaultScaleDownTolerancePercent = 20
	DefaultMBPerVCore                = 4096
	DefaultMemoryIncrementMB         = 1024
	DefaultStaleAfter                = 3 * time.Minute
	DefaultShrinkToFloorAfter        = 15 * time.Minute
	DefaultSafetyThresholdPercent    = 90
	DefaultSafetyShedAfter           = 5 * time.Minute
	DefaultGuarderGrace              = 5 * time.Minute
	DefaultQuantilePercent           = 10
	// KoordEvictSatisfactionLowerPercent and KoordEvictUsageThresholdPercent are
	// Koordinator's documented BECPUEvict configuration (cpuEvictBESatisfactionLowerPercent
	// 60, cpuEvictBEUsageThresholdPercent 90; koordinator docs "CPU Evict", and the caps in
	// pkg/koordlet/qosmanager/plugins/cpuevict/cpu_evict.go): cpuevict selects the BE pods
	// when limit/request is at or below the first and usage/limit at or above the second,
	// or the limit is under one core.
	KoordEvictSatisfactionLowerPercent = 60
	KoordEvictUsageThresholdPercent    = 90
)

// Overcommit scales the target between two minutes of the day; End < Start crosses midnight.
type Overcommit struct {
	StartMinute, EndMinute int
	CPUPercent             int64
	MemoryPercent          int64
}

// Safety is the node-utilisation backoff.
type Safety struct {
	Enabled             bool
	CPUThresholdPercent float64
	ShedAfter           time.Duration
}

// Settings are one pool's resize rules in plain values.
type Settings struct {
	Statistic       v1alpha1.Statistic
	QuantilePercent int
	// ScaleUpStepVCores: grow only when at least this many more vcores are available.
	ScaleUpStepVCores int64
	// ScaleDownTolerancePercent: shrink only below current*(100-tolerance)/100.
	ScaleDownTolerancePercent int64
	Reserve                   Resources
	// Floor and Ceiling bound the target; a zero Ceiling dimension means no ceiling.
	Floor, Ceiling Resources
	MemoryPolicy   v1alpha1.MemoryPolicyType
	MBPerVCore     int64
	// MemoryIncrementMB is the unit memory is rounded down to (yarn.scheduler.minimum-allocation-mb
	// or 1024): a target YARN cannot fill with whole containers only invites fragmentation.
	MemoryIncrementMB  int64
	Overcommit         []Overcommit
	StaleAfter         time.Duration
	ShrinkToFloorAfter time.Duration
	Safety             Safety
	// GuarderEnabled adds guarder actions; without the sidecar shrinks only stop new work.
	GuarderEnabled bool
	// GuarderGrace is how long the guarder gets to bring containers under a new target.
	GuarderGrace time.Duration
	// BEPodRequestCores is the NodeManager pod's kubernetes.io/batch-cpu request in cores:
	// the denominator of koordlet's BE CPU satisfaction. Zero (the product's resident pod,
	// which leaves YARN's share to thirdPartyAllocations) means koordlet's cpuevict cannot
	// select the NodeManager pod, so a CPU shrink only stops new containers and koordlet's
	// suppression throttles the rest; the guarder still sheds for memory and node safety.
	// Above zero, the guarder keeps YARN's CPU where cpuevict cannot fire (see
	// applyCPUEvictGuard).
	BEPodRequestCores float64
}

// FromSpec turns a pool's spec into Settings, applying the API defaults to zero values.
func FromSpec(spec *v1alpha1.ElasticNodeManagerSpec) (Settings, error) {
	dc := spec.Capacity.Dynamic
	if dc == nil {
		return Settings{}, fmt.Errorf("capacity.dynamic is not set")
	}
	s := Settings{
		Statistic:                 dc.Statistic,
		QuantilePercent:           DefaultQuantilePercent,
		ScaleUpStepVCores:         int64(dc.ScaleUpStepVCores),
		ScaleDownTolerancePercent: int64(dc.ScaleDownTolerancePercent),
		Reserve:                   fromAPI(&dc.Reserve),
		MemoryPolicy:              dc.Memory.Policy,
		MBPerVCore:                int64(dc.Memory.MBPerVCore),
		MemoryIncrementMB:         DefaultMemoryIncrementMB,
		StaleAfter:                durationOr(dc.StaleAfter, DefaultStaleAfter),
		ShrinkToFloorAfter:        durationOr(dc.ShrinkToFloorAfter, DefaultShrinkToFloorAfter),
		GuarderEnabled:            spec.Guarder.Enabled == nil || *spec.Guarder.Enabled,
		GuarderGrace:              durationOr(spec.Guarder.GracePeriod, DefaultGuarderGrace),
		BEPodRequestCores:         batchCPURequestCores(spec),
		Safety: Safety{
			Enabled:             spec.NodeSafety.Enabled == nil || *spec.NodeSafety.Enabled,
			CPUThresholdPercent: float64(spec.NodeSafety.CPUThresholdPercent),
			ShedAfter:           durationOr(spec.NodeSafety.ShedAfter, DefaultSafetyShedAfter),
		},
	}
	if s.Statistic == "" {
		s.Statistic = v1alpha1.StatisticMean
	}
	if dc.QuantilePercent != nil {
		s.QuantilePercent = int(*dc.QuantilePercent)
	}
	if s.ScaleUpStepVCores <= 0 {
		s.ScaleUpStepVCores = DefaultScaleUpStepVCores
	}
	if dc.ScaleDownTolerancePercent == 0 && dc.ScaleUpStepVCores == 0 {
		// Both zero means an unfilled spec (the API server would have set 3 and 10).
		s.ScaleDownTolerancePercent = DefaultScaleDownTolerancePercent
	}
	if s.MemoryPolicy == "" {
		s.MemoryPolicy = v1alpha1.MemoryBatch
	}
	if s.MBPerVCore <= 0 {
		s.MBPerVCore = DefaultMBPerVCore
	}
	if s.Safety.CPUThresholdPercent <= 0 {
		s.Safety.CPUThresholdPercent = DefaultSafetyThresholdPercent
	}
	if dc.Floor != nil {
		s.Floor = fromAPI(dc.Floor)
	}
	if dc.Ceiling != nil {
		s.Ceiling = fromAPI(dc.Ceiling)
	}
	for i, p := range dc.Overcommit {
		o, err := overcommitFromAPI(p)
		if err != nil {
			return Settings{}, fmt.Errorf("capacity.dynamic.overcommit[%d]: %w", i, err)
		}
		s.Overcommit = append(s.Overcommit, o)
	}
	return s, nil
}

// batchCPU is Koordinator's batch CPU extended resource, in milli-cores.
const batchCPU corev1.ResourceName = "kubernetes.io/batch-cpu"

// batchCPURequestCores is the batch-cpu the NodeManager pod's template requests, in cores.
// In resident mode the operator's pod requests nothing else (podspec: YARN's share is
// reported through thirdPartyAllocations, so requesting the ceiling as well would count YARN
// twice in Koordinator's batch accounting).
func batchCPURequestCores(spec *v1alpha1.ElasticNodeManagerSpec) float64 {
	q, ok := spec.Template.Resources.Requests[batchCPU]
	if !ok {
		return 0
	}
	return float64(q.Value()) / 1000
}

func fromAPI(r *v1alpha1.Resources) Resources {
	return Resources{VCores: int64(r.VCores), MemoryMB: r.MemoryMB}
}

func durationOr(d *metav1.Duration, def time.Duration) time.Duration {
	if d == nil {
		return def
	}
	return d.Duration
}

func overcommitFromAPI(p v1alpha1.OvercommitProfile) (Overcommit, error) {
	start, err := minuteOfDay(p.Start)
	if err != nil {
		return Overcommit{}, err
	}
	end, err := minuteOfDay(p.End)
	if err != nil {
		return Overcommit{}, err
	}
	mem := int64(p.MemoryPercent)
	if mem == 0 {
		mem = 100
	}
	return Overcommit{StartMinute: start, EndMinute: end, CPUPercent: int64(p.CPUPercent), MemoryPercent: mem}, nil
}

func minuteOfDay(hhmm string) (int, error) {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return 0, fmt.Errorf("time of day %q is not HH:MM", hhmm)
	}
	return t.Hour()*60 + t.Minute(), nil
}
