// Package koordinator is the one model of Koordinator (koordlet and koord-manager) that the
// simulator (test/sim), the demo (test/demo) and the scale run (test/scale) share: what the
// BE (batch) tier may use on a node, the batch allocatable koord-manager publishes, and when
// koordlet evicts the NodeManager pod.
//
// Every rule is read from koordinator-sh/koordinator at commit a7a1b76b (v1.6+, "koordlet:
// support NUMA-level metrics and node peak reporting (#3138)"); each doc comment names its
// file. The rules:
//
//   - CPU suppression (koordlet cpusuppress): suppress(BE) = capacity *
//     cpuSuppressThresholdPercent - non-BE used - system used, applied as a cpuset (whole
//     cores, at least 2, growing by at most 10 % of the node's CPUs per 1 s loop) or as a CFS
//     quota (at least 2 ms per 100 ms period, growing by at most 10 % of the node per loop,
//     ignoring moves under 1 % of the node). The applied figure is the BE real limit.
//   - BECPUEvict (koordlet cpuevict, v1.4+ rule of acb69260, #1830): window averages of BE
//     usage, request and real limit over cpuEvictTimeWindowSeconds, valid when the samples
//     cover a third of the window; usage "high enough" when the real *limit* is under one
//     core or usage >= 90 % of it; satisfaction limit/request <= the lower percent; then the
//     latest sample must agree.
//   - BEMemoryEvict (koordlet memoryevict): node memory use at or above
//     memoryEvictThresholdPercent evicts the BE pods, the NodeManager pod included whether or
//     not YARN runs containers in it.
//   - Batch allocatable (koord-manager noderesource batchresource plugin): capacity *
//     reclaimThresholdPercent - system used - HP pods used, from the NodeMetric koordlet
//     reports every 60 s with usage averaged over 300 s; the thirdPartyAllocations entry of
//     koord-batch is subtracted (floored at 0); republished when it moved more than 10 % or
//     the last update is more than 300 s old.
//   - BE request: the sum of the BE pods' kubernetes.io/batch-cpu requests (what the
//     NodeManager pod asks for), not YARN's allocation inside the pod.
//
// The NodeManager is the only BE pod on the node, so an eviction takes the whole NM.
package koordinator
