package safetynet

import (
	"fmt"
	"io"
	"math"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// koordlet metric families the net reads, with the first koordlet release that publishes
// each (koordinator-sh/koordinator, pkg/koordlet/metrics; releases from `git tag --contains`
// of the commit that added the metric):
const (
	// MetricBESuppressCPU: cpu_suppress.go, since v0.1.0 (789a9bbf).
	MetricBESuppressCPU = "koordlet_be_suppress_cpu_cores"
	// MetricContainerRequests: resource_summary.go, since v1.2.0 (a17a9cd2, #913). The
	// batch-cpu series (unit "integer", milli-cores) of every container with such a request;
	// their sum on the node is the BE request koordlet's satisfaction divides by
	// (be_resource_collector.go getBECPURequestMilliCores sums the BE pods' batch-cpu).
	MetricContainerRequests = "koordlet_container_resource_requests"
	// MetricBEUsedCPU: cpu_suppress.go, since v1.6.0 (053d6366, #2283).
	MetricBEUsedCPU = "koordlet_be_suppress_be_used_cpu_cores"
	// MetricNodeUsedMemory: common.go, since v1.6.0 (053d6366, #2283).
	MetricNodeUsedMemory = "koordlet_node_used_memory_bytes"
)

// batchCPU is Koordinator's batch CPU resource (milli-cores as an integer).
const batchCPU = "kubernetes.io/batch-cpu"

// Observation is what the net reads from koordlet. Each Has* is false when koordlet does not
// publish the family (an older release) or has no series for the node.
type Observation struct {
	// BESuppressCPUCores is koordlet_be_suppress_cpu_cores: the CPU the BE tier may use now.
	BESuppressCPUCores float64
	HasBESuppress      bool
	// BERequestMilliCPU is the sum of the node's batch-cpu container requests.
	BERequestMilliCPU float64
	HasBERequest      bool
	// BEUsedCPUCores is koordlet_be_suppress_be_used_cpu_cores; without it the caller
	// substitutes YARN's own allocation.
	BEUsedCPUCores float64
	HasBEUsed      bool
	// NodeUsedMemoryBytes is koordlet_node_used_memory_bytes.
	NodeUsedMemoryBytes float64
	HasNodeUsedMemory   bool
}

// Parse reads Prometheus text exposition from koordlet. node, if not empty, selects the
// series whose "node" label matches. Malformed input is an error; missing families are not
// (the rules that need them say so, see Rules).
func Parse(r io.Reader, node string) (Observation, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(r)
	if err != nil {
		return Observation{}, fmt.Errorf("parse koordlet metrics: %w", err)
	}
	var obs Observation
	all := func(*dto.Metric) bool { return true }
	// With both cpuset and cfsQuota series present, the smaller limit is the binding one.
	obs.BESuppressCPUCores, obs.HasBESuppress = pick(families[MetricBESuppressCPU], node, all, math.Min)
	obs.NodeUsedMemoryBytes, obs.HasNodeUsedMemory = pick(families[MetricNodeUsedMemory], node, all, math.Max)
	obs.BEUsedCPUCores, obs.HasBEUsed = pick(families[MetricBEUsedCPU], node, all, math.Max)
	batch := func(m *dto.Metric) bool { return label(m, "resource") == batchCPU }
	obs.BERequestMilliCPU, obs.HasBERequest = pick(families[MetricContainerRequests], node, batch, func(a, b float64) float64 { return a + b })
	return obs, nil
}

func pick(mf *dto.MetricFamily, node string, keep func(*dto.Metric) bool, combine func(a, b float64) float64) (float64, bool) {
	if mf == nil {
		return 0, false
	}
	var v float64
	found := false
	for _, m := range mf.GetMetric() {
		if (node != "" && label(m, "node") != node) || !keep(m) {
			continue
		}
		var x float64
		switch {
		case m.GetGauge() != nil:
			x = m.GetGauge().GetValue()
		case m.GetUntyped() != nil:
			x = m.GetUntyped().GetValue()
		default:
			continue
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			continue
		}
		if !found {
			v, found = x, true
		} else {
			v = combine(v, x)
		}
	}
	return v, found
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}
