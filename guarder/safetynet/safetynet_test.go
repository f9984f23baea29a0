package safetynet

import (
	"errors"
	"strings"
	"testing"
)

const koordletText = `# HELP koordlet_be_suppress_cpu_cores Number of cores suppress by koordlet
# TYPE koordlet_be_suppress_cpu_cores gauge
koordlet_be_suppress_cpu_cores{node="n1",type="cpuset"} 10
koordlet_be_suppress_cpu_cores{node="n1",type="cfsQuota"} 8
koordlet_be_suppress_cpu_cores{node="n2",type="cpuset"} 30
# TYPE koordlet_be_suppress_be_used_cpu_cores gauge
koordlet_be_suppress_be_used_cpu_cores{node="n1"} 7.5
# TYPE koordlet_node_used_memory_bytes gauge
koordlet_node_used_memory_bytes{node="n1"} 6.8719476736e+10
`

func TestParse(t *testing.T) {
	obs, err := Parse(strings.NewReader(koordletText), "n1")
	if err != nil {
		t.Fatal(err)
	}
	if obs.BESuppressCPUCores != 8 || !obs.HasBEUsed || obs.BEUsedCPUCores != 7.5 || obs.NodeUsedMemoryBytes != 64<<30 {
		t.Fatalf("%+v", obs)
	}
	if _, err := Parse(strings.NewReader(koordletText), "n3"); !errors.Is(err, ErrMissingMetric) {
		t.Fatalf("unknown node: %v", err)
	}
	for _, bad := range []string{
		"koordlet_be_suppress_cpu_cores{node=\"n1\" 10\n",
		"# TYPE koordlet_be_suppress_cpu_cores gauge\nkoordlet_be_suppress_cpu_cores{node=\"n1\"} abc\n",
		"\x00\x01garbage",
	} {
		if _, err := Parse(strings.NewReader(bad), "n1"); err == nil {
			t.Errorf("malformed input accepted: %q", bad)
		}
	}
}

func TestDecide(t *testing.T) {
	const gib = float64(1 << 30)
	th := DefaultThresholds()
	tests := []struct {
		name     string
		in       Inputs
		shed     bool
		vcores   int64
		memoryMB int64
	}{
		{
			name: "healthy: satisfaction high",
			in:   Inputs{Obs: Observation{BESuppressCPUCores: 20, BEUsedCPUCores: 19, HasBEUsed: true, NodeUsedMemoryBytes: 40 * gib}, BERequestCPUCores: 20, NodeMemoryBytes: 100 * gib, YarnVCores: 19, YarnMemoryMB: 30000},
		},
		{
			name: "low satisfaction but idle BE: no eviction risk",
			in:   Inputs{Obs: Observation{BESuppressCPUCores: 8, BEUsedCPUCores: 2, HasBEUsed: true, NodeUsedMemoryBytes: 40 * gib}, BERequestCPUCores: 20, NodeMemoryBytes: 100 * gib, YarnVCores: 2, YarnMemoryMB: 30000},
		},
		{
			name: "CPU: satisfaction 40% and usage 95%: shed to 85% of the limit",
			in:   Inputs{Obs: Observation{BESuppressCPUCores: 8, BEUsedCPUCores: 7.6, HasBEUsed: true, NodeUsedMemoryBytes: 40 * gib}, BERequestCPUCores: 20, NodeMemoryBytes: 100 * gib, YarnVCores: 8, YarnMemoryMB: 30000},
			shed: true, vcores: 6, memoryMB: 30000,
		},
		{
			name: "CPU without the BE-used gauge falls back to YARN vcores",
			in:   Inputs{Obs: Observation{BESuppressCPUCores: 8, NodeUsedMemoryBytes: 40 * gib}, BERequestCPUCores: 20, NodeMemoryBytes: 100 * gib, YarnVCores: 10, YarnMemoryMB: 30000},
			shed: true, vcores: 6, memoryMB: 30000,
		},
		{
			name: "memory at 66%: shed down to 63%",
			in:   Inputs{Obs: Observation{BESuppressCPUCores: 20, NodeUsedMemoryBytes: 66 * gib}, BERequestCPUCores: 20, NodeMemoryBytes: 100 * gib, YarnVCores: 4, YarnMemoryMB: 20480},
			shed: true, vcores: 4, memoryMB: 20480 - 3*1024,
		},
		{
			name: "memory excess larger than YARN: target 0",
			in:   Inputs{Obs: Observation{BESuppressCPUCores: 20, NodeUsedMemoryBytes: 95 * gib}, BERequestCPUCores: 20, NodeMemoryBytes: 100 * gib, YarnVCores: 4, YarnMemoryMB: 1024},
			shed: true, vcores: 4, memoryMB: 0,
		},
		{
			name: "no request known: CPU rule off",
			in:   Inputs{Obs: Observation{BESuppressCPUCores: 1, BEUsedCPUCores: 1, HasBEUsed: true}, YarnVCores: 8},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.in, th)
			if d.Shed != tt.shed {
				t.Fatalf("shed %v, want %v (%+v)", d.Shed, tt.shed, d)
			}
			if tt.shed && (d.VCores != tt.vcores || d.MemoryMB != tt.memoryMB || !strings.HasPrefix(d.Reason, "safetyNet: ")) {
				t.Fatalf("got %+v, want vcores %d memoryMB %d", d, tt.vcores, tt.memoryMB)
			}
		})
	}
}
