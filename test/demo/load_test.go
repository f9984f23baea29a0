package demo

import (
	"math"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
)

// TestLoadModelSurge: quiet, then an online surge that rises, holds and falls back, in the
// fractions of the run the pools' settings were chosen for (load.go).
func TestLoadModelSurge(t *testing.T) {
	m := LoadModel{Run: 100 * time.Minute, StartHour: 11.5}
	at := func(f float64) time.Duration { return time.Duration(f * float64(m.Run)) }
	quiet, peak, after := m.Online(1, at(0.1)), m.Online(1, at(0.45)), m.Online(1, at(0.9))
	if quiet > 0.3 || after > 0.3 || peak < 0.45 {
		t.Fatalf("quiet %.2f peak %.2f after %.2f", quiet, peak, after)
	}
	if got := m.SimulatedTime(time.Minute); got != 6*time.Minute {
		t.Fatalf("one real minute is %s simulated, want 6m", got)
	}
	if got := m.Hour(5 * time.Minute); got < 11.99 || got > 12.01 {
		t.Fatalf("hour after 5 real minutes = %.2f, want 12:00", got)
	}
	if m.Online(1, time.Minute) != m.Online(1, time.Minute) {
		t.Fatal("not deterministic")
	}
}

func TestLoadModelSpike(t *testing.T) {
	m := LoadModel{Run: 10 * time.Minute, Spikes: []Spike{{Node: 3, From: 0.5, To: 0.6}}}
	if got := m.Online(3, 5*time.Minute+30*time.Second); got != SpikeLevel {
		t.Fatalf("in spike: %.2f", got)
	}
	if got := m.Online(3, 7*time.Minute); got >= SpikeLevel {
		t.Fatalf("after spike: %.2f", got)
	}
	if got := m.Online(4, 5*time.Minute+30*time.Second); got >= SpikeLevel {
		t.Fatalf("other node: %.2f", got)
	}
}

// TestKoordletInputDrivesTheSharedModel: the demo's koordlet is the shared Koordinator model
// (test/peers/koordinator) on the load model, in simulated time.
func TestKoordletInputDrivesTheSharedModel(t *testing.T) {
	m := LoadModel{Run: 3 * time.Minute, StartHour: 4}
	in := KoordletInput(m, 1, 0, 4, koordledger.Batch{Cores: 3, MemoryBytes: 2 << 30})
	online := m.Online(1, 0)
	if in.OnlineCPUCores != online*nodeCores || in.OnlineMemoryMB != OnlineMemoryShare(online)*nodeMemoryGiB*1024 ||
		in.BEDemandCores != 4 || in.ThirdPartyCPUCores != 3 || in.ThirdPartyMemoryMB != 2048 || !in.BEPodPresent {
		t.Fatalf("input %+v", in)
	}
	cfg := koordinator.DefaultConfig()
	n := koordinator.NewNode(cfg, nodeCores, nodeMemoryGiB*1024, Compression*time.Second)
	o := n.Step(0, in)
	// suppress: cpuset of ceil(32 * 65 % - online - 2 system) cores, at least 2.
	want := math.Max(2, math.Ceil(32*0.65-in.OnlineCPUCores-2))
	if o.SuppressCores != want {
		t.Fatalf("suppress %g, want %g", o.SuppressCores, want)
	}
	// batch allocatable: 32 * 60 % - 2 - online, minus YARN's 3 cores in the ledger.
	if got, w := o.BatchCPUCores, math.Max(0, 32*0.6-2-in.OnlineCPUCores-3); math.Abs(got-w) > 1e-9 {
		t.Fatalf("batch %g, want %g", got, w)
	}
	// A spike leaves the batch tier the 2-core cpuset floor, not nothing.
	spike := LoadModel{Run: 10 * time.Minute, Spikes: []Spike{{Node: 1, From: 0, To: 1}}}
	if o := n.Step(Compression*time.Second, KoordletInput(spike, 1, time.Second, 8, koordledger.Batch{})); o.SuppressCores != 2 {
		t.Fatalf("suppress in a spike %g, want the 2-core floor", o.SuppressCores)
	}
}
