// Package koord models the parts of Koordinator that decide what YARN may use on a node and
// when the NodeManager pod is evicted (shared/reference/koordinator.md; koordlet's
// cpusuppress and cpuevict, koord-manager's batch resource plugin):
//
//   - suppress(BE) = capacity * cpuSuppressThresholdPercent - non-BE used - system used: the CPU
//     the BE tier may use right now (koordlet_be_suppress_cpu_cores). BE use is capped there.
//   - batch allocatable = capacity * reclaimThresholdPercent - non-BE used - system used, for
//     CPU and memory, republished only when it moved more than 10 % or 300 s passed.
//   - BECPUEvict: over cpuEvictTimeWindowSeconds, with window averages of BE usage, request and
//     real limit, satisfaction = limit / request. Eviction when satisfaction <= the lower
//     percent (koordlet skips only when it is *above*) and usage >= the usage threshold of the
//     limit (or BE usage under one core, which koordlet also counts as "high enough"), and
//     the window holds at least a third of its span.
//   - memory eviction when node memory use reaches memoryEvictThresholdPercent.
//
// The NodeManager is the only BE pod on the node, so an eviction takes the whole NM.
// Assumption: the BE request is the vcores of the YARN containers running on the NM (their
// cgroups are sized from them); Koordinator sees YARN's allocation, not the RM's capacity.
package koord
