package sim

import (
	"math"
	"testing"
)

func TestWindowStatsMatchPromQL(t *testing.T) {
	w := newWindow(4)
	for _, v := range []float64{100, 1, 2, 3, 4} { // 100 falls out of the window
		w.add(v)
	}
	s := w.stats(10)
	// quantile_over_time(0.1) of 1..4: rank 0.3 between 1 and 2.
	if s.Mean != 2.5 || s.Min != 1 || s.Max != 4 || math.Abs(s.Quantile-1.3) > 1e-9 || math.Abs(s.StdDev-math.Sqrt(1.25)) > 1e-9 {
		t.Fatalf("stats %+v", s)
	}
	if got := w.last(2); len(got) != 2 || got[0] != 3 || got[1] != 4 {
		t.Fatalf("last(2) = %v", got)
	}
	w.reset()
	w.add(7)
	if s := w.stats(50); s.Mean != 7 || s.Min != 7 || s.Quantile != 7 {
		t.Fatalf("after reset %+v", s)
	}
}
