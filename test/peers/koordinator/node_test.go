package koordinator

import (
	"math"
	"testing"
	"time"
)

const step = 30 * time.Second

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestSuppressionFloorAndRamp(t *testing.T) {
	cfg := DefaultConfig()
	n := NewNode(cfg, 100, 1_000_000, step)
	// Online load above the suppress threshold: the cpuset floors at 2 cores, not 0.
	o := n.Step(0, Input{OnlineCPUCores: 80, BEPodPresent: true, BEDemandCores: 10})
	if o.SuppressCores != 2 || !near(o.SuppressTargetCores, 65-80-2) || o.BEUsedCores != 2 {
		t.Fatalf("suppress %g target %g BE used %g, want 2, -17, 2", o.SuppressCores, o.SuppressTargetCores, o.BEUsedCores)
	}
	// Load falls: the target is 33 cores; 10 cores a loop, so the 30 loops of the step reach
	// it at the 4th loop (2, 12, 22, 32, 33...): the step's window sample averages them.
	o = n.Step(step, Input{OnlineCPUCores: 30, BEPodPresent: true, BEDemandCores: 50})
	if o.SuppressCores != 33 {
		t.Fatalf("suppress %g, want 33", o.SuppressCores)
	}
	wantAvg := (12 + 22 + 32 + 27*33.0) / 30
	if got := n.window.buf[1].LimitCores; !near(got, wantAvg) {
		t.Fatalf("step's limit sample %g, want %g", got, wantAvg)
	}
	// The CFS quota policy: the minimum quota, then a ramp of 10 cores a loop.
	cfg.SuppressPolicy = PolicyCFSQuota
	q := NewNode(cfg, 100, 1_000_000, time.Second)
	if o := q.Step(0, Input{OnlineCPUCores: 80, BEPodPresent: true, BEDemandCores: 10}); !near(o.SuppressCores, 0.02) {
		t.Fatalf("quota %g, want 0.02", o.SuppressCores)
	}
	if o := q.Step(time.Second, Input{OnlineCPUCores: 30, BEPodPresent: true}); !near(o.SuppressCores, 10.02) {
		t.Fatalf("quota after one loop %g, want 10.02", o.SuppressCores)
	}
}

func TestBatchAllocatableFromNodeMetric(t *testing.T) {
	cfg := DefaultConfig()
	n := NewNode(cfg, 100, 100_000, step)
	o := n.Step(0, Input{OnlineCPUCores: 30, OnlineMemoryMB: 20_000})
	// batch = 100 * 60 % - 2 - 30; memory = 100000 * 65 % - 8192 - 20000.
	if !near(o.BatchCPUCores, 28) || !near(o.BatchMemoryMB, 65_000-8192-20_000) {
		t.Fatalf("batch %g cores %g MB", o.BatchCPUCores, o.BatchMemoryMB)
	}
	// Online load jumps to 50 at 30 s: nothing is reported until 60 s...
	if o = n.Step(step, Input{OnlineCPUCores: 50, OnlineMemoryMB: 20_000}); o.BatchCPUCores != 28 || !near(o.RawBatchCPUCores, 8) {
		t.Fatalf("between reports: batch %g raw %g", o.BatchCPUCores, o.RawBatchCPUCores)
	}
	// ...and then the NodeMetric holds the average of the samples so far (30, 50, 50).
	o = n.Step(2*step, Input{OnlineCPUCores: 50, OnlineMemoryMB: 20_000})
	if want := 60 - 2 - (30+50+50)/3.0; !near(o.BatchCPUCores, want) {
		t.Fatalf("batch %g, want %g (300 s average)", o.BatchCPUCores, want)
	}
}

