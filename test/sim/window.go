package sim

import (
	"math"
	"slices"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// window keeps the newest samples of one series, as Prometheus holds a range vector.
type window struct {
	buf    []float64
	next   int
	filled int
	sorted []float64
}

func newWindow(size int) *window { return &window{buf: make([]float64, max(1, size))} }

func (w *window) add(v float64) {
	w.buf[w.next] = v
	w.next = (w.next + 1) % len(w.buf)
	w.filled = min(w.filled+1, len(w.buf))
}

func (w *window) reset() { w.next, w.filled = 0, 0 }

// last returns the newest k samples (fewer if the window holds fewer), oldest first.
func (w *window) last(k int) []float64 {
	k = min(k, w.filled)
	out := make([]float64, 0, k)
	for i := k; i > 0; i-- {
		out = append(out, w.buf[(w.next-i+len(w.buf))%len(w.buf)])
	}
	return out
}

// stats are the *_over_time functions over the whole window: avg, min, max, quantile (with
// Prometheus' linear interpolation) and the population standard deviation.
func (w *window) stats(quantilePercent int) policy.Stats {
	if w.filled == 0 {
		return policy.Stats{}
	}
	// After a reset the ring refills from index 0, so buf[:filled] is the window in any state.
	w.sorted = append(w.sorted[:0], w.buf[:w.filled]...)
	slices.Sort(w.sorted)
	var sum float64
	for _, v := range w.sorted {
		sum += v
	}
	n := float64(len(w.sorted))
	mean := sum / n
	var sq float64
	for _, v := range w.sorted {
		sq += (v - mean) * (v - mean)
	}
	return policy.Stats{Mean: mean, Min: w.sorted[0], Max: w.sorted[len(w.sorted)-1],
		Quantile: quantile(w.sorted, float64(quantilePercent)/100), StdDev: math.Sqrt(sq / n)}
}

// quantile of sorted values the way PromQL's quantile_over_time computes it.
func quantile(sorted []float64, phi float64) float64 {
	rank := phi * float64(len(sorted)-1)
	lo := int(math.Floor(rank))
	hi := min(lo+1, len(sorted)-1)
	frac := rank - float64(lo)
	return sorted[lo]*(1-frac) + sorted[hi]*frac
}

func meanOf(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	var s float64
	for _, v := range vs {
		s += v
	}
	return s / float64(len(vs))
}

func minOf(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	return slices.Min(vs)
}
