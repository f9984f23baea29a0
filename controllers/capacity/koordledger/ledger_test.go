package koordledger

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// publishedByKoordManager is koord-manager's batch resource rule (batchresource/plugin.go at
// koordinator a7a1b76b, lines 133-146): max(origin - thirdPartyBatchAllocated, 0).
func publishedByKoordManager(origin, thirdParty Batch) Batch {
	return Batch{Cores: max(origin.Cores-thirdParty.Cores, 0), MemoryBytes: max(origin.MemoryBytes-thirdParty.MemoryBytes, 0)}
}

// TestAddBackYARNShare: what koordlet publishes has YARN's own ledger
// entry subtracted; adding it back gives YARN Koordinator's origin figure, not "what the node
// offers minus what YARN already uses" (which settles YARN near half under load).
func TestAddBackYARNShare(t *testing.T) {
	origin := Batch{Cores: 40, MemoryBytes: 160 * gib}
	yarn := Batch{Cores: 16, MemoryBytes: 64 * gib}
	stats := func(v float64) policy.Stats { return policy.Stats{Mean: v, Min: v, Max: v, Quantile: v, StdDev: 0.5} }
	metricsOf := func(published Batch, suppressCores float64, cpuFromAllocatable bool) policy.Metrics {
		cpu := suppressCores
		if cpuFromAllocatable {
			cpu = published.Cores
		}
		return policy.Metrics{CPUPresent: true, MemoryPresent: true, RecentCPUPresent: true, RecentCPUCores: cpu,
			CPUCores: stats(cpu), MemoryBytes: stats(published.MemoryBytes)}
	}
	cases := []struct {
		name               string
		origin, thirdParty Batch
		ledger             Ledger
		cpuFromAllocatable bool
		suppress           float64
		wantCPU, wantMem   float64
	}{
		{"BatchAllocatable: cpu and memory back to the origin", origin, yarn, Ledger{YARN: yarn}, true, 0, 40, 160 * gib},
		{"BESuppress: cpu untouched (not on the ledger), memory back", origin, yarn, Ledger{YARN: yarn}, false, 30, 30, 160 * gib},
		{"nothing on the ledger: as published", origin, Batch{}, Ledger{}, true, 0, 40, 160 * gib},
		{"clamped at zero by koord-manager: capped at the origin annotation", Batch{Cores: 10, MemoryBytes: 32 * gib}, yarn,
			Ledger{YARN: yarn, Origin: Batch{Cores: 10, MemoryBytes: 32 * gib}, OriginKnown: true}, true, 0, 10, 32 * gib},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			published := publishedByKoordManager(tc.origin, tc.thirdParty)
			got := AddBackYARNShare(metricsOf(published, tc.suppress, tc.cpuFromAllocatable), tc.ledger, tc.cpuFromAllocatable)
			for name, s := range map[string]policy.Stats{"cpu": got.CPUCores, "memory": got.MemoryBytes} {
				want := tc.wantCPU
				if name == "memory" {
					want = tc.wantMem
				}
				if !near(s.Mean, want) || !near(s.Min, want) || !near(s.Max, want) || !near(s.Quantile, want) || s.StdDev != 0.5 {
					t.Errorf("%s %+v, want %v in every statistic and the stddev kept", name, s, want)
				}
			}
			if !near(got.RecentCPUCores, tc.wantCPU) {
				t.Errorf("recent cpu %v, want %v", got.RecentCPUCores, tc.wantCPU)
			}
		})
	}
}

func TestYARNShareOf(t *testing.T) {
	node := func(v string) *corev1.Node {
		return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n", Annotations: map[string]string{AnnotationThirdPartyAllocations: v}}}
	}
	got, err := YARNShareOf(node(`{"allocations":[{"name":"other","priority":"koord-batch","resources":{"kubernetes.io/batch-cpu":"4000"}},` +
		`{"name":"hadoop-yarn","priority":"koord-batch","resources":{"kubernetes.io/batch-cpu":"8000","kubernetes.io/batch-memory":"32Gi"}}]}`))
	if err != nil || !near(got.Cores, 8) || !near(got.MemoryBytes, 32*gib) {
		t.Errorf("share %+v %v, want 8 cores and 32 GiB (other allocations are not YARN's)", got, err)
	}
	if got, err := YARNShareOf(&corev1.Node{}); err != nil || got != (Batch{}) {
		t.Errorf("no annotation: %+v %v", got, err)
	}
	if _, err := YARNShareOf(node("{bad")); err == nil {
		t.Error("malformed annotation: want an error")
	}
}
