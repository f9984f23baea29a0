package promquery

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/model"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
)

// koordlet metric names and label values (koordinator pkg/koordlet/metrics, apis/extension).
const (
	MetricBESuppressCPU     = "koordlet_be_suppress_cpu_cores"
	MetricNodeAllocatable   = "koordlet_node_resource_allocatable"
	MetricNodeUsedCPU       = "koordlet_node_used_cpu_cores"
	milliCoresPerCore       = 1000.0
	freshnessSubqueryStep   = 15 * time.Second
	defaultSafetyRecentSpan = 2 * time.Minute
	// RecentWindow is the short view of batch CPU behind the CPU-eviction guard: two minutes
	// hold at least two samples at the usual 30-60 s scrape interval.
	RecentWindow = 2 * time.Minute
)

// nodeMatcher is `node=~"^(?:a|b)$"`-equivalent: Prometheus anchors regexps itself, names
// are escaped (dots in node names) and the whole value is a quoted PromQL string.
func nodeMatcher(nodes []string) string {
	quoted := make([]string, len(nodes))
	for i, n := range nodes {
		quoted[i] = regexp.QuoteMeta(n)
	}
	return "node=~" + strconv.Quote(strings.Join(quoted, "|"))
}

// cpuSelector selects batch CPU series and says how to turn a value into cores.
func cpuSelector(metric v1alpha1.BatchCPUMetric, nodes string) (selector string, aggregate string, scale float64) {
	if metric == v1alpha1.BatchAllocatable {
		return fmt.Sprintf(`%s{resource=%q,%s}`, MetricNodeAllocatable, koordledger.ResourceBatchCPU, nodes), "max", 1 / milliCoresPerCore
	}
	// min across `type` (cpuset, cfsQuota): see the package comment.
	return fmt.Sprintf(`%s{%s}`, MetricBESuppressCPU, nodes), "min", 1
}

func memorySelector(nodes string) string {
	return fmt.Sprintf(`%s{resource=%q,%s}`, MetricNodeAllocatable, koordledger.ResourceBatchMemory, nodes)
}

func usedCPUSelector(nodes string) string {
	return fmt.Sprintf(`%s{%s}`, MetricNodeUsedCPU, nodes)
}

// statistic names a window function; Quantile carries its q.
type statistic struct {
	name string
	q    float64
}

var (
	statMean   = statistic{name: "mean"}
	statMin    = statistic{name: "min"}
	statMax    = statistic{name: "max"}
	statStdDev = statistic{name: "stddev"}
)

func statQuantile(percent int) statistic {
	return statistic{name: "quantile", q: float64(percent) / 100}
}

func fromAPIStatistic(s v1alpha1.Statistic, quantilePercent int) statistic {
	switch s {
	case v1alpha1.StatisticMin:
		return statMin
	case v1alpha1.StatisticMax:
		return statMax
	case v1alpha1.StatisticQuantile:
		return statQuantile(quantilePercent)
	default:
		return statMean
	}
}

// windowQuery is `<aggregate> by (node) (<fn>_over_time(<selector>[<window>]))`.
func windowQuery(st statistic, aggregate, selector string, window time.Duration) string {
	rng := selector + "[" + model.Duration(window).String() + "]"
	var inner string
	switch st.name {
	case "mean":
		inner = "avg_over_time(" + rng + ")"
	case "min":
		inner = "min_over_time(" + rng + ")"
	case "max":
		inner = "max_over_time(" + rng + ")"
	case "stddev":
		inner = "stddev_over_time(" + rng + ")"
	case "quantile":
		inner = "quantile_over_time(" + strconv.FormatFloat(st.q, 'g', -1, 64) + ", " + rng + ")"
	}
	return aggregate + " by (node) (" + inner + ")"
}

// freshnessQuery gives, per node, the timestamp of its newest sample. timestamp() of a plain
// selector is exact but only sees the last 5 minutes (the lookback delta); the subquery
// finds older samples up to lookback, so a long outage still has an age.
func freshnessQuery(selector string, lookback time.Duration) string {
	return fmt.Sprintf("max by (node) (timestamp(%s)) or max by (node) (max_over_time(timestamp(%s)[%s:%s]))",
		selector, selector, model.Duration(lookback), model.Duration(freshnessSubqueryStep))
}
