package policy

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Defaults mirror the API's kubebuilder defaults, so an object created before a default was
// added (or a hand-built spec in a simulator) behaves the same as one the API server filled.
const (
	DefaultScaleUpStepVCores         = 3
	DefaultScaleDownTolerancePercent = 10
	DefaultMBPerVCore                = 4096
	DefaultMemoryIncrementMB         = 1024
	DefaultStaleAfter                = 3 * time.Minute
	DefaultShrinkToFloorAfter        = 15 * time.Minute
	DefaultSafetyThresholdPercent    = 90
	DefaultSafetyShedAfter           = 5 * time.Minute
	DefaultGuarderGrace              = 5 * time.Minute
	DefaultQuantilePercent           = 10
	// DefaultSatisfactionFloorPercent keeps YARN's CPU request within what the batch tier
	// gave over the last two minutes divided by 90 %. Koordinator evicts below
	// cpuEvictBESatisfactionLowerPercent (60 % at most); the margin above it covers the time
	// the guarder's graceful exits take while the tier keeps falling. Chosen with the
	// simulator (docs/benchmarks.md): at 70 % evictions destroyed 3.4x as much work; at
	// 100 % RM writes rose 1.3-2.3x.
	DefaultSatisfactionFloorPercent = 90
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
	// SatisfactionFloorPercent caps the target at recent batch CPU * 100 / this (default 90), so YARN never
	// holds so much that Koordinator's BE satisfaction falls to its eviction threshold; 0
	// disables the guard.
	SatisfactionFloorPercent float64
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
		SatisfactionFloorPercent:  DefaultSatisfactionFloorPercent,
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
		s.MemoryPolicy = v1alpha1.MemoryVCoreRatio
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
