package scale

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
)

// The koordlet of the run is the shared Koordinator model (test/peers/koordinator) on a
// constant online load per node, so the expected capacity of each NodeManager is known
// without the operator. Node i's online load is chosen so that suppress(BE) is OfferedCores(i).
const (
	reserveVCores = 1 // the pool's capacity.dynamic.reserve
	mbPerVCore    = 4096
	// onlineMemoryMB leaves 128 GiB * 65 % - 8 GiB system - 10 GiB = 65.2 GiB of batch
	// memory: above the 16 * 4096 MB the largest offer implies.
	onlineMemoryMB = 10 * 1024
)

// OfferedCores is what koordlet says the batch tier may use on node i: 8 to 16 cores.
func OfferedCores(i int) int64 { return 8 + int64(i%9) }

// onlineCPUCores is node i's online load: the suppress target capacity * 65 % - online -
// system is then OfferedCores(i) - 0.5, which koordlet's cpuset rounds up to OfferedCores(i)
// (the half core keeps float rounding away from the ceiling).
func onlineCPUCores(cfg koordinator.Config, i int) float64 {
	return nodeCores*cfg.CPUSuppressThresholdPercent/100 - cfg.SystemCPUCores - float64(OfferedCores(i)) + 0.5
}

// koordletView is the model's steady view of node i.
func koordletView(i int) koordinator.Observation {
	cfg := koordinator.DefaultConfig()
	n := koordinator.NewNode(cfg, nodeCores, nodeMemoryGiB*1024, time.Minute)
	return n.Step(0, koordinator.Input{OnlineCPUCores: onlineCPUCores(cfg, i), OnlineMemoryMB: onlineMemoryMB, BEPodPresent: true})
}

// ExpectedVCores and ExpectedMemoryMB are the capacity the pool's settings imply for node i:
// the offer minus the reserve, and mbPerVCore per vcore (VCoreRatio, below batch memory).
func ExpectedVCores(i int) int64   { return OfferedCores(i) - reserveVCores }
func ExpectedMemoryMB(i int) int64 { return ExpectedVCores(i) * mbPerVCore }

// serveKoordlet exports the koordlet series the operator reads for n nodes on a loopback
// port until ctx ends, and returns its host:port.
func serveKoordlet(ctx context.Context, n int) (string, error) {
	suppress := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: promquery.MetricBESuppressCPU, Help: "BE CPU cores (scale run)."}, []string{"node", "type"})
	alloc := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: promquery.MetricNodeAllocatable, Help: "Batch allocatable (scale run)."}, []string{"node", "resource", "unit"})
	used := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: promquery.MetricNodeUsedCPU, Help: "Node CPU usage (scale run)."}, []string{"node"})
	for i := 0; i < n; i++ {
		name := NodeName(i)
		o := koordletView(i)
		if o.SuppressCores != float64(OfferedCores(i)) || o.BatchMemoryMB < float64(ExpectedMemoryMB(i)) {
			return "", fmt.Errorf("koordlet model for node %d gives suppress %g cores and %g MB of batch memory; the run expects %d cores and at least %d MB",
				i, o.SuppressCores, o.BatchMemoryMB, OfferedCores(i), ExpectedMemoryMB(i))
		}
		suppress.WithLabelValues(name, "cpuset").Set(o.SuppressCores)
		alloc.WithLabelValues(name, koordledger.ResourceBatchCPU, "integer").Set(math.Round(o.BatchCPUCores * 1000))
		alloc.WithLabelValues(name, koordledger.ResourceBatchMemory, "byte").Set(o.BatchMemoryMB * (1 << 20))
		used.WithLabelValues(name).Set(o.NodeUsedCores)
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
