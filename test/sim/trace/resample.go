package trace

import (
	"fmt"
	"math"
	"time"
)

// Sample is one raw observation: seconds from the trace's origin, online shares in [0, 1].
type Sample struct {
	T      float64
	CPU    float64
	Memory float64
}

// Window selects the part of a raw trace to replay, in seconds from the trace's origin.
// End <= 0 means up to the last sample.
type Window struct {
	Start, End float64
}

// DefaultMaxGap is the longest stretch without a sample that sample-and-hold may bridge (the
// sim command's -max-gap). Holding the last sample is what the control plane itself does
// while a collector is silent: koordlet answers with the newest sample, koord-manager keeps
// the last NodeMetric. It does so for at most degradeTimeMinutes (15, koordinator
// pkg/util/sloconfig/colocation_config.go at a7a1b76b) before it stops trusting the figure;
// holding longer invents load, so a longer gap is an error unless the caller raises the
// limit knowingly (real collectors have hour-long outages).
const DefaultMaxGap = 15 * time.Minute

// Resample turns strictly increasing samples into a fixed-step series over w with
// sample-and-hold: step i holds the newest sample at or before w.Start + i*step. A step with
// no sample at or before it, or whose newest sample is older than maxGap, is an error naming
// the gap: the caller must choose a window without it rather than have load invented.
func Resample(node string, samples []Sample, w Window, step, maxGap time.Duration) (cpu, mem []float32, err error) {
	if step <= 0 {
		return nil, nil, fmt.Errorf("node %q: step must be positive", node)
	}
	if len(samples) == 0 {
		return nil, nil, fmt.Errorf("node %q: no samples", node)
	}
	end := w.End
	if end <= 0 {
		end = samples[len(samples)-1].T + step.Seconds()
	}
	stepS, gapS := step.Seconds(), maxGap.Seconds()
	n := int(math.Floor((end - w.Start) / stepS))
	if n <= 0 {
		return nil, nil, fmt.Errorf("node %q: window [%g, %g) holds no step of %s", node, w.Start, end, step)
	}
	cpu, mem = make([]float32, n), make([]float32, n)
	j := -1 // index of the newest sample at or before t
	for i := 0; i < n; i++ {
		t := w.Start + float64(i)*stepS
		for j+1 < len(samples) && samples[j+1].T <= t {
			j++
		}
		if j < 0 {
			return nil, nil, fmt.Errorf("node %q: no sample at or before t=%gs (first sample at %gs); start the window later", node, t, samples[0].T)
		}
		if age := t - samples[j].T; age > gapS {
			next := "the end of the trace"
			if j+1 < len(samples) {
				next = fmt.Sprintf("%gs", samples[j+1].T)
			}
			return nil, nil, fmt.Errorf("node %q: gap from %gs to %s is longer than %s; choose a window without it", node, samples[j].T, next, maxGap)
		}
		cpu[i], mem[i] = float32(samples[j].CPU), float32(samples[j].Memory)
	}
	return cpu, mem, nil
}
