package demo

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// exporter is a koordlet stand-in: it replays the LoadModel for every fake node as the koordlet
// series the operator reads, refreshed every second (koordlet's suppression loop period).
type exporter struct {
	model     LoadModel
	nodes     int
	batchUsed func(node string) float64 // YARN cores in use on a node (the RM emulator)
	ledger    *ledger                   // koord-manager's subtraction of third-party allocations
	start     time.Time

	suppress, alloc, used *prometheus.GaugeVec
	server                *http.Server
	addr                  string
}

func newExporter(model LoadModel, nodes int, batchUsed func(string) float64, l *ledger) *exporter {
	e := &exporter{model: model, nodes: nodes, batchUsed: batchUsed, ledger: l,
		suppress: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "koordlet_be_suppress_cpu_cores",
			Help: "CPU the BE (batch) tier may use now, in cores (demo replay)."}, []string{"node", "type"}),
		alloc: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "koordlet_node_resource_allocatable",
			Help: "Node batch allocatable: batch-cpu in milli-cores, batch-memory in bytes (demo replay)."}, []string{"node", "resource", "unit"}),
		used: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "koordlet_node_used_cpu_cores",
			Help: "Node CPU usage in cores (demo replay)."}, []string{"node"}),
	}
	return e
}

// start listens on a free loopback port and refreshes the gauges every second until ctx ends.
func (e *exporter) run(ctx context.Context) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(e.suppress, e.alloc, e.used)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	e.addr = l.Addr().String()
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	e.server = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = e.server.Serve(l) }()
	e.start = time.Now()
	e.refresh()
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				_ = e.server.Shutdown(sctx)
				cancel()
				return
			case <-t.C:
				e.refresh()
			}
		}
	}()
	return nil
}

func (e *exporter) refresh() {
	elapsed := time.Since(e.start)
	for i := 0; i < e.nodes; i++ {
		name := NodeName(i)
		var yarn float64
		if e.batchUsed != nil {
			yarn = e.batchUsed(name)
		}
		k := KoordletFor(e.model.Online(i, elapsed), nodeCores, nodeMemoryGiB<<30, yarn)
		e.suppress.WithLabelValues(name, "cpuset").Set(k.BESuppressCores)
		cpuMilli, memoryBytes := e.ledger.publish(name, k.BatchCPUMilli, k.BatchMemoryBytes)
		e.alloc.WithLabelValues(name, batchCPU, "integer").Set(cpuMilli)
		e.alloc.WithLabelValues(name, batchMemory, "byte").Set(memoryBytes)
		e.used.WithLabelValues(name).Set(k.UsedCores)
	}
}

// Hour is the simulated hour of day now.
func (e *exporter) Hour() float64 { return e.model.Hour(time.Since(e.start)) }
