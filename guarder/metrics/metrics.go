// Package metrics defines the guarder's Prometheus metrics on a private registry. No label
// carries a container id, pid or node name (cardinality would grow with every container).
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the guarder's collectors.
type Metrics struct {
	Registry         *prometheus.Registry
	GracefulSignals  prometheus.Counter
	TerminateSignals prometheus.Counter
	ForceKills       prometheus.Counter
	Containers       *prometheus.GaugeVec
	// UnreachableContainers counts containers seen in /proc whose processes cannot be
	// signalled from the NM pod, by reason (discovery.UnreachableReason).
	UnreachableContainers *prometheus.GaugeVec
	// KoordletRequests counts Koordinator's container-eviction requests by outcome
	// (served, invalid, failed).
	KoordletRequests *prometheus.CounterVec
	// SafetyNetRuleActive is 1 for each safety-net rule that can act, 0 for one that cannot
	// (switched off by the NodeSLO thresholds, or a koordlet metric it needs is missing).
	SafetyNetRuleActive *prometheus.GaugeVec
	// SafetyNetMissingMetric is 1 for each koordlet metric a safety-net rule needs but the
	// koordlet does not publish.
	SafetyNetMissingMetric *prometheus.GaugeVec
	TargetVCores           prometheus.Gauge
	TargetMemory           prometheus.Gauge
	DecisionDuration       prometheus.Histogram
	ScanErrors             prometheus.Counter
}

// New registers every collector on a fresh registry (plus Go and process collectors).
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		GracefulSignals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "elastic_yarn_guarder_graceful_signals_total",
			Help: "SIGPWR signals sent to JVMs with a decommission handler.",
		}),
		TerminateSignals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "elastic_yarn_guarder_terminate_signals_total",
			Help: "SIGTERM signals sent to container process groups (no SIGPWR handler).",
		}),
		ForceKills: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "elastic_yarn_guarder_force_kills_total",
			Help: "Containers force-killed (SIGKILL) after their grace period.",
		}),
		Containers: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "elastic_yarn_guarder_containers",
			Help: "YARN containers on this NodeManager by guarder state.",
		}, []string{"state"}),
		UnreachableContainers: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "elastic_yarn_guarder_unreachable_containers",
			Help: "YARN containers seen whose processes cannot be signalled from this PID namespace, by reason (dockerRuntime, notLaunched).",
		}, []string{"reason"}),
		KoordletRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "elastic_yarn_guarder_koordlet_requests_total",
			Help: "Container-eviction requests from koordlet (POST /v1/killContainersByResource), by outcome: served, invalid, failed.",
		}, []string{"outcome"}),
		SafetyNetRuleActive: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "elastic_yarn_guarder_safety_net_rule_active",
			Help: "1 when the safety-net rule (cpuSatisfaction, memory) can act, 0 when it cannot.",
		}, []string{"rule"}),
		SafetyNetMissingMetric: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "elastic_yarn_guarder_safety_net_missing_koordlet_metric",
			Help: "1 for each koordlet metric a safety-net rule needs that koordlet does not publish (older koordlet).",
		}, []string{"rule", "metric"}),
		TargetVCores: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "elastic_yarn_guarder_target_vcores",
			Help: "Current target vcores (-1 when no target is set).",
		}),
		TargetMemory: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "elastic_yarn_guarder_target_memory_bytes",
			Help: "Current target memory in bytes (-1 when no target is set).",
		}),
		DecisionDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "elastic_yarn_guarder_decision_duration_seconds",
			Help:    "Time of one scan-decide-act cycle.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
		ScanErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "elastic_yarn_guarder_scan_errors_total",
			Help: "Cycles that could not read /proc or the NodeManager.",
		}),
	}
	m.TargetVCores.Set(-1)
	m.TargetMemory.Set(-1)
	m.Registry.MustRegister(m.GracefulSignals, m.TerminateSignals, m.ForceKills, m.Containers, m.UnreachableContainers, m.KoordletRequests, m.SafetyNetRuleActive, m.SafetyNetMissingMetric,
		m.TargetVCores, m.TargetMemory, m.DecisionDuration, m.ScanErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveDecision records the duration of one cycle.
func (m *Metrics) ObserveDecision(d time.Duration) { m.DecisionDuration.Observe(d.Seconds()) }

// KoordletRequest counts one koordlet request (koordlet.Counter).
func (m *Metrics) KoordletRequest(outcome string) { m.KoordletRequests.WithLabelValues(outcome).Inc() }

// SafetyNetRule publishes one rule's status (safetynet.RuleReporter).
func (m *Metrics) SafetyNetRule(rule string, active bool, missing []string) {
	v := 0.0
	if active {
		v = 1
	}
	m.SafetyNetRuleActive.WithLabelValues(rule).Set(v)
	// Reset this rule's series so a metric that appears again drops to nothing.
	m.SafetyNetMissingMetric.DeletePartialMatch(prometheus.Labels{"rule": rule})
	for _, name := range missing {
		m.SafetyNetMissingMetric.WithLabelValues(rule, name).Set(1)
	}
}
