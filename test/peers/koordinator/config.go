package koordinator

import "time"

// SuppressPolicy is NodeSLO's cpuSuppressPolicy.
type SuppressPolicy string

const (
	// PolicyCPUSet confines BE pods to a cpuset of whole cores (Koordinator's default).
	PolicyCPUSet SuppressPolicy = "cpuset"
	// PolicyCFSQuota caps the besteffort cgroup's CFS quota.
	PolicyCFSQuota SuppressPolicy = "cfsQuota"
)

// Config holds NodeSLO, ColocationStrategy and koordlet settings, and the host's own use.
type Config struct {
	// NodeSLO resourceUsedThresholdWithBE (pkg/util/sloconfig/nodeslo_config.go,
	// DefaultResourceThresholdStrategy: 65 %, cpuset, memory eviction at 70 %).
	CPUSuppressThresholdPercent float64
	// CPUSuppressMinPercent is cpuSuppressMinPercent (unset by default: 0 means unset).
	CPUSuppressMinPercent float64
	SuppressPolicy        SuppressPolicy
	// BECPUEvict thresholds. Upstream leaves them unset, and BECPUEvict is off by default
	// (pkg/features/koordlet_features.go); a deployment that evicts sets them. The figures
	// are cpu_evict.go's caps (lower at most 60, usage 90) and the documented example.
	EvictSatisfactionLowerPercent float64
	EvictSatisfactionUpperPercent float64
	EvictUsageThresholdPercent    float64
	EvictWindow                   time.Duration
	MemoryEvictThresholdPercent   float64

	// ColocationStrategy (pkg/util/sloconfig/colocation_config.go, DefaultColocationStrategy).
	CPUReclaimThresholdPercent    float64
	MemoryReclaimThresholdPercent float64
	// MetricAggregateDuration is metricAggregateDurationSeconds (300): the NodeMetric's usage
	// is the average over it. MetricReportInterval is metricReportIntervalSeconds (60).
	MetricAggregateDuration time.Duration
	MetricReportInterval    time.Duration
	// ResourceDiffThreshold (0.1) and UpdateTimeThreshold (300 s): koord-manager rewrites
	// the batch allocatable when it moved more than the share, or the last write is older.
	ResourceDiffThreshold float64
	UpdateTimeThreshold   time.Duration

	// koordlet (pkg/koordlet/qosmanager/framework/config.go, NewDefaultConfig; and
	// metricsadvisor/framework/config.go): the suppress loop and the metric collection run
	// every second.
	SuppressInterval time.Duration
	CollectInterval  time.Duration
	// CPUEvictCoolTime (20 s) and MemoryEvictCoolTime (4 s): after an eviction, the same
	// evictor waits this long before the next.
	CPUEvictCoolTime    time.Duration
	MemoryEvictCoolTime time.Duration

	// SystemCPUCores and SystemMemoryMB are the host's own use (kubelet, daemons): koordlet's
	// system.Used, taken as at least the node's reservation.
	SystemCPUCores float64
	SystemMemoryMB float64
	// NMProcessMemoryMB is the NodeManager's own resident memory: the BE pod uses it even
	// with no YARN container. Its heap is deployment-specific, so it is 0 by default; the
	// memory eviction of an empty NM pod does not depend on it (any BE pod is evicted).
	NMProcessMemoryMB float64
}

// DefaultConfig is Koordinator's defaults with BECPUEvict and BEMemoryEvict enabled (a
// colocation deployment that protects online services enables them).
func DefaultConfig() Config {
	return Config{
		CPUSuppressThresholdPercent:   65,
		SuppressPolicy:                PolicyCPUSet,
		EvictSatisfactionLowerPercent: 60,
		EvictSatisfactionUpperPercent: 90,
		EvictUsageThresholdPercent:    90,
		EvictWindow:                   300 * time.Second,
		MemoryEvictThresholdPercent:   70,
		CPUReclaimThresholdPercent:    60,
		MemoryReclaimThresholdPercent: 65,
		MetricAggregateDuration:       300 * time.Second,
		MetricReportInterval:          60 * time.Second,
		ResourceDiffThreshold:         0.1,
		UpdateTimeThreshold:           300 * time.Second,
		SuppressInterval:              time.Second,
		CollectInterval:               time.Second,
		CPUEvictCoolTime:              20 * time.Second,
		MemoryEvictCoolTime:           4 * time.Second,
		SystemCPUCores:                2,
		SystemMemoryMB:                8 * 1024,
	}
}
