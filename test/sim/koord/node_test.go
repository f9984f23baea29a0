package koord

import (
	"math"
	"testing"
	"time"
)

const step = 30 * time.Second

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestSuppressAndAllocatable(t *testing.T) {
	cfg := DefaultConfig()
	n := NewNode(cfg, 100, 100_000, step)
	o := n.Step(0, Input{OnlineCPUCores: 30, OnlineMemoryMB: 20_000})
	// suppress = 100*65% - 30 - 2; batch = 100*60% - 30 - 2; memory = 100000*65% - 20000 - 8192.
	if !near(o.SuppressCores, 33) || !near(o.BatchCPUCores, 28) || !near(o.BatchMemoryMB, 65_000-20_000-8192) {
		t.Fatalf("suppress %g batch %g memory %g", o.SuppressCores, o.BatchCPUCores, o.BatchMemoryMB)
	}
	// BE use is capped at suppress(BE).
	o = n.Step(step, Input{OnlineCPUCores: 30, BEDemandCores: 50, BERequestCores: 50})
	if !near(o.BEUsedCores, 33) || !near(o.NodeUsedCores, 65) {
		t.Fatalf("BE used %g node used %g", o.BEUsedCores, o.NodeUsedCores)
	}
}

func TestAllocatablePublication(t *testing.T) {
	cfg := DefaultConfig()
	n := NewNode(cfg, 100, 100_000, step)
	first := n.Step(0, Input{OnlineCPUCores: 30}).BatchCPUCores // 28
	// A 5 % move is not published...
	if got := n.Step(step, Input{OnlineCPUCores: 31.4}).BatchCPUCores; got != first {
		t.Fatalf("small move published: %g", got)
	}
	// ...until the value is 300 s old.
	if got := n.Step(300*time.Second, Input{OnlineCPUCores: 31.4}).BatchCPUCores; near(got, first) {
		t.Fatalf("stale value not republished: %g", got)
	}
	// A move above 10 % is published at once.
	if got := n.Step(330*time.Second, Input{OnlineCPUCores: 40}).BatchCPUCores; !near(got, 18) {
		t.Fatalf("large move not published: %g", got)
	}
}

// TestEvictionFiresWhenTheRuleHolds drives one node through a starvation and checks that
// the model evicts at exactly the step where the window averages first satisfy the rule.
func TestEvictionFiresWhenTheRuleHolds(t *testing.T) {
	cfg := DefaultConfig()
	n := NewNode(cfg, 100, 1_000_000, step)
	// YARN holds 30 vcores; suppress is 33 for five minutes, then online load rises so that
	// suppress falls to 13.
	in := Input{BEDemandCores: 28, BERequestCores: 30}
	var evictedAt time.Duration = -1
	for i := 0; i < 40 && evictedAt < 0; i++ {
		now := time.Duration(i) * step
		in.OnlineCPUCores = 30
		if i >= 10 {
			in.OnlineCPUCores = 50
		}
		o := n.Step(now, in)
		due := CPUEvictionDue(cfg, o.Window)
		if (o.Evict == EvictCPU) != due {
			t.Fatalf("step %d: evict=%q but rule says %v (window %+v)", i, o.Evict, due, o.Window)
		}
		if o.Evict != NoEviction {
			evictedAt = now
		}
	}
	// Window of 10 samples: k samples at 13 and 10-k at 33 give satisfaction (330-20k)/300;
	// it reaches 0.6 at k = 7.5, so the eighth starved sample (step 17) evicts.
	if want := 17 * step; evictedAt != want {
		t.Fatalf("evicted at %s, want %s", evictedAt, want)
	}
	// The window starts over after an eviction.
	if o := n.Step(evictedAt+step, Input{OnlineCPUCores: 50}); o.Window.Covered != step {
		t.Fatalf("window not reset: %+v", o.Window)
	}
}

func TestMemoryEvictionOnlyWithBEWork(t *testing.T) {
	cfg := DefaultConfig()
	n := NewNode(cfg, 100, 100_000, step)
	if o := n.Step(0, Input{OnlineMemoryMB: 80_000}); o.Evict != NoEviction {
		t.Fatalf("evicted an NM without containers for online memory: %q", o.Evict)
	}
	if o := n.Step(step, Input{OnlineMemoryMB: 50_000, BEMemoryMB: 12_000, BERequestCores: 4}); o.Evict != EvictMemory {
		t.Fatalf("50000+8192+12000 of 100000 is over 70 %%, got %q", o.Evict)
	}
}
