package safetynet

import (
	"fmt"
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
# TYPE koordlet_container_resource_requests gauge
koordlet_container_resource_requests{node="n1",resource="kubernetes.io/batch-cpu",unit="integer",pod_name="nm",container_name="nodemanager"} 12000
koordlet_container_resource_requests{node="n1",resource="kubernetes.io/batch-cpu",unit="integer",pod_name="spark-batch",container_name="main"} 8000
koordlet_container_resource_requests{node="n1",resource="kubernetes.io/batch-memory",unit="integer",pod_name="nm",container_name="nodemanager"} 3.4359738368e+10
koordlet_container_resource_requests{node="n2",resource="kubernetes.io/batch-cpu",unit="integer",pod_name="other",container_name="main"} 99000
`

// koordletV15Text is what koordlet v1.5 publishes: no BE-used gauge, no node used memory.
const koordletV15Text = `# TYPE koordlet_be_suppress_cpu_cores gauge
koordlet_be_suppress_cpu_cores{node="n1",type="cpuset"} 8
# TYPE koordlet_container_resource_requests gauge
koordlet_container_resource_requests{node="n1",resource="kubernetes.io/batch-cpu",unit="integer",pod_name="nm",container_name="nodemanager"} 20000
`

func TestParse(t *testing.T) {
	obs, err := Parse(strings.NewReader(koordletText), "n1")
	if err != nil {
		t.Fatal(err)
	}
	// The BE request is the sum of every BE container's batch-cpu on the node (12 + 8 cores).
	if obs.BESuppressCPUCores != 8 || !obs.HasBEUsed || obs.BEUsedCPUCores != 7.5 || obs.NodeUsedMemoryBytes != 64<<30 ||
		!obs.HasBERequest || obs.BERequestMilliCPU != 20000 {
		t.Fatalf("%+v", obs)
	}
	if obs, err := Parse(strings.NewReader(koordletText), "n3"); err != nil || obs.HasBESuppress || obs.HasNodeUsedMemory || obs.HasBERequest {
		t.Fatalf("unknown node: %+v %v", obs, err)
	}
	old, err := Parse(strings.NewReader(koordletV15Text), "n1")
	if err != nil || !old.HasBESuppress || old.HasBEUsed || old.HasNodeUsedMemory || old.BERequestMilliCPU != 20000 {
		t.Fatalf("koordlet v1.5: %+v %v", old, err)
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
	th.CPUEvictSatisfactionLowerPercent = 60 // as a NodeSLO that turns BE CPU eviction on
	obs := func(suppress, used float64, hasUsed bool, requestMilli, memUsed float64) Observation {
		return Observation{BESuppressCPUCores: suppress, HasBESuppress: true, BEUsedCPUCores: used, HasBEUsed: hasUsed,
			BERequestMilliCPU: requestMilli, HasBERequest: requestMilli > 0, NodeUsedMemoryBytes: memUsed, HasNodeUsedMemory: memUsed > 0}
	}
	tests := []struct {
		name       string
		in         Inputs
		thresholds *Thresholds
		shed       bool
		vcores     int64
		memoryMB   int64
	}{
		{
			name: "healthy: satisfaction high",
			in:   Inputs{Obs: obs(20, 19, true, 20000, 40*gib), NodeMemoryBytes: 100 * gib, YarnVCores: 19, YarnMemoryMB: 30000},
		},
		{
			name: "low satisfaction but idle BE: no eviction risk",
			in:   Inputs{Obs: obs(8, 2, true, 20000, 40*gib), NodeMemoryBytes: 100 * gib, YarnVCores: 2, YarnMemoryMB: 30000},
		},
		{
			name: "CPU: satisfaction 40% (8 of the node's 20 requested cores) and usage 95%: shed to 85% of the limit",
			in:   Inputs{Obs: obs(8, 7.6, true, 20000, 40*gib), NodeMemoryBytes: 100 * gib, YarnVCores: 8, YarnMemoryMB: 30000},
			shed: true, vcores: 6, memoryMB: 30000,
		},
		{
			name: "the same limit with only the NM's 10 requested cores would be 80%: the node's sum decides",
			in:   Inputs{Obs: obs(8, 7.6, true, 10000, 40*gib), NodeMemoryBytes: 100 * gib, YarnVCores: 8, YarnMemoryMB: 30000},
		},
		{
			name: "CPU without the BE-used gauge (koordlet < 1.6) falls back to YARN vcores",
			in:   Inputs{Obs: obs(8, 0, false, 20000, 40*gib), NodeMemoryBytes: 100 * gib, YarnVCores: 10, YarnMemoryMB: 30000},
			shed: true, vcores: 6, memoryMB: 30000,
		},
		{
			name:       "Koordinator's defaults: no lower percent, BE CPU eviction off",
			in:         Inputs{Obs: obs(8, 7.6, true, 20000, 40*gib), NodeMemoryBytes: 100 * gib, YarnVCores: 8, YarnMemoryMB: 30000},
			thresholds: &Thresholds{CPUEvictUsageThresholdPercent: 90, MemoryEvictThresholdPercent: 70, MarginPercent: 5},
		},
		{
			name: "memory at 66%: shed down to 63%",
			in:   Inputs{Obs: obs(20, 0, false, 20000, 66*gib), NodeMemoryBytes: 100 * gib, YarnVCores: 4, YarnMemoryMB: 20480},
			shed: true, vcores: 4, memoryMB: 20480 - 3*1024,
		},
		{
			name: "memory excess larger than YARN: target 0",
			in:   Inputs{Obs: obs(20, 0, false, 20000, 95*gib), NodeMemoryBytes: 100 * gib, YarnVCores: 4, YarnMemoryMB: 1024},
			shed: true, vcores: 4, memoryMB: 0,
		},
		{
			name: "koordlet without node used memory (< 1.6): memory rule inactive, CPU rule still acts",
			in:   Inputs{Obs: obs(8, 0, false, 20000, 0), NodeMemoryBytes: 100 * gib, YarnVCores: 10, YarnMemoryMB: 1 << 20},
			shed: true, vcores: 6, memoryMB: 1 << 20,
		},
		{
			name: "no request known (koordlet < 1.2, no override): CPU rule inactive",
			in:   Inputs{Obs: Observation{BESuppressCPUCores: 1, HasBESuppress: true, BEUsedCPUCores: 1, HasBEUsed: true}, YarnVCores: 8},
		},
		{
			name: "an explicit override stands in for the request sum",
			in:   Inputs{Obs: Observation{BESuppressCPUCores: 8, HasBESuppress: true, BEUsedCPUCores: 7.6, HasBEUsed: true}, BERequestCPUCores: 20, YarnVCores: 8},
			shed: true, vcores: 6,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			use := th
			if tt.thresholds != nil {
				use = *tt.thresholds
			}
			d := Decide(tt.in, use)
			if d.Shed != tt.shed {
				t.Fatalf("shed %v, want %v (%+v)", d.Shed, tt.shed, d)
			}
			if tt.shed && (d.VCores != tt.vcores || d.MemoryMB != tt.memoryMB || !strings.HasPrefix(d.Reason, "safetyNet: ")) {
				t.Fatalf("got %+v, want vcores %d memoryMB %d", d, tt.vcores, tt.memoryMB)
			}
		})
	}
}

func TestRulesReportWhatIsMissing(t *testing.T) {
	th := DefaultThresholds()
	th.CPUEvictSatisfactionLowerPercent = 60
	v15, err := Parse(strings.NewReader(koordletV15Text), "n1")
	if err != nil {
		t.Fatal(err)
	}
	rules := Rules(Inputs{Obs: v15, NodeMemoryBytes: 1 << 40}, th)
	if got := fmt.Sprintf("%v %v %v", rules[0].Active, rules[1].Active, rules[1].Missing); got != "true false [koordlet_node_used_memory_bytes]" {
		t.Errorf("koordlet v1.5: %s (%+v)", got, rules)
	}
	rules = Rules(Inputs{Obs: Observation{}, NodeMemoryBytes: 1 << 40}, th)
	if got := fmt.Sprint(rules[0].Missing); got != "[koordlet_be_suppress_cpu_cores koordlet_container_resource_requests]" || rules[0].Active {
		t.Errorf("nothing published: %+v", rules)
	}
	th.CPUEvictSatisfactionLowerPercent = 70
	if rules := Rules(Inputs{Obs: v15}, th); rules[0].Active || !strings.Contains(rules[0].Reason, "above 60") {
		t.Errorf("lower percent 70: %+v", rules[0])
	}
	if rules := Rules(Inputs{Obs: v15}, DefaultThresholds()); rules[0].Active || !strings.Contains(rules[0].Reason, "not set") {
		t.Errorf("defaults: %+v", rules[0])
	}
}
