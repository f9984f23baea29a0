package caelus

import (
	"math"
	"testing"
	"time"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(b)) }

// VPA's CPU options: 176 buckets; bucket i starts at 0.01 * (1.05^i - 1) / 0.05.
func TestHistogramBuckets(t *testing.T) {
	o := CPUHistogramOptions
	if n := o.NumBuckets(); n != 176 {
		t.Fatalf("buckets %d, want 176 (ceil(log(5001)/log(1.05)) + 1)", n)
	}
	if b := o.FindBucket(0.005); b != 0 {
		t.Fatalf("0.005 cores in bucket %d", b)
	}
	b := o.FindBucket(10)
	if !(o.BucketStart(b) <= 10 && 10 < o.BucketStart(b+1)) {
		t.Fatalf("10 cores in bucket %d [%g, %g)", b, o.BucketStart(b), o.BucketStart(b+1))
	}
	if b := o.FindBucket(5000); b != o.NumBuckets()-1 {
		t.Fatalf("5000 cores in bucket %d, want the last", b)
	}
}

func TestPercentileAndDecay(t *testing.T) {
	h := NewDecayingHistogram(CPUHistogramOptions, 24*time.Hour)
	if h.Percentile(0.8) != 0 {
		t.Fatal("empty histogram not 0")
	}
	// 8 samples at 10 cores and 2 at 30, same time: the 80th percentile is the end of 10's
	// bucket.
	for i := 0; i < 8; i++ {
		h.AddSample(10, 0.1, 0)
	}
	h.AddSample(30, 0.1, 0)
	h.AddSample(30, 0.1, 0)
	o := CPUHistogramOptions
	if got, want := h.Percentile(0.8), o.BucketStart(o.FindBucket(10)+1); !near(got, want) {
		t.Fatalf("p80 %g, want %g", got, want)
	}
	// Two samples at 30 a day later weigh twice as much each: 30's weight (2 + 4) = 0.75 of
	// the total 8 + 6 = 14 is above 20 %, so the 80th percentile moves to 30's bucket.
	h.AddSample(30, 0.1, 24*time.Hour)
	h.AddSample(30, 0.1, 24*time.Hour)
	if got, want := h.Percentile(0.8), o.BucketStart(o.FindBucket(30)+1); !near(got, want) {
		t.Fatalf("p80 after decay %g, want %g", got, want)
	}
	// Renormalisation past 2^100 keeps the percentiles.
	before := h.Percentile(0.5)
	h.shift(200 * 24 * time.Hour)
	if got := h.Percentile(0.5); !near(got, before) {
		t.Fatalf("shift moved the median: %g -> %g", before, got)
	}
}

func TestPredictAndOffer(t *testing.T) {
	cfg := DefaultConfig()
	p := NewPredictor(cfg)
	for i := 0; i < 10; i++ {
		p.AddSample(time.Duration(i)*30*time.Second, 40, 100_000)
	}
	cpu, mem := p.Predict()
	o := CPUHistogramOptions
	if want := o.BucketStart(o.FindBucket(40)+1) * 1.08; !near(cpu, want) {
		t.Fatalf("cpu %g, want %g (bucket end * 1.08)", cpu, want)
	}
	m := MemoryHistogramOptions
	if want := m.BucketStart(m.FindBucket(100_000*bytesPerMB)+1) * 1.08 / bytesPerMB; !near(mem, want) {
		t.Fatalf("memory %g, want %g", mem, want)
	}
	// Reserve: min(96 * 20 %, 1) = 1 core; min(393216 * 20 %, 5120) = 5120 MB.
	c, mm := Offer(cfg, 96, 393216, 43.2, 108_000)
	if !near(c, 96-43.2-1) || !near(mm, 393216-108_000-5120) {
		t.Fatalf("offer %g cores %g MB", c, mm)
	}
	// A 4-core node reserves 20 % (0.8 core), not 1 core; a prediction above the node offers 0.
	if c, _ := Offer(cfg, 4, 8192, 1, 1000); !near(c, 2.2) {
		t.Fatalf("small node offer %g, want 2.2", c)
	}
	if c, _ := Offer(cfg, 4, 8192, 9, 1000); c != 0 {
		t.Fatalf("offer %g, want 0", c)
	}
}

func TestRoundOffAndDecide(t *testing.T) {
	cfg := DefaultConfig()
	if got := RoundOff(cfg, 51.8, 60_000.9); got != (Capacity{CPUMilli: 51_000, MemoryMB: 59_904}) {
		t.Fatalf("round off %+v", got)
	}
	cur := Capacity{CPUMilli: 40_000, MemoryMB: 100_000}
	tests := []struct {
		name  string
		offer Capacity
		want  Update
	}{
		// Range: min(max(4000, 1000), 2000) = 2000 millicores; min(max(10000, 512), 1024) MB.
		{"inside the range", Capacity{CPUMilli: 42_000, MemoryMB: 101_024}, Keep},
		{"CPU beyond the range, both up", Capacity{CPUMilli: 43_000, MemoryMB: 100_512}, Increase},
		{"CPU up, memory down", Capacity{CPUMilli: 43_000, MemoryMB: 99_488}, Decrease},
		{"CPU down", Capacity{CPUMilli: 37_000, MemoryMB: 100_000}, Decrease},
		{"memory up only, CPU flat", Capacity{CPUMilli: 40_000, MemoryMB: 102_000}, Decrease},
	}
	for _, tt := range tests {
		if got := Decide(cfg, cur, tt.offer); got != tt.want {
			t.Errorf("%s: Decide = %d, want %d", tt.name, got, tt.want)
		}
	}
	// A small capacity's CPU range is clamped up to 1000 millicores.
	if got := Decide(cfg, Capacity{CPUMilli: 4000, MemoryMB: 8192}, Capacity{CPUMilli: 5000, MemoryMB: 8192}); got != Keep {
		t.Errorf("1-core move on a 4-core capacity: %d, want Keep", got)
	}
}
