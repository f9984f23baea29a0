package koordinator

import "time"

// Reason names why the NM pod was evicted (koordlet's "evictPodBy..." reasons).
type Reason string

const (
	NoEviction  Reason = ""
	EvictCPU    Reason = "EvictPodByBECPUSatisfaction"
	EvictMemory Reason = "EvictPodByNodeMemoryUsage"
	// realLimitOneCore: a real limit under one core counts as "high enough" usage.
	realLimitOneCore = 1.0
	// validWindowFraction: the samples must cover at least a third of the window.
	validWindowFraction = 3
)

// CPUSample is the BE CPU picture koordlet's beresource collector records: usage, the sum
// of the BE pods' batch-cpu requests, and the real limit (cpuset size, or the CFS quota when
// smaller) (pkg/koordlet/metricsadvisor/collectors/beresource/be_resource_collector.go).
type CPUSample struct {
	UsageCores   float64
	RequestCores float64
	LimitCores   float64
}

// CPUWindow is the eviction window's averages, the span its samples cover, and the latest
// sample.
type CPUWindow struct {
	CPUSample
	Covered time.Duration
	Latest  CPUSample
}

// Satisfaction is limit / request (0 when nothing is requested).
func (s CPUSample) Satisfaction() float64 {
	if s.RequestCores <= 0 {
		return 0
	}
	return s.LimitCores / s.RequestCores
}

// usageHighEnough is isBECPUUsageHighEnough (pkg/koordlet/qosmanager/plugins/cpuevict/
// cpu_evict.go at a7a1b76b): no real limit, no eviction; a real limit under one core counts
// as high enough (the v1.4 fix, acb69260 #1830: the *limit*, not the usage, is compared with
// one core); otherwise usage / limit must reach the usage threshold.
func usageHighEnough(cfg Config, s CPUSample) bool {
	if s.LimitCores <= 0 {
		return false
	}
	if s.LimitCores < realLimitOneCore {
		return true
	}
	return s.UsageCores/s.LimitCores >= cfg.EvictUsageThresholdPercent/percent
}

// releaseCores is calculateResourceMilliToReleaseBySatisfaction (cpu_evict.go): nothing
// requested or satisfaction above the lower percent releases nothing (the lower bound
// itself evicts); otherwise request * (upper - satisfaction) when positive.
func releaseCores(cfg Config, s CPUSample) float64 {
	if s.RequestCores <= 0 {
		return 0
	}
	sat := s.Satisfaction()
	if sat > cfg.EvictSatisfactionLowerPercent/percent {
		return 0
	}
	gap := cfg.EvictSatisfactionUpperPercent/percent - sat
	if gap <= 0 {
		return 0
	}
	return s.RequestCores * gap
}

// CPUEvictionDue is calculateMilliReleaseByBESatisfaction (cpu_evict.go at a7a1b76b): the
// window average must be valid (covering a third of the window), have usage high enough and
// something to release; then the latest sample must have usage high enough too and, unless
// its request and limit equal the window's, something to release by itself.
func CPUEvictionDue(cfg Config, w CPUWindow) bool {
	if w.Covered*validWindowFraction < cfg.EvictWindow {
		return false
	}
	if !usageHighEnough(cfg, w.CPUSample) || releaseCores(cfg, w.CPUSample) <= 0 {
		return false
	}
	if !usageHighEnough(cfg, w.Latest) {
		return false
	}
	if w.Latest.RequestCores == w.RequestCores && w.Latest.LimitCores == w.LimitCores {
		return true
	}
	return releaseCores(cfg, w.Latest) > 0
}

// MemoryEvictionDue is memoryevict's calculateReleaseByUsedThresholdPercent
// (pkg/koordlet/qosmanager/plugins/memoryevict/memory_evict.go at a7a1b76b): the node's
// latest memory use, as a whole percent (int64(used) * 100 / capacity), at or above
// memoryEvictThresholdPercent. Every BE pod is a candidate, whatever it runs.
func MemoryEvictionDue(cfg Config, usedMB, capacityMB float64) bool {
	if capacityMB <= 0 {
		return false
	}
	return float64(int64(usedMB*percent/capacityMB)) >= cfg.MemoryEvictThresholdPercent
}
