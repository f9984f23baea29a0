package koord

import (
	"testing"
	"time"
)

func TestCPUEvictionDue(t *testing.T) {
	cfg := DefaultConfig()
	full := cfg.EvictWindow
	tests := []struct {
		name string
		w    CPUWindow
		want bool
	}{
		{"starved and busy: evict", CPUWindow{UsageCores: 10, RequestCores: 20, LimitCores: 10, Covered: full}, true},
		{"satisfaction exactly 60 %: koordlet skips only above it", CPUWindow{UsageCores: 12, RequestCores: 20, LimitCores: 12, Covered: full}, true},
		{"satisfaction 61 %: no eviction", CPUWindow{UsageCores: 12.2, RequestCores: 20, LimitCores: 12.2, Covered: full}, false},
		{"usage exactly 90 % of the limit: evict", CPUWindow{UsageCores: 9, RequestCores: 20, LimitCores: 10, Covered: full}, true},
		{"usage 89 % of the limit: no eviction", CPUWindow{UsageCores: 8.9, RequestCores: 20, LimitCores: 10, Covered: full}, false},
		{"usage under one core counts as high enough", CPUWindow{UsageCores: 0.5, RequestCores: 20, LimitCores: 5, Covered: full}, true},
		{"nothing requested: no eviction", CPUWindow{UsageCores: 0, RequestCores: 0, LimitCores: 5, Covered: full}, false},
		{"no real limit: no eviction", CPUWindow{UsageCores: 0, RequestCores: 20, LimitCores: 0, Covered: full}, false},
		{"window a third full: counts", CPUWindow{UsageCores: 10, RequestCores: 20, LimitCores: 10, Covered: full / 3}, true},
		{"window under a third full: koordlet skips", CPUWindow{UsageCores: 10, RequestCores: 20, LimitCores: 10, Covered: full/3 - time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CPUEvictionDue(cfg, tt.w); got != tt.want {
				t.Errorf("CPUEvictionDue(%+v) = %v, want %v (satisfaction %.3f)", tt.w, got, tt.want, tt.w.Satisfaction())
			}
		})
	}
}

func TestCPUEvictionNeedsRoomToRelease(t *testing.T) {
	cfg := DefaultConfig()
	cfg.EvictSatisfactionUpperPercent = 50 // below the lower bound: nothing to release
	w := CPUWindow{UsageCores: 10, RequestCores: 20, LimitCores: 10, Covered: cfg.EvictWindow}
	if CPUEvictionDue(cfg, w) {
		t.Fatal("evicted although upper percent leaves nothing to release")
	}
}

func TestMemoryEvictionDue(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		used, capacity float64
		want           bool
	}{
		{69.9, 100, false},
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
