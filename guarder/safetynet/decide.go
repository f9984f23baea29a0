package safetynet

import (
	"fmt"
	"math"
	"strings"
)

// Thresholds mirror the cluster's NodeSLO (resourceThresholdStrategy) plus our margin.
type Thresholds struct {
	// CPUEvictSatisfactionLowerPercent is cpuEvictBESatisfactionLowerPercent. Koordinator has
	// no default: BE CPU eviction is off until the NodeSLO sets it (with the upper percent),
	// and it must be in (0, 60] (cpu_evict.go beCPUSatisfactionLowPercentMax). 0 here: the
	// CPU rule is off, as Koordinator's is.
	CPUEvictSatisfactionLowerPercent float64 `json:"cpuEvictBESatisfactionLowerPercent"`
	// CPUEvictUsageThresholdPercent is cpuEvictBEUsageThresholdPercent; Koordinator uses 90
	// when it is not set (cpu_evict.go beCPUUsageThresholdPercent).
	CPUEvictUsageThresholdPercent float64 `json:"cpuEvictBEUsageThresholdPercent"`
	// MemoryEvictThresholdPercent is memoryEvictThresholdPercent, default 70
	// (sloconfig.DefaultResourceThresholdStrategy).
	MemoryEvictThresholdPercent float64 `json:"memoryEvictThresholdPercent"`
	// MarginPercent is how many percentage points before Koordinator the net acts.
	MarginPercent float64 `json:"marginPercent"`
}

// maxSatisfactionLowerPercent is the largest lower percent Koordinator accepts.
const maxSatisfactionLowerPercent = 60

// DefaultThresholds are what Koordinator does without a NodeSLO override: no BE CPU eviction
// (no lower percent), usage threshold 90, memory threshold 70; and a 5-point margin.
func DefaultThresholds() Thresholds {
	return Thresholds{CPUEvictSatisfactionLowerPercent: 0, CPUEvictUsageThresholdPercent: 90,
		MemoryEvictThresholdPercent: 70, MarginPercent: 5}
}

// Inputs is everything Decide needs.
type Inputs struct {
	Obs Observation
	// BERequestCPUCores overrides the BE request koordlet's satisfaction divides by, in cores,
	// for koordlets before v1.2 that do not publish container requests; 0 uses the sum of
	// koordlet_container_resource_requests (the node's BE pods, as koordlet counts them).
	BERequestCPUCores float64
	NodeMemoryBytes   float64
	// YarnVCores and YarnMemoryMB are what YARN's running, not-leaving containers hold.
	YarnVCores   int64
	YarnMemoryMB int64
}

// Rule names.
const (
	RuleCPUSatisfaction = "cpuSatisfaction"
	RuleMemory          = "memory"
)

// RuleStatus says whether a rule can act, and if not, why.
type RuleStatus struct {
	Rule   string `json:"rule"`
	Active bool   `json:"active"`
	// Missing lists the koordlet metrics the rule needs but did not get.
	Missing []string `json:"missing,omitempty"`
	Reason  string   `json:"reason,omitempty"`
}

// Rules says which rules can act on in. A rule whose koordlet metric is missing (an older
// koordlet, or none for the node) is inactive and names the metric: it is reported, not
// silently skipped.
func Rules(in Inputs, th Thresholds) []RuleStatus {
	cpu := RuleStatus{Rule: RuleCPUSatisfaction}
	switch {
	case th.CPUEvictSatisfactionLowerPercent <= 0:
		cpu.Reason = "cpuEvictBESatisfactionLowerPercent not set: Koordinator's BE CPU eviction is off"
	case th.CPUEvictSatisfactionLowerPercent > maxSatisfactionLowerPercent:
		cpu.Reason = fmt.Sprintf("cpuEvictBESatisfactionLowerPercent %.0f is above %d, which Koordinator rejects", th.CPUEvictSatisfactionLowerPercent, maxSatisfactionLowerPercent)
	default:
		if !in.Obs.HasBESuppress {
			cpu.Missing = append(cpu.Missing, MetricBESuppressCPU)
		}
		if !in.Obs.HasBERequest && in.BERequestCPUCores <= 0 {
			cpu.Missing = append(cpu.Missing, MetricContainerRequests)
		}
		cpu.Active = len(cpu.Missing) == 0
		if !cpu.Active {
			cpu.Reason = "koordlet does not publish " + strings.Join(cpu.Missing, ", ") + " (koordlet before v1.2, or no series for this node)"
		}
	}
	mem := RuleStatus{Rule: RuleMemory}
	switch {
	case in.NodeMemoryBytes <= 0:
		mem.Reason = "node memory size unknown"
	case !in.Obs.HasNodeUsedMemory:
		mem.Missing = []string{MetricNodeUsedMemory}
		mem.Reason = "koordlet does not publish " + MetricNodeUsedMemory + " (koordlet before v1.6, or no series for this node)"
	default:
		mem.Active = true
	}
	return []RuleStatus{cpu, mem}
}

// beRequestCores is the satisfaction denominator in cores.
func beRequestCores(in Inputs) float64 {
	if in.BERequestCPUCores > 0 {
		return in.BERequestCPUCores
	}
	return in.Obs.BERequestMilliCPU / 1000
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
	rules := Rules(in, th)

	if request := beRequestCores(in); rules[0].Active && request > 0 {
		satisfaction := 100 * in.Obs.BESuppressCPUCores / request
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

	if rules[1].Active {
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

func joinReasons(rs []string) string { return strings.Join(rs, "; ") }
