package koordinator

import (
	"testing"
	"time"
)

func sample(usage, request, limit float64) CPUSample {
	return CPUSample{UsageCores: usage, RequestCores: request, LimitCores: limit}
}

func window(avg, latest CPUSample, covered time.Duration) CPUWindow {
	return CPUWindow{CPUSample: avg, Latest: latest, Covered: covered}
}

// The cases follow calculateMilliReleaseByBESatisfaction, isBECPUUsageHighEnough and
// calculateResourceMilliToReleaseBySatisfaction in cpu_evict.go at a7a1b76b.
func TestCPUEvictionDue(t *testing.T) {
	cfg := DefaultConfig()
	full := cfg.EvictWindow
	starved := sample(10, 20, 10) // satisfaction 0.5, usage 100 % of the limit
	tests := []struct {
		name string
		w    CPUWindow
		want bool
	}{
		{"starved and busy, now too: evict", window(starved, starved, full), true},
		{"satisfaction exactly 60 %: koordlet skips only above it", window(sample(12, 20, 12), sample(12, 20, 12), full), true},
		{"satisfaction 61 %: no eviction", window(sample(12.2, 20, 12.2), sample(12.2, 20, 12.2), full), false},
		{"usage exactly 90 % of the limit: evict", window(sample(9, 20, 10), sample(9, 20, 10), full), true},
		{"usage 89 % of the limit: no eviction", window(sample(8.9, 20, 10), sample(8.9, 20, 10), full), false},
		{"v1.4: real limit under one core counts as high enough", window(sample(0.1, 20, 0.5), sample(0.1, 20, 0.5), full), true},
		{"v1.4: usage under one core with a larger limit is not high enough", window(sample(0.5, 20, 5), sample(0.5, 20, 5), full), false},
		{"nothing requested: no eviction", window(sample(5, 0, 5), sample(5, 0, 5), full), false},
		{"no real limit: no eviction", window(sample(0, 20, 0), sample(0, 20, 0), full), false},
		{"window a third full: counts", window(starved, starved, full/3), true},
		{"window under a third full: koordlet skips", window(starved, starved, full/3-time.Second), false},
		{"latest sample idle: no eviction", window(starved, sample(5, 20, 10), full), false},
		{"latest limit recovered: nothing to release now", window(starved, sample(13, 20, 13), full), false},
		{"latest pod gone (request 0): no eviction", window(starved, sample(0, 0, 10), full), false},
		{"latest differs but still starved: evict", window(starved, sample(8, 20, 8), full), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CPUEvictionDue(cfg, tt.w); got != tt.want {
				t.Errorf("CPUEvictionDue(%+v) = %v, want %v", tt.w, got, tt.want)
			}
		})
	}
}

func TestCPUEvictionNeedsRoomToRelease(t *testing.T) {
	cfg := DefaultConfig()
	cfg.EvictSatisfactionUpperPercent = 50 // below the window's satisfaction: nothing to release
	w := window(sample(10, 20, 10), sample(10, 20, 10), cfg.EvictWindow)
	if CPUEvictionDue(cfg, w) {
		t.Fatal("evicted although upper percent leaves nothing to release")
	}
}

// memoryevict compares int64(used) * 100 / capacity, a whole percent, with the threshold.
func TestMemoryEvictionDue(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		used, capacity float64
		want           bool
	}{
		{69.99, 100, false}, // 69 %
		{70, 100, true},
		{90, 100, true},
		{10, 0, false},
	}
	for _, tt := range tests {
		if got := MemoryEvictionDue(cfg, tt.used, tt.capacity); got != tt.want {
			t.Errorf("MemoryEvictionDue(%g, %g) = %v, want %v", tt.used, tt.capacity, got, tt.want)
		}
	}
}
