package guarderclient

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

var (
	requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "elastic_yarn_guarderclient_requests_total",
		Help: "Targets sent to guarders, by HTTP status code (or \"error\" when no answer came).",
	}, []string{"code"})
	versionRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "elastic_yarn_guarderclient_version_requests_total",
		Help: "GET /version calls to guarders, by HTTP status code (or \"error\" when no answer came).",
	}, []string{"code"})
	duration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "elastic_yarn_guarderclient_request_duration_seconds",
		Help:    "Time for a guarder to answer a target.",
		Buckets: prometheus.ExponentialBuckets(0.005, 2, 12),
	})
)

func init() { metrics.Registry.MustRegister(requests, versionRequests, duration) }

func observe(code string, start time.Time) {
	requests.WithLabelValues(code).Inc()
	duration.Observe(time.Since(start).Seconds())
}

func observeVersion(code string, start time.Time) {
	versionRequests.WithLabelValues(code).Inc()
	duration.Observe(time.Since(start).Seconds())
}
