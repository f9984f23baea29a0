package scale

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/metrics"
)

// Constant koordlet values of the run. Every node offers a different, constant amount of
// batch CPU, so the expected capacity of each NodeManager is known without the operator.
const (
	batchMemoryBytes = 96 << 30
	usedCPUCores     = 6 // well under nodeSafety's 90 % of nodeCores
	reserveVCores    = 1 // the pool's capacity.dynamic.reserve
	mbPerVCore       = 4096
)

// OfferedCores is what koordlet says the batch tier may use on node i: 8 to 16 cores.
func OfferedCores(i int) int64 { return 8 + int64(i%9) }

// ExpectedVCores and ExpectedMemoryMB are the capacity the pool's settings imply for node i:
// the offer minus the reserve, and mbPerVCore per vcore (VCoreRatio, below batch memory).
func ExpectedVCores(i int) int64   { return OfferedCores(i) - reserveVCores }
func ExpectedMemoryMB(i int) int64 { return ExpectedVCores(i) * mbPerVCore }

// serveKoordlet exports the koordlet series the operator reads for n nodes on a loopback
// port until ctx ends, and returns its host:port.
func serveKoordlet(ctx context.Context, n int) (string, error) {
	suppress := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: metrics.MetricBESuppressCPU, Help: "BE CPU cores (scale run)."}, []string{"node", "type"})
	alloc := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: metrics.MetricNodeAllocatable, Help: "Batch allocatable (scale run)."}, []string{"node", "resource", "unit"})
	used := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: metrics.MetricNodeUsedCPU, Help: "Node CPU usage (scale run)."}, []string{"node"})
	for i := 0; i < n; i++ {
		name := NodeName(i)
		suppress.WithLabelValues(name, "cpuset").Set(float64(OfferedCores(i)))
		alloc.WithLabelValues(name, metrics.ResourceBatchCPU, "integer").Set(float64(OfferedCores(i) * 1000))
		alloc.WithLabelValues(name, metrics.ResourceBatchMemory, "byte").Set(batchMemoryBytes)
		used.WithLabelValues(name).Set(usedCPUCores)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(suppress, alloc, used)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	return l.Addr().String(), nil
}
