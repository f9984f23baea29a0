package trace

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// SyntheticOptions shape a tidal online load: low at night, high in the day, with noise and
// short spikes; a share of nodes has less memory per core.
type SyntheticOptions struct {
	Nodes int
	Days  float64
	Step  time.Duration
	Seed  uint64
	// CPUCores and MemoryMB are the capacity of an ordinary node.
	CPUCores float64
	MemoryMB float64
	// SmallMemoryShare of the nodes have SmallMemoryMB instead (and a higher online memory
	// share, since the same services run in less RAM).
	SmallMemoryShare float64
	SmallMemoryMB    float64
	// SpikesPerDay is the mean number of online spikes per node and day.
	SpikesPerDay float64
}

// DefaultSyntheticOptions: 96-core hosts with 384 GiB, 20 % of them with 256 GiB, about
// three spikes a node-day.
func DefaultSyntheticOptions(nodes int, days float64, step time.Duration, seed uint64) SyntheticOptions {
	return SyntheticOptions{
		Nodes: nodes, Days: days, Step: step, Seed: seed,
		CPUCores: 96, MemoryMB: 384 * 1024, SmallMemoryShare: 0.2, SmallMemoryMB: 256 * 1024,
		SpikesPerDay: 3,
	}
}

// Synthetic generates one series per node. The same options give the same series: every
// node draws from its own generator seeded by (Seed, node index), so adding nodes does not
// change the existing ones.
func Synthetic(opt SyntheticOptions) []Series {
	n := int(opt.Days * 24 * float64(time.Hour) / float64(opt.Step))
	out := make([]Series, opt.Nodes)
	for i := range out {
		out[i] = syntheticNode(opt, i, n)
	}
	return out
}

// nodeShape is one node's personality, drawn once.
type nodeShape struct {
	night, peak float64 // online CPU share at the trough and at the crest
	troughHour  float64
	memBase     float64
	memSwing    float64
	small       bool
}

func drawShape(rng *rand.Rand, opt SyntheticOptions) nodeShape {
	s := nodeShape{
		night:      0.10 + 0.10*rng.Float64(),
		peak:       0.38 + 0.20*rng.Float64(),
		troughHour: 3 + 3*rng.Float64(),
		memBase:    0.28 + 0.10*rng.Float64(),
		memSwing:   0.04 + 0.06*rng.Float64(),
		small:      rng.Float64() < opt.SmallMemoryShare,
	}
	if s.small {
		s.memBase += 0.06
	}
	return s
}

// spike is a burst of online load: [start, end) in steps, height as a share of the node.
type spike struct {
	start, end int
	height     float64
}

func syntheticNode(opt SyntheticOptions, index, n int) Series {
	rng := rand.New(rand.NewPCG(opt.Seed, uint64(index)+1))
	shape := drawShape(rng, opt)
	spikes := drawSpikes(rng, opt, n)
	stepH := opt.Step.Hours()
	// AR(1) noise with a 5-minute memory and a 3 % stationary deviation.
	phi := math.Exp(-opt.Step.Minutes() / 5)
	sigma := 0.03 * math.Sqrt(1-phi*phi)
	var noise, memNoise float64
	s := Series{Node: fmt.Sprintf("node-%03d", index), Step: opt.Step, CPUCores: opt.CPUCores, MemoryMB: opt.MemoryMB,
		CPU: make([]float32, n), Memory: make([]float32, n)}
	if shape.small {
		s.MemoryMB = opt.SmallMemoryMB
	}
	next := 0
	var active []spike
	for i := 0; i < n; i++ {
		hours := float64(i) * stepH
		day := int(hours / 24)
		tide := 0.5 - 0.5*math.Cos(2*math.Pi*(math.Mod(hours, 24)-shape.troughHour)/24)
		amplitude := shape.peak - shape.night
		if day%7 >= 5 {
			amplitude *= 0.8 // weekends are quieter
		}
		noise = phi*noise + sigma*rng.NormFloat64()
		memNoise = phi*memNoise + 0.3*sigma*rng.NormFloat64()
		for next < len(spikes) && spikes[next].start <= i {
			active = append(active, spikes[next])
			next++
		}
		burst := 0.0
		kept := active[:0]
		for _, sp := range active {
			if i < sp.end {
				burst += sp.height
				kept = append(kept, sp)
			}
		}
		active = kept
		cpu := shape.night + amplitude*tide + noise + burst
		mem := shape.memBase + shape.memSwing*tide + memNoise + 0.15*burst
		s.CPU[i] = float32(clamp(cpu, 0.02, 0.98))
		s.Memory[i] = float32(clamp(mem, 0.05, 0.95))
	}
	return s
}

// drawSpikes places Poisson spikes: 1 to 30 minutes long (exponential, mean 6), 5 to 30 % of
// the node high.
func drawSpikes(rng *rand.Rand, opt SyntheticOptions, n int) []spike {
	if opt.SpikesPerDay <= 0 {
		return nil
	}
	meanGapSteps := 24 * float64(time.Hour) / opt.SpikesPerDay / float64(opt.Step)
	var out []spike
	for t := rng.ExpFloat64() * meanGapSteps; int(t) < n; t += rng.ExpFloat64() * meanGapSteps {
		minutes := clamp(6*rng.ExpFloat64(), 1, 30)
		length := max(1, int(minutes*float64(time.Minute)/float64(opt.Step)))
		out = append(out, spike{start: int(t), end: int(t) + length, height: 0.05 + 0.25*rng.Float64()})
	}
	return out
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
