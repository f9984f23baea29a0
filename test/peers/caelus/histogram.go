package caelus

import (
	"math"
	"time"
)

// HistogramOptions is VPA's exponential bucketing
// (vertical-pod-autoscaler/pkg/recommender/util/histogram_options.go): bucket i starts at
// first * (ratio^i - 1) / (ratio - 1); the last bucket has no upper bound.
type HistogramOptions struct {
	MaxValue, FirstBucketSize, Ratio float64
}

// CPUHistogramOptions and MemoryHistogramOptions are VPA's (model/aggregations_config.go:
// 0.01 core to 1000 cores, 10 MB to 1 TB, buckets 5 % larger each).
var (
	CPUHistogramOptions    = HistogramOptions{MaxValue: 1000, FirstBucketSize: 0.01, Ratio: 1.05}
	MemoryHistogramOptions = HistogramOptions{MaxValue: 1e12, FirstBucketSize: 1e7, Ratio: 1.05}
)

// NumBuckets is ceil(log(max * (ratio-1) / first + 1) / log(ratio)) + 1.
func (o HistogramOptions) NumBuckets() int {
	return int(math.Ceil(math.Log(o.MaxValue*(o.Ratio-1)/o.FirstBucketSize+1)/math.Log(o.Ratio))) + 1
}

// FindBucket is the bucket of value.
func (o HistogramOptions) FindBucket(value float64) int {
	if value < o.FirstBucketSize {
		return 0
	}
	b := int(math.Log(value*(o.Ratio-1)/o.FirstBucketSize+1) / math.Log(o.Ratio))
	return min(b, o.NumBuckets()-1)
}

// BucketStart is the lower bound of bucket b.
func (o HistogramOptions) BucketStart(b int) float64 {
	return o.FirstBucketSize * (math.Pow(o.Ratio, float64(b)) - 1) / (o.Ratio - 1)
}

// maxDecayExponent: VPA renormalises once the newest weights reach 2^100
// (util/decaying_histogram.go).
const maxDecayExponent = 100

// DecayingHistogram is VPA's decaying histogram (util/decaying_histogram.go over
// util/histogram.go): a sample at time t weighs weight * 2^((t - reference) / halfLife), so a
// sample halfLife old counts half as much as a fresh one.
type DecayingHistogram struct {
	opt       HistogramOptions
	halfLife  time.Duration
	reference time.Duration
	weights   []float64
	total     float64
	lo, hi    int // non-empty bucket range
}

// NewDecayingHistogram returns an empty histogram.
func NewDecayingHistogram(opt HistogramOptions, halfLife time.Duration) *DecayingHistogram {
	n := opt.NumBuckets()
	return &DecayingHistogram{opt: opt, halfLife: halfLife, weights: make([]float64, n), lo: n - 1}
}

// AddSample adds value with weight at time t (an offset from the start of the run).
func (h *DecayingHistogram) AddSample(value, weight float64, t time.Duration) {
	exp := float64(t-h.reference) / float64(h.halfLife)
	if exp > maxDecayExponent {
		h.shift(t)
		exp = 0
	}
	b := h.opt.FindBucket(value)
	w := weight * math.Exp2(exp)
	h.weights[b] += w
	h.total += w
	h.lo, h.hi = min(h.lo, b), max(h.hi, b)
}

// shift moves the reference to t, scaling every weight down accordingly.
func (h *DecayingHistogram) shift(t time.Duration) {
	f := math.Exp2(-float64(t-h.reference) / float64(h.halfLife))
	for i := range h.weights {
		h.weights[i] *= f
	}
	h.total *= f
	h.reference = t
}

// Percentile is histogram.Percentile: the end of the first bucket at which the cumulative
// weight reaches p of the total (the start of the last bucket, which has no end); 0 when
// empty.
func (h *DecayingHistogram) Percentile(p float64) float64 {
	if h.total <= 0 {
		return 0
	}
	threshold := p * h.total
	sum := 0.0
	b := h.lo
	for ; b < h.hi; b++ {
		sum += h.weights[b]
		if sum >= threshold {
			break
		}
	}
	if b < h.opt.NumBuckets()-1 {
		return h.opt.BucketStart(b + 1)
	}
	return h.opt.BucketStart(b)
}
