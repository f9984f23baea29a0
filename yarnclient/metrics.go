package yarnclient

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are per logical operation (ListNodes, UpdateNodeResource, ...); never per URL or node.
type metrics struct {
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	failovers prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "elastic_yarn_rmclient_requests_total",
			Help: "HTTP exchanges with the ResourceManager by logical operation and status code (or transport error class).",
		}, []string{"operation", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "elastic_yarn_rmclient_request_duration_seconds",
			Help:    "Duration of logical ResourceManager operations, retries and failovers included.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10),
		}, []string{"operation"}),
		failovers: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "elastic_yarn_rmclient_failovers_total",
			Help: "Times the client moved away from a ResourceManager (standby, unreachable).",
		}),
	}
	if reg != nil {
		m.requests = register(reg, m.requests)
		m.duration = register(reg, m.duration)
		m.failovers = register(reg, m.failovers)
	}
	return m
}

// register shares the collector already registered by another client on the same registry.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}
