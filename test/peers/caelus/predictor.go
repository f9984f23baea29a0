package caelus

import (
	"math"
	"time"
)

const bytesPerMB = 1 << 20

// Predictor is localPredict (pkg/caelus/predict/predict_local.go) with its
// PodResourceRecommender (predict/logic.go): one "online-system" AggregateContainerState.
type Predictor struct {
	cfg      Config
	cpu, mem *DecayingHistogram
	samples  int
}

// NewPredictor returns a predictor with no samples.
func NewPredictor(cfg Config) *Predictor {
	return &Predictor{cfg: cfg, cpu: NewDecayingHistogram(CPUHistogramOptions, cfg.CPUHalfLife),
		mem: NewDecayingHistogram(MemoryHistogramOptions, cfg.MemoryHalfLife)}
}

// AddSample is addSample: the online use at t (node total minus offline), CPU in cores and
// RSS memory in MB. The CPU sample weighs CPUSampleWeight, the memory sample 1.0 (VPA
// AggregateContainerState.AddSample).
func (p *Predictor) AddSample(t time.Duration, onlineCPUCores, onlineMemoryMB float64) {
	p.cpu.AddSample(math.Max(onlineCPUCores, 0), p.cfg.CPUSampleWeight, t)
	p.mem.AddSample(math.Max(onlineMemoryMB, 0)*bytesPerMB, 1, t)
	p.samples++
}

// Samples counts the samples so far (Predict waits for three, initSampleTimes).
func (p *Predictor) Samples() int { return p.samples }

// Predict is Predict: the CPU percentile and the memory peaks percentile with the safety
// margin (logic.WithMargin: value * (1 + margin)), at least the pod minimum
// (logic.WithMinResources).
func (p *Predictor) Predict() (cpuCores, memoryMB float64) {
	cpuCores = math.Max(p.cpu.Percentile(p.cfg.CPUPercentile)*(1+p.cfg.SafetyMarginFraction), p.cfg.PodMinCPUCores)
	memoryMB = math.Max(p.mem.Percentile(p.cfg.MemoryPeaksPercentile)*(1+p.cfg.SafetyMarginFraction)/bytesPerMB, p.cfg.PodMinMemoryMB)
	return cpuCores, memoryMB
}

// Offer is GetAllocatableForBatch (predict/predict.go): total - prediction - reserve, at
// least 0, with the reserve the smaller of its percent and its value.
func Offer(cfg Config, totalCPUCores, totalMemoryMB, predictedCPUCores, predictedMemoryMB float64) (cpuCores, memoryMB float64) {
	reserveCPU := math.Min(totalCPUCores*cfg.ReserveCPUPercent/100, cfg.ReserveCPUCores)
	reserveMem := math.Min(totalMemoryMB*cfg.ReserveMemoryPercent/100, cfg.ReserveMemoryMB)
	return math.Max(totalCPUCores-predictedCPUCores-reserveCPU, 0), math.Max(totalMemoryMB-predictedMemoryMB-reserveMem, 0)
}
