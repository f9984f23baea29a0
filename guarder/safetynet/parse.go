package safetynet

import (
	"errors"
	"fmt"
	"io"
	"math"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Observation is what the net reads from koordlet.
type Observation struct {
	// BESuppressCPUCores is koordlet_be_suppress_cpu_cores: the CPU the BE tier may use now.
	BESuppressCPUCores float64
	// BEUsedCPUCores is koordlet_be_suppress_be_used_cpu_cores (koordlet >= 1.6); HasBEUsed
	// is false on older koordlets, and the caller then substitutes YARN's own CPU use.
	BEUsedCPUCores float64
	HasBEUsed      bool
	// NodeUsedMemoryBytes is koordlet_node_used_memory_bytes.
	NodeUsedMemoryBytes float64
}

// ErrMissingMetric means a required family was absent: the net then takes no action.
var ErrMissingMetric = errors.New("required koordlet metric missing")

// Parse reads Prometheus text exposition from koordlet. node, if not empty, selects the
// series whose "node" label matches. Malformed input yields an error and no observation.
func Parse(r io.Reader, node string) (Observation, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(r)
	if err != nil {
		return Observation{}, fmt.Errorf("parse koordlet metrics: %w", err)
	}
	var obs Observation
	var ok bool
	// With both cpuset and cfsQuota series present, the smaller limit is the binding one.
	if obs.BESuppressCPUCores, ok = pick(families["koordlet_be_suppress_cpu_cores"], node, math.Min); !ok {
		return Observation{}, fmt.Errorf("%w: koordlet_be_suppress_cpu_cores", ErrMissingMetric)
	}
	if obs.NodeUsedMemoryBytes, ok = pick(families["koordlet_node_used_memory_bytes"], node, math.Max); !ok {
		return Observation{}, fmt.Errorf("%w: koordlet_node_used_memory_bytes", ErrMissingMetric)
	}
	obs.BEUsedCPUCores, obs.HasBEUsed = pick(families["koordlet_be_suppress_be_used_cpu_cores"], node, math.Max)
	return obs, nil
}

func pick(mf *dto.MetricFamily, node string, combine func(a, b float64) float64) (float64, bool) {
	if mf == nil {
		return 0, false
	}
	var v float64
	found := false
	for _, m := range mf.GetMetric() {
		if node != "" && label(m, "node") != node {
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
