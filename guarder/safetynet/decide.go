package safetynet

import (
	"fmt"
	"math"
)

// Thresholds mirror the cluster's NodeSLO (defaults from Koordinator) plus our margin.
type Thresholds struct {
	CPUEvictSatisfactionLowerPercent float64 `json:"cpuEvictBESatisfactionLowerPercent"`
	CPUEvictUsageThresholdPercent    float64 `json:"cpuEvictBEUsageThresholdPercent"`
	MemoryEvictThresholdPercent      float64 `json:"memoryEvictThresholdPercent"`
	// MarginPercent is how many percentage points before Koordinator the net acts.
	MarginPercent float64 `json:"marginPercent"`
}

// DefaultThresholds are Koordinator's defaults with a 5-point margin.
func DefaultThresholds() Thresholds {
	return Thresholds{CPUEvictSatisfactionLowerPercent: 60, CPUEvictUsageThresholdPercent: 90,
		MemoryEvictThresholdPercent: 70, MarginPercent: 5}
}

// Inputs is everything Decide needs.
type Inputs struct {
	Obs Observation
	// BERequestCPUCores is the NM pod's kubernetes.io/batch-cpu request, in cores (the
	// denominator of Koordinator's satisfaction).
	BERequestCPUCores float64
	NodeMemoryBytes   float64
	// YarnVCores and YarnMemoryMB are what YARN's running, not-leaving containers hold.
	YarnVCores   int64
	YarnMemoryMB int64
}

// Decision is the net's verdict. Shed is false when nothing is at risk.
type Decision struct {
	Shed bool `json:"shed"`
	// ShedCPU and ShedMemory say which dimension is at risk; the other one keeps the current
	// YARN usage in VCores/MemoryMB and should not override an operator target.
	ShedCPU    bool   `json:"shedCpu"`
	ShedMemory bool   `json:"shedMemory"`
	VCores     int64  `json:"vcores"`
	MemoryMB   int64  `json:"memoryMB"`
	Reason     string `json:"reason"`
}

// Decide is pure. It returns a target no higher than current YARN usage in either resource.
func Decide(in Inputs, th Thresholds) Decision {
	d := Decision{VCores: in.YarnVCores, MemoryMB: in.YarnMemoryMB}
	var reasons []string

	if in.BERequestCPUCores > 0 {
		satisfaction := 100 * in.Obs.BESuppressCPUCores / in.BERequestCPUCores
		beUsed := in.Obs.BEUsedCPUCores
		if !in.Obs.HasBEUsed {
			beUsed = float64(in.YarnVCores)
		}
		var usagePct float64
		if in.Obs.BESuppressCPUCores > 0 {
			usagePct = 100 * beUsed / in.Obs.BESuppressCPUCores
		} else if beUsed > 0 {
			usagePct = math.Inf(1)
		}
		if satisfaction < th.CPUEvictSatisfactionLowerPercent+th.MarginPercent &&
			usagePct >= th.CPUEvictUsageThresholdPercent-th.MarginPercent {
			// Keep BE usage below the usage threshold (minus margin) of the current limit;
			// YARN vcores are the BE usage we control.
			// Other BE pods' use is what BE uses beyond YARN's allocation (never negative:
			// YARN containers may use less than they were allocated).
			otherBE := max(beUsed-float64(in.YarnVCores), 0)
			allowed := in.Obs.BESuppressCPUCores*(th.CPUEvictUsageThresholdPercent-th.MarginPercent)/100 - otherBE
			v := max(int64(math.Floor(allowed)), 0)
			if v < d.VCores {
				d.VCores = v
				d.Shed, d.ShedCPU = true, true
				reasons = append(reasons, fmt.Sprintf("BE CPU satisfaction %.0f%% and usage %.0f%% near Koordinator eviction", satisfaction, usagePct))
			}
		}
	}

	if in.NodeMemoryBytes > 0 {
		usedPct := 100 * in.Obs.NodeUsedMemoryBytes / in.NodeMemoryBytes
		if usedPct >= th.MemoryEvictThresholdPercent-th.MarginPercent {
			// Koordinator frees down to threshold-2; aim below that by the margin.
			goal := in.NodeMemoryBytes * (th.MemoryEvictThresholdPercent - 2 - th.MarginPercent) / 100
			excessMB := int64(math.Ceil((in.Obs.NodeUsedMemoryBytes - goal) / (1 << 20)))
			m := max(in.YarnMemoryMB-excessMB, 0)
			if m < d.MemoryMB {
				d.MemoryMB = m
				d.Shed, d.ShedMemory = true, true
				reasons = append(reasons, fmt.Sprintf("node memory %.0f%% near Koordinator eviction", usedPct))
			}
		}
	}
	if d.Shed {
		d.Reason = "safetyNet: " + joinReasons(reasons)
	}
	return d
}

func joinReasons(rs []string) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += "; "
		}
		out += r
	}
	return out
}
