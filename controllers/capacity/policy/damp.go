package policy

import "github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"

// damp moves from base towards desired only on real changes. VCores lead: grow by at least
// ScaleUpStepVCores, shrink only beyond the tolerance band. When vcores move, memory follows
// the desired value (keeping the ratio coherent in one RM write); when they hold, memory moves
// on its own only beyond the same band (at least one increment), so BatchMemory pools react
// to memory pressure without flapping. Under VCoreRatio memory never grows on its own.
func damp(s Settings, base, desired Resources) (Resources, Reason) {
	vcores, vReason := dampVCores(s, base.VCores, desired.VCores)
	if vcores != base.VCores {
		return Resources{VCores: vcores, MemoryMB: desired.MemoryMB}, vReason
	}
	if s.MemoryPolicy == v1alpha1.MemoryVCoreRatio && desired.MemoryMB > base.MemoryMB {
		// Memory is derived from vcores: it grows only with them.
		desired.MemoryMB = base.MemoryMB
	}
	memory, mReason := dampMemory(s, base.MemoryMB, desired.MemoryMB)
	if memory != base.MemoryMB {
		return Resources{VCores: vcores, MemoryMB: memory}, mReason
	}
	if vReason == ReasonUnchanged {
		return base, mReason
	}
	return base, vReason
}

func dampVCores(s Settings, base, desired int64) (int64, Reason) {
	switch {
	case desired >= base+s.ScaleUpStepVCores:
		return desired, ReasonGrow
	case desired > base:
		return base, ReasonBelowScaleUpStep
	case desired < base && beyondTolerance(s, base, desired):
		return desired, ReasonShrinkBeyondTolerance
	case desired < base:
		return base, ReasonWithinTolerance
	}
	return base, ReasonUnchanged
}

func dampMemory(s Settings, base, desired int64) (int64, Reason) {
	switch {
	case desired > base && desired-base >= max(s.MemoryIncrementMB, base*s.ScaleDownTolerancePercent/100):
		return desired, ReasonGrow
	case desired > base:
		return base, ReasonBelowScaleUpStep
	case desired < base && beyondTolerance(s, base, desired):
		return desired, ReasonShrinkBeyondTolerance
	case desired < base:
		return base, ReasonWithinTolerance
	}
	return base, ReasonUnchanged
}

// beyondTolerance: desired < base * (100 - tolerance) / 100, in integers.
func beyondTolerance(s Settings, base, desired int64) bool {
	return (base-desired)*100 > base*s.ScaleDownTolerancePercent
}
