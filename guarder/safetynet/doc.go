// Package safetynet is an optional local guard that sheds YARN work before Koordinator's
// eviction would evict the whole NodeManager pod. It reads the node's koordlet /metrics and
// lowers the guarder's target when either eviction condition is about to hold:
//
//   - BE CPU satisfaction: Koordinator evicts BE pods when satisfaction (the BE tier's real CPU
//     limit, koordlet_be_suppress_cpu_cores, divided by the BE request) falls below
//     cpuEvictBESatisfactionLowerPercent (60) while BE usage is at least
//     cpuEvictBEUsageThresholdPercent (90) of that limit. The net acts MarginPercent earlier on
//     both, and lowers the vcores target so that YARN's CPU stays below the usage threshold.
//   - Node memory: Koordinator evicts above memoryEvictThresholdPercent (70) down to the threshold
//     minus 2. The net acts MarginPercent before the threshold and frees memory down to that
//     lower bound minus the margin.
//
// It is off by default because the operator's resident loop is the primary controller: it
// smooths koordlet figures over minutes, lowers the RM capacity first (so YARN stops placing
// containers) and only then asks the guarder to shed. The net reacts to single scrapes of
// 1-second gauges, cannot lower RM capacity (the RM may refill the freed space at once, causing
// kill churn), and its thresholds must be kept in sync with the cluster's NodeSLO by hand. It is
// a last resort for clusters where the operator is unreachable or too slow; enable it knowingly.
//
// Decide is a pure function; Parse turns exposition text into its input.
package safetynet
