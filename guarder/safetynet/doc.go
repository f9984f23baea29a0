// Package safetynet is an optional local guard that sheds YARN work before Koordinator's
// eviction would evict the whole NodeManager pod. It reads the node's koordlet /metrics and
// lowers the guarder's target when either eviction condition is about to hold:
//
//   - BE CPU satisfaction (qosmanager/plugins/cpuevict/cpu_evict.go): Koordinator evicts BE
//     pods when satisfaction, the BE tier's real CPU limit (koordlet_be_suppress_cpu_cores)
//     divided by the BE request, falls below cpuEvictBESatisfactionLowerPercent while BE usage
//     is at least cpuEvictBEUsageThresholdPercent (90 when unset) of that limit. The BE request
//     is the sum of every BE pod's kubernetes.io/batch-cpu request on the node
//     (be_resource_collector.go getBECPURequestMilliCores), which the net reads as the sum of
//     koordlet_container_resource_requests{resource="kubernetes.io/batch-cpu"}. The lower
//     percent has no default (Koordinator's BE CPU eviction is off until a NodeSLO sets it, at
//     most 60), so the net's CPU rule is off until -cpu-evict-be-satisfaction-lower-percent
//     mirrors the NodeSLO. It acts MarginPercent earlier on both, and lowers the vcores target
//     so that YARN's CPU stays below the usage threshold.
//   - Node memory (memoryevict/memory_evict.go): Koordinator evicts above
//     memoryEvictThresholdPercent (default 70) down to the threshold minus 2. The net acts
//     MarginPercent before the threshold and frees memory down to that lower bound minus the
//     margin.
//
// Each rule needs koordlet metrics that appeared in different releases
// (koordlet_container_resource_requests v1.2, koordlet_be_suppress_be_used_cpu_cores and
// koordlet_node_used_memory_bytes v1.6; see parse.go). A rule whose metric is missing is
// inactive and reported (Rules; elastic_yarn_guarder_safety_net_rule_active and
// elastic_yarn_guarder_safety_net_missing_koordlet_metric; a log line when it changes); only
// the BE-used gauge has a stand-in (YARN's own allocation).
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