func TestPublicationRules(t *testing.T) {
	cfg := DefaultConfig()
	n := NewNode(cfg, 100, 100_000, step)
	in := Input{OnlineCPUCores: 30, ThirdPartyCPUCores: 10}
	o := n.Step(0, in)
	// The ledger entry is subtracted; the origin keeps the total.
	if !near(o.BatchCPUCores, 18) || !near(o.OriginCPUCores, 28) {
		t.Fatalf("batch %g origin %g, want 18, 28", o.BatchCPUCores, o.OriginCPUCores)
	}
	// A move under 10 % is not published (IsQuantityDiff wants more than 10 %): 18 -> 16.3.
	in.OnlineCPUCores = 31.7
	var at300, at360 Observation
	for k := 1; k <= 12; k++ {
		o = n.Step(time.Duration(k)*step, in)
		switch time.Duration(k) * step {
		case 300 * time.Second:
			at300 = o
		case 360 * time.Second:
			at360 = o
		}
	}
	if !near(at300.BatchCPUCores, 18) {
		t.Fatalf("republished at 300 s (%g): the age must exceed 300 s", at300.BatchCPUCores)
	}
	if !near(at360.BatchCPUCores, 60-2-31.7-10) {
		t.Fatalf("stale value not republished at 360 s: %g", at360.BatchCPUCores)
	}
	// The ledger can take the published figure to zero, not below.
	in.ThirdPartyCPUCores = 100
	for k := 13; k <= 14; k++ {
		o = n.Step(time.Duration(k)*step, in)
	}
	if o.BatchCPUCores != 0 || !near(o.OriginCPUCores, 60-2-31.7) {
		t.Fatalf("batch %g origin %g", o.BatchCPUCores, o.OriginCPUCores)
	}
}

// TestCPUEvictionOfAStarvedNM drives one node through a starvation and checks that the model
// evicts at exactly the step where the window first satisfies the rule, and only when the
// NM pod requests batch-cpu.
func TestCPUEvictionOfAStarvedNM(t *testing.T) {
	cfg := DefaultConfig()
	run := func(request float64) time.Duration {
		n := NewNode(cfg, 100, 1_000_000, step)
		for i := 0; i < 60; i++ {
			now := time.Duration(i) * step
			// suppress is 33 for five minutes, then online load rises: target 13.
			in := Input{OnlineCPUCores: 30, BEPodPresent: true, BEDemandCores: 28, BERequestCores: request}
			if i >= 10 {
				in.OnlineCPUCores = 50
			}
			if o := n.Step(now, in); o.Evict != NoEviction {
				if o.Evict != EvictCPU || !CPUEvictionDue(cfg, o.Window) {
					t.Fatalf("step %d: evict=%q, window %+v", i, o.Evict, o.Window)
				}
				return now
			}
		}
		return -1
	}
	// Request 30: window of 10 samples, k at 13 and 10-k at 33: satisfaction (330-20k)/300
	// reaches 0.6 at k = 7.5, so the 8th starved sample (step 17) evicts; the latest sample
	// (13/30 = 0.43, usage 13 of 13) agrees.
	if got, want := run(30), 17*step; got != want {
		t.Fatalf("evicted at %s, want %s", got, want)
	}
	// The NM pod requests nothing (no ceiling in its spec): satisfaction is undefined and
	// koordlet releases nothing, however starved YARN is.
	if got := run(0); got != -1 {
		t.Fatalf("evicted a pod that requests nothing at %s", got)
	}
}

func TestMemoryEvictionOfAnEmptyNM(t *testing.T) {
	cfg := DefaultConfig()
	n := NewNode(cfg, 100, 100_000, step)
	// No BE pod: nothing to evict, however high online memory is.
	if o := n.Step(0, Input{OnlineMemoryMB: 80_000}); o.Evict != NoEviction {
		t.Fatalf("evicted with no BE pod: %q", o.Evict)
	}
	// An NM pod with no YARN container is still a BE pod: 62000 + 8192 = 70.2 % evicts it.
	if o := n.Step(step, Input{OnlineMemoryMB: 62_000, BEPodPresent: true}); o.Evict != EvictMemory {
		t.Fatalf("empty NM pod at 70 %% memory not evicted: %q", o.Evict)
	}
	// 61000 + 8192 = 69.2 %: kept.
	if o := n.Step(2*step, Input{OnlineMemoryMB: 61_000, BEPodPresent: true}); o.Evict != NoEviction {
		t.Fatalf("evicted at 69 %%: %q", o.Evict)
	}
}
