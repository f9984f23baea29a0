package demo

import (
	"hash/fnv"
	"math"
	"time"
)

// LoadModel is the online (latency-sensitive) load of the fake nodes over a day compressed
// into DayLength: low at night, a peak in the afternoon, per-node scale and noise, and a few
// nodes with spikes. It is pure: the exporter samples it with the elapsed run time.
type LoadModel struct {
	// DayLength is how long one simulated day lasts.
	DayLength time.Duration
	// StartHour is the simulated local hour at elapsed 0 (e.g. 20 for 20:00).
	StartHour float64
	// Spikes push a node's online load to SpikeLevel between two fractions of the day.
	Spikes []Spike
}

// Spike is a burst of online load on one node, between two fractions of the run's day.
type Spike struct {
	Node     int
	From, To float64
}

// SpikeLevel is the online CPU share of a node during a spike.
const SpikeLevel = 0.95

// Hour is the simulated hour of day (0..24) at elapsed.
func (m LoadModel) Hour(elapsed time.Duration) float64 {
	h := m.StartHour + 24*m.dayFraction(elapsed)
	return math.Mod(h, 24)
}

func (m LoadModel) dayFraction(elapsed time.Duration) float64 {
	if m.DayLength <= 0 {
		return 0
	}
	return float64(elapsed) / float64(m.DayLength)
}

// Online is the share (0..1) of node's CPU used by online services at elapsed.
func (m LoadModel) Online(node int, elapsed time.Duration) float64 {
	h := m.Hour(elapsed)
	// 0.12 at 04:00, 0.62 at 16:00.
	diurnal := 0.12 + 0.50*(0.5-0.5*math.Cos(2*math.Pi*(h-4)/24))
	scale := 0.85 + 0.3*unit(uint64(node), 0)
	noise := 0.08 * (unit(uint64(node), uint64(elapsed/(2*time.Second))+1) - 0.5)
	v := diurnal*scale + noise
	f := m.dayFraction(elapsed)
	for _, s := range m.Spikes {
		if s.Node == node && f >= s.From && f < s.To {
			v = math.Max(v, SpikeLevel)
		}
	}
	return math.Min(math.Max(v, 0.02), 1)
}

// unit is a deterministic pseudo-random number in [0,1) for (a, b).
func unit(a, b uint64) float64 {
	h := fnv.New64a()
	var buf [16]byte
	for i := 0; i < 8; i++ {
		buf[i], buf[8+i] = byte(a>>(8*i)), byte(b>>(8*i))
	}
	_, _ = h.Write(buf[:])
	return float64(h.Sum64()>>11) / float64(1<<53)
}

// Koordinator's defaults (shared/reference/koordinator.md).
const (
	cpuSuppressThreshold = 0.65 // cpuSuppressThresholdPercent
	cpuReclaimThreshold  = 0.60 // cpuReclaimThresholdPercent
	memReclaimThreshold  = 0.65 // memoryReclaimThresholdPercent
	systemUsedCores      = 0.5  // node daemons
)

// Koordlet is what koordlet would report for one node.
type Koordlet struct {
	// BESuppressCores is koordlet_be_suppress_cpu_cores: what the batch tier may use now.
	BESuppressCores float64
	// BatchCPUMilli and BatchMemoryBytes are the node's batch allocatable.
	BatchCPUMilli    float64
	BatchMemoryBytes float64
	// UsedCores is koordlet_node_used_cpu_cores: online + batch + system.
	UsedCores float64
}

// KoordletFor derives koordlet's figures from the online share, the node's size and what
// YARN containers use on it (batch cores).
func KoordletFor(online, cores, memoryBytes, batchUsedCores float64) Koordlet {
	onlineCores := online * cores
	suppress := math.Max(cores*cpuSuppressThreshold-onlineCores-systemUsedCores, 0)
	batchUsed := math.Min(batchUsedCores, suppress)
	onlineMem := (0.25 + 0.25*online) * memoryBytes
	return Koordlet{
		BESuppressCores:  suppress,
		BatchCPUMilli:    math.Max(cores*cpuReclaimThreshold-onlineCores, 0) * 1000,
		BatchMemoryBytes: math.Max(memoryBytes*memReclaimThreshold-onlineMem, 0),
		UsedCores:        math.Min(onlineCores+batchUsed+systemUsedCores, cores),
	}
}
