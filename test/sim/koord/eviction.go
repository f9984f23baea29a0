package koord

import "time"

// Reason names why the NM pod was evicted.
type Reason string

const (
	NoEviction      Reason = ""
	EvictCPU        Reason = "EvictPodByBECPUSatisfaction"
	EvictMemory     Reason = "EvictPodByNodeMemoryUsage"
	minUsageCores          = 1.0
	percent                = 100.0
	coveredFraction        = 3 // the window must hold at least a third of its span
)

// CPUWindow is the BE CPU picture over the eviction window: averages, and the span covered.
type CPUWindow struct {
	UsageCores   float64
	RequestCores float64
	LimitCores   float64
	Covered      time.Duration
}

// Satisfaction is limit / request (0 when nothing is requested).
func (w CPUWindow) Satisfaction() float64 {
	if w.RequestCores <= 0 {
		return 0
	}
	return w.LimitCores / w.RequestCores
}

// CPUEvictionDue is koordlet's BECPUEvict rule on window averages.
func CPUEvictionDue(cfg Config, w CPUWindow) bool {
	if w.Covered < cfg.EvictWindow/coveredFraction {
		return false // not enough samples: koordlet skips
	}
	if w.RequestCores <= 0 || w.LimitCores <= 0 {
		return false // nothing requested, or no real limit to compare with
	}
	satisfaction := w.Satisfaction()
	if satisfaction > cfg.EvictSatisfactionLowerPercent/percent {
		return false
	}
	if cfg.EvictSatisfactionUpperPercent/percent-satisfaction <= 0 {
		return false // nothing to release
	}
	if w.UsageCores < minUsageCores {
		return true // koordlet counts a BE tier using under one core as "high enough"
	}
	return w.UsageCores/w.LimitCores >= cfg.EvictUsageThresholdPercent/percent
}

// MemoryEvictionDue is koordlet's node-memory rule.
func MemoryEvictionDue(cfg Config, usedMB, capacityMB float64) bool {
	return capacityMB > 0 && usedMB/capacityMB*percent >= cfg.MemoryEvictThresholdPercent
}
