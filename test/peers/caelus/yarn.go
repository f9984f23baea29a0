package caelus

import "math"

// Capacity is a NodeManager capacity in millicores and MB.
type Capacity struct {
	CPUMilli int64
	MemoryMB int64
}

// Update is what the YARN client does with an offer.
type Update int

const (
	// Keep: the offer is within the range of the capacity.
	Keep Update = iota
	// Increase: both CPU and memory rise (subject to capacity_inc_interval).
	Increase
	// Decrease: anything else; written at once, then containers are killed until they fit.
	Decrease
)

// RoundOff is roundOffAdapter.ResourceAdapt: both figures rounded down to their unit.
func RoundOff(cfg Config, cpuCores, memoryMB float64) Capacity {
	cpu, mem := int64(cpuCores*1000), int64(memoryMB)
	if cfg.RoundCPUMilli > 0 {
		cpu = int64(float64(cpu)/cfg.RoundCPUMilli) * int64(cfg.RoundCPUMilli)
	}
	if cfg.RoundMemoryMB > 0 {
		mem = int64(float64(mem)/cfg.RoundMemoryMB) * int64(cfg.RoundMemoryMB)
	}
	return Capacity{CPUMilli: cpu, MemoryMB: mem}
}

// Decide is beCapacity (pkg/caelus/resource/resource_yarn.go) without conflicts: keep the
// capacity when both moves are inside the range; increase when both rise; otherwise
// decrease.
func Decide(cfg Config, current, offer Capacity) Update {
	rangeCPU, rangeMem := rangeOf(cfg, current)
	if math.Abs(float64(offer.CPUMilli-current.CPUMilli)) <= rangeCPU && math.Abs(float64(offer.MemoryMB-current.MemoryMB)) <= rangeMem {
		return Keep
	}
	if offer.CPUMilli > current.CPUMilli && offer.MemoryMB > current.MemoryMB {
		return Increase
	}
	return Decrease
}

// rangeOf is getRangeResource: ratio of the capacity, clamped to [min, max] (a min of 0
// means no lower clamp).
func rangeOf(cfg Config, c Capacity) (cpuMilli, memoryMB float64) {
	if cfg.RangeRatio == 0 {
		return 0, 0
	}
	cpuMilli = float64(c.CPUMilli) * cfg.RangeRatio
	if cfg.RangeCPUMinMilli != 0 && cpuMilli < cfg.RangeCPUMinMilli {
		cpuMilli = cfg.RangeCPUMinMilli
	}
	cpuMilli = math.Min(cpuMilli, cfg.RangeCPUMaxMilli)
	memoryMB = float64(c.MemoryMB) * cfg.RangeRatio
	if cfg.RangeMemoryMinMB != 0 && memoryMB < cfg.RangeMemoryMinMB {
		memoryMB = cfg.RangeMemoryMinMB
	}
	memoryMB = math.Min(memoryMB, cfg.RangeMemoryMaxMB)
	return cpuMilli, memoryMB
}
