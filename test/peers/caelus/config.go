package caelus

import "time"

// Config is Caelus' node_resource and predicts configuration.
type Config struct {
	// CheckInterval is the predictor's sampling period (types/predict.go
	// defaultPredictCheckInterval, 30 s); a prediction is cached for as long.
	CheckInterval time.Duration
	// UpdateInterval is the YARN capacity loop (types/types.go defaultNodeUpdateInterval, 10 s).
	UpdateInterval time.Duration
	// CPUPercentile, MemoryPeaksPercentile and SafetyMarginFraction are types/predict.go's
	// defaults (0.8, 0.9, 0.08).
	CPUPercentile         float64
	MemoryPeaksPercentile float64
	SafetyMarginFraction  float64
	// PodMinCPUCores and PodMinMemoryMB are the recommendation's floor (10 millicores, 10 MB).
	PodMinCPUCores float64
	PodMinMemoryMB float64
	// CPUHalfLife and MemoryHalfLife are VPA's default decay half-lives (24 h,
	// model/aggregations_config.go), which Caelus keeps when unset.
	CPUHalfLife    time.Duration
	MemoryHalfLife time.Duration
	// CPUSampleWeight is the CPU sample's weight: max(request, minSampleWeight) with the
	// 100-millicore request predict_local.go gives every sample (0.1).
	CPUSampleWeight float64

	// ReserveCPUPercent/ReserveCPUCores and ReserveMemoryPercent/ReserveMemoryMB are
	// reserve_resource of hack/config/caelus.json (20 %, 1000 millicores; 20 %, 5120 MB):
	// the reserve is the smaller of the two (types/predict.go getReservedValue).
	ReserveCPUPercent, ReserveCPUCores    float64
	ReserveMemoryPercent, ReserveMemoryMB float64

	// RoundCPUMilli and RoundMemoryMB are resource_roundoff (1000, 512): the offer is
	// rounded down to them (yarn/adapter.go roundOffAdapter).
	RoundCPUMilli, RoundMemoryMB float64
	// Range* are resource_range (cpu_milli 1000-2000, ratio 0.1; mem_mb 512-1024, 0.1): a
	// change inside it is not written (resource_yarn.go getRangeResource).
	RangeRatio                         float64
	RangeCPUMinMilli, RangeCPUMaxMilli float64
	RangeMemoryMinMB, RangeMemoryMaxMB float64
	// CapacityIncInterval is capacity_inc_interval (1 min): at most one increase per period.
	CapacityIncInterval time.Duration
	// KillGrace is the time between the SIGTERM and the SIGKILL Caelus' nm-operator sends to a
	// container's process group (pkg/nm-operator/nmoperator/nm_operator.go KillContainers:
	// SIGTERM, sleep 2 s, SIGKILL if still alive).
	KillGrace time.Duration
}

// DefaultConfig is Caelus' code defaults with its shipped configuration file.
func DefaultConfig() Config {
	return Config{
		CheckInterval: 30 * time.Second, UpdateInterval: 10 * time.Second,
		CPUPercentile: 0.8, MemoryPeaksPercentile: 0.9, SafetyMarginFraction: 0.08,
		PodMinCPUCores: 0.01, PodMinMemoryMB: 10,
		CPUHalfLife: 24 * time.Hour, MemoryHalfLife: 24 * time.Hour, CPUSampleWeight: 0.1,
		ReserveCPUPercent: 20, ReserveCPUCores: 1, ReserveMemoryPercent: 20, ReserveMemoryMB: 5120,
		RoundCPUMilli: 1000, RoundMemoryMB: 512,
		RangeRatio: 0.1, RangeCPUMinMilli: 1000, RangeCPUMaxMilli: 2000, RangeMemoryMinMB: 512, RangeMemoryMaxMB: 1024,
		CapacityIncInterval: time.Minute,
		KillGrace:           2 * time.Second,
	}
}
