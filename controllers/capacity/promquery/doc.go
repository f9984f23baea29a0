// Package metrics reads what Koordinator's batch tier offers on each node of a pool from
// Prometheus (koordlet series), with window statistics computed by PromQL, and from the
// Node objects' batch allocatable as a fallback.
//
// Query budget. Every query covers all nodes of a chunk at once, aggregated `by (node)`;
// nothing is ever queried per node. Per chunk and cycle:
//
//	cpu: one query per requested statistic + one stddev_over_time   (1 statistic: 2)
//	memory: one query per requested statistic                       (1 statistic: 1)
//	cpu over the last RecentWindow, for the CPU-eviction guard      1
//	freshness: one query (newest sample timestamp)                  1
//	node usage for the safety backoff: recent + sustained           2 (0 when disabled)
//
// so a pool with one statistic costs 7 queries per chunk. koordlet series carry only a
// `node` label (no pool label we could match on), so nodes are selected with an anchored
// regexp alternation of escaped node names, sent as a POST body by client_golang.
// Prometheus turns an alternation of literals into a set lookup in its index, so one query
// serves a whole pool: test/scale measured 5,000 nodes (about 100 KiB of regexp) in one
// query per statistic. Pools larger than MaxNodesPerQuery (default 10,000) are split into
// chunks: queries per cycle = 7 x ceil(nodes / MaxNodesPerQuery). The queries of a fetch
// are sent concurrently, at most MaxConcurrentQueries at once, so a cycle costs about its
// slowest query rather than their sum; answers are applied in a fixed order.
//
// koordlet_be_suppress_cpu_cores carries a `type` label (cpuset or cfsQuota). koordlet
// never deletes the gauge of a policy it stopped using, so after a NodeSLO switch both
// series are exported, one frozen. The statistic is taken per series and the minimum
// across types kept: never more than either series says (fail-safe).
// koordlet_node_resource_allocatable{resource="kubernetes.io/batch-cpu"} is in milli-cores
// and is converted to cores here; batch memory is in bytes.
//
// Values that are NaN, infinite or negative are a per-node error, never a capacity.
package promquery
