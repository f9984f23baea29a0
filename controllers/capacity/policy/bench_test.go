package policy

import (
	"testing"
	"time"
)

// BenchmarkDecide1000Nodes is one pool cycle's worth of decisions.
func BenchmarkDecide1000Nodes(b *testing.B) {
	s := baseSettings()
	s.Overcommit = []Overcommit{{StartMinute: 22 * 60, EndMinute: 6 * 60, CPUPercent: 120, MemoryPercent: 100}}
	inputs := make([]Input, 1000)
	for i := range inputs {
		inputs[i] = fresh(float64(i%40) + 0.5)
		if i%10 == 0 {
			inputs[i].Metrics.NewestSample = now.Add(-5 * time.Minute)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range inputs {
			_ = Decide(s, in)
		}
	}
}
