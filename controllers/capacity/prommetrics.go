package capacity

import (
	"github.com/prometheus/client_golang/prometheus"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
)

// Operator metrics. Labels are bounded: pool (namespace/name), direction and reason; never
// node names.
var (
	offeredVCores = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "elastic_yarn_capacity_offered_vcores", Help: "Vcores the pool's NodeManagers advertise to YARN after this cycle.",
	}, []string{"pool"})
	offeredMemory = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "elastic_yarn_capacity_offered_memory_bytes", Help: "Memory the pool's NodeManagers advertise to YARN after this cycle.",
	}, []string{"pool"})
	availableVCores = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "elastic_yarn_capacity_available_vcores", Help: "Vcores Koordinator's batch tier offers on the pool's fresh nodes (chosen statistic, before damping).",
	}, []string{"pool"})
	availableMemory = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "elastic_yarn_capacity_available_memory_bytes", Help: "Batch memory Koordinator offers on the pool's fresh nodes (chosen statistic).",
	}, []string{"pool"})
	usedVCores = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "elastic_yarn_capacity_used_vcores", Help: "Vcores YARN containers use on the pool's NodeManagers.",
	}, []string{"pool"})
	usedMemory = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "elastic_yarn_capacity_used_memory_bytes", Help: "Memory YARN containers use on the pool's NodeManagers.",
	}, []string{"pool"})
	staleNodes = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "elastic_yarn_capacity_stale_nodes", Help: "NodeManagers whose Koordinator metrics are stale, missing or malformed.",
	}, []string{"pool"})
	resizesTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "elastic_yarn_capacity_resizes_total", Help: "NodeManager resizes written to the RM, by direction and reason.",
	}, []string{"direction", "reason"})
	shedRequestsTotal = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "elastic_yarn_capacity_shed_requests_total", Help: "Targets sent to guarders that lower the capacity or shed work.",
	})
	promQLQueriesTotal = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "elastic_yarn_capacity_promql_queries_total", Help: "PromQL queries sent.",
	})
	rmWritesTotal = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "elastic_yarn_capacity_rm_writes_total", Help: "Node resource writes sent to the RM.",
	})
	unownedPodsTotal = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "elastic_yarn_capacity_unowned_pods_ignored_total",
		Help: "Pods that carry a pool's label without being controlled by the pool, ignored (each counted once).",
	})
	rmWritesDeferredTotal = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "elastic_yarn_capacity_rm_writes_deferred_total", Help: "RM writes postponed to a later cycle by maxRMWritesPerMinute.",
	})
)

func init() {
	crmetrics.Registry.MustRegister(offeredVCores, offeredMemory, availableVCores, availableMemory, usedVCores, usedMemory,
		staleNodes, resizesTotal, shedRequestsTotal, promQLQueriesTotal, rmWritesTotal, rmWritesDeferredTotal, unownedPodsTotal)
}

func forgetPoolMetrics(pool string) {
	for _, g := range []*prometheus.GaugeVec{offeredVCores, offeredMemory, availableVCores, availableMemory, usedVCores, usedMemory, staleNodes} {
		g.DeleteLabelValues(pool)
	}
}
