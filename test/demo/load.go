package demo

import (
	"hash/fnv"
	"math"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/metrics"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
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

// OnlineMemoryShare is the share (0..1) of a node's memory online services use for an
// online CPU share: a quarter at idle, half at full load.
func OnlineMemoryShare(online float64) float64 { return 0.25 + 0.25*online }

// Compression is how many simulated seconds pass per real second: a day in DayLength.
func (m LoadModel) Compression() float64 {
	if m.DayLength <= 0 {
		return 1
	}
	return float64(24*time.Hour) / float64(m.DayLength)
}

// SimulatedTime is the simulated time elapsed since the start after a real elapsed.
func (m LoadModel) SimulatedTime(elapsed time.Duration) time.Duration {
	return time.Duration(float64(elapsed) * m.Compression())
}

// KoordletInput is what the Koordinator model (test/peers/koordinator) sees of node at a real
// elapsed: the online load of the model, the YARN cores in use, and YARN's ledger entry.
// The NodeManager pod is there; the demo carries out no eviction, so its batch request is
// left at zero.
func KoordletInput(m LoadModel, node int, elapsed time.Duration, yarnCores float64, share metrics.Batch) koordinator.Input {
	online := m.Online(node, elapsed)
	return koordinator.Input{
		OnlineCPUCores: online * nodeCores, OnlineMemoryMB: OnlineMemoryShare(online) * nodeMemoryGiB * 1024,
		BEPodPresent: true, BEDemandCores: yarnCores,
		ThirdPartyCPUCores: share.Cores, ThirdPartyMemoryMB: share.MemoryBytes / (1 << 20),
	}
}
