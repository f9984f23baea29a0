package koord

import "time"

// Config holds the NodeSLO thresholds and the host overheads.
type Config struct {
	CPUSuppressThresholdPercent   float64
	CPUReclaimThresholdPercent    float64
	MemoryReclaimThresholdPercent float64
	// SuppressMinCores floors suppress(BE) (cpuSuppressMinPercent as cores); 0 by default.
	SuppressMinCores float64
	// SystemCPUCores and SystemMemoryMB are the host's own use (kubelet, daemons).
	SystemCPUCores float64
	SystemMemoryMB float64

	EvictSatisfactionLowerPercent float64
	EvictSatisfactionUpperPercent float64
	EvictUsageThresholdPercent    float64
	EvictWindow                   time.Duration
	MemoryEvictThresholdPercent   float64

	// AllocatableChangePercent and AllocatableMaxAge: koord-manager republishes batch
	// allocatable when it moved more than this share or is this old.
	AllocatableChangePercent float64
	AllocatableMaxAge        time.Duration
}

// DefaultConfig is Koordinator's defaults (cpuEvictTimeWindowSeconds 300 as documented by
// the project; the other figures from shared/reference/koordinator.md).
func DefaultConfig() Config {
	return Config{
		CPUSuppressThresholdPercent:   65,
		CPUReclaimThresholdPercent:    60,
		MemoryReclaimThresholdPercent: 65,
		SystemCPUCores:                2,
		SystemMemoryMB:                8 * 1024,
		EvictSatisfactionLowerPercent: 60,
		EvictSatisfactionUpperPercent: 90,
		EvictUsageThresholdPercent:    90,
		EvictWindow:                   300 * time.Second,
		MemoryEvictThresholdPercent:   70,
		AllocatableChangePercent:      10,
		AllocatableMaxAge:             300 * time.Second,
	}
}
