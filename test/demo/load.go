package demo

import (
	"hash/fnv"
	"math"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
)

// Compression is how many simulated seconds pass per real second in the demo. Six is the
// factor at which the production defaults of a resident pool (a decision every minute on a
// 10-minute window) divide down to the API's smallest interval (10 s) and a 100 s window,
// so the pools run their production settings divided by Compression (hack/demo/pools.yaml.tmpl)
// and Koordinator's 300 s NodeMetric average and 60 s report become 50 s and 10 s. The
// load's changes then keep their real proportion to the operator's window and interval:
// a demo that compressed a whole day into minutes would change the load faster than any
// window can follow.
const Compression = 6

// LoadModel is the online (latency-sensitive) load of the fake nodes during the run, in
// simulated time: a quiet start, an online surge (a sale, a news event) that rises over a few
// minutes, holds, and falls back, plus per-node scale, noise and a few nodes with spikes. It
// is pure: the exporter samples it with the elapsed run time.
type LoadModel struct {
	// Run is the real length of the scenario; the surge is placed in fractions of it.
	Run time.Duration
	// StartHour is the simulated local hour at elapsed 0 (e.g. 20.5 for 20:30).
	StartHour float64
	// Spikes push a node's online load to SpikeLevel between two fractions of the run.
	Spikes []Spike
}

// Spike is a burst of online load on one node, between two fractions of the run.
type Spike struct {
	Node     int
	From, To float64
}

// SpikeLevel is the online CPU share of a node during a spike.
const SpikeLevel = 0.95

// The surge: the online share rises by surgeHeight (times the node's scale) between the
// fractions surgeRise[0] and surgeRise[1] of the run, and falls back between surgeFall[0]
// and surgeFall[1]. With the default 5-minute run (30 simulated minutes) the rise takes
// about 4.5 simulated minutes, as fast as a real traffic surge, and the quiet parts are
// longer than the pools' 10-minute (simulated) window, so the chart shows the product both
// backing off at once and growing back after a window.
const (
	quietShare  = 0.18
	surgeHeight = 0.42
)

var (
	surgeRise = [2]float64{0.2, 0.35}
	surgeFall = [2]float64{0.55, 0.72}
)

// Hour is the simulated hour of day (0..24) at elapsed.
func (m LoadModel) Hour(elapsed time.Duration) float64 {
	return math.Mod(m.StartHour+m.SimulatedTime(elapsed).Hours(), 24)
}

// SimulatedTime is the simulated time elapsed since the start after a real elapsed.
func (m LoadModel) SimulatedTime(elapsed time.Duration) time.Duration {
	return elapsed * Compression
}

func (m LoadModel) runFraction(elapsed time.Duration) float64 {
	if m.Run <= 0 {
		return 0
	}
	return float64(elapsed) / float64(m.Run)
}

// Online is the share (0..1) of node's CPU used by online services at elapsed.
func (m LoadModel) Online(node int, elapsed time.Duration) float64 {
	f := m.runFraction(elapsed)
	scale := 0.85 + 0.3*unit(uint64(node), 0)
	// Nodes do not move in lockstep: each one's surge is shifted by up to 3 % of the run.
	shift := 0.03 * (unit(uint64(node), 1<<40) - 0.5) * 2
	surge := ramp(f-shift, surgeRise) * (1 - ramp(f-shift, surgeFall))
	// Noise changes every 2 real seconds (the exporter's Prometheus scrape interval).
	noise := 0.06 * (unit(uint64(node), uint64(elapsed/(2*time.Second))+1) - 0.5)
	v := (quietShare+surgeHeight*surge)*scale + noise
	for _, s := range m.Spikes {
		if s.Node == node && f >= s.From && f < s.To {
			v = math.Max(v, SpikeLevel)
		}
	}
	return math.Min(math.Max(v, 0.02), 1)
}

// ramp goes smoothly (a half cosine) from 0 at span[0] to 1 at span[1].
func ramp(f float64, span [2]float64) float64 {
	switch {
	case f <= span[0]:
		return 0
	case f >= span[1]:
		return 1
	}
	return 0.5 - 0.5*math.Cos(math.Pi*(f-span[0])/(span[1]-span[0]))
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

// KoordletInput is what the Koordinator model (test/peers/koordinator) sees of node at a real
// elapsed: the online load of the model, the YARN cores in use, and YARN's ledger entry.
// The NodeManager pod is there; the demo carries out no eviction, so its batch request is
// left at zero.
func KoordletInput(m LoadModel, node int, elapsed time.Duration, yarnCores float64, share koordledger.Batch) koordinator.Input {
	online := m.Online(node, elapsed)
	return koordinator.Input{
		OnlineCPUCores: online * nodeCores, OnlineMemoryMB: OnlineMemoryShare(online) * nodeMemoryGiB * 1024,
		BEPodPresent: true, BEDemandCores: yarnCores,
		ThirdPartyCPUCores: share.Cores, ThirdPartyMemoryMB: share.MemoryBytes / (1 << 20),
	}
}
