package koordinator

import "math"

// Rules of koordlet's CPU suppression, pkg/koordlet/qosmanager/plugins/cpusuppress/
// cpu_suppress.go at a7a1b76b (constants at lines 51-57).
const (
	// beMinCPUSetCores: "set the number of cpuset cpus no less than 2" (adjustByCPUSet).
	beMinCPUSetCores = 2
	// beMaxIncreaseCPUPercent: "scale up slow": a loop may add at most this share of the
	// node's CPUs (cpuset) or of its capacity (CFS quota).
	beMaxIncreaseCPUPercent = 0.1
	// beMinQuotaCores is beMinQuota (2000 us) over the default 100 ms CFS period.
	beMinQuotaCores = 0.02
	// suppressBypassQuotaDeltaRatio: a CFS quota move under 1 % of the node is not written.
	suppressBypassQuotaDeltaRatio = 0.01
	percent                       = 100.0
)

// SuppressTarget is calculateBESuppressCPU: capacity * cpuSuppressThresholdPercent - non-BE
// pods used - system used, raised to cpuSuppressMinPercent of the capacity when that is set.
// It is the figure before the policy (cpuset or quota) applies its floor and step limit.
func SuppressTarget(cfg Config, cpuCores, nonBEUsedCores, systemUsedCores float64) float64 {
	s := cpuCores*cfg.CPUSuppressThresholdPercent/percent - nonBEUsedCores - systemUsedCores
	if cfg.CPUSuppressMinPercent > 0 {
		s = math.Max(s, cpuCores*cfg.CPUSuppressMinPercent/percent)
	}
	return s
}

// NextCPUSet is one adjustByCPUSet loop: the cpuset size koordlet writes for the BE pods,
// given the current size. cpus = ceil(target), at least 2, and at most
// current + ceil(CPUs * 10 %) (a shrink applies at once: "for a reduce of BE cpuset, we
// should make effort to protecting LS no matter how huge the decrease is").
func NextCPUSet(cpuCores, target float64, current int) int {
	cpus := max(int(math.Ceil(target)), beMinCPUSetCores)
	step := int(math.Ceil(cpuCores * beMaxIncreaseCPUPercent))
	if cpus-current > step {
		cpus = current + step
	}
	return min(cpus, int(cpuCores))
}

// NextCFSQuota is one adjustByCfsQuota loop, in cores of quota: max(target, 2 ms/100 ms);
// a move under 1 % of the node's capacity is skipped unless it is to the minimum; a rise is
// limited to 10 % of the capacity per loop once a quota is set (unset means no quota yet,
// current < 0).
func NextCFSQuota(cpuCores, target, current float64) float64 {
	q := math.Max(target, beMinQuotaCores)
	if current >= 0 && math.Abs(q-current) < cpuCores*suppressBypassQuotaDeltaRatio && q != beMinQuotaCores {
		return current
	}
	if step := cpuCores * beMaxIncreaseCPUPercent; current >= 0 && q-current > step {
		q = current + step
	}
	return q
}
