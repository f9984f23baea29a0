package worker

import "github.com/elasticyarn/elastic-yarn-operator/guarder/metrics"

// MetricCounters adapts metrics.Metrics to signaller.Counters.
type MetricCounters struct{ M *metrics.Metrics }

func (c MetricCounters) GracefulSignal()  { c.M.GracefulSignals.Inc() }
func (c MetricCounters) TerminateSignal() { c.M.TerminateSignals.Inc() }
func (c MetricCounters) ForceKill()       { c.M.ForceKills.Inc() }
