package demo

import (
	"context"
	"math"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

// exporter is a koordlet stand-in: it replays the LoadModel for every fake node as the koordlet
// series the operator reads, refreshed every second (koordlet's suppression loop period).
type exporter struct {
	model     LoadModel
	koord     []*koordinator.Node // one Koordinator model per node, in simulated time
	nodes     int
	batchUsed func(node string) float64 // YARN cores in use on a node (the RM emulator)
	ledger    *ledger                   // koord-manager's subtraction of third-party allocations
	start     time.Time

	suppress, alloc, used *prometheus.GaugeVec
	server                *http.Server
	addr                  string
}

func newExporter(model LoadModel, nodes int, batchUsed func(string) float64, l *ledger) *exporter {
	e := &exporter{model: model, nodes: nodes, batchUsed: batchUsed, ledger: l, koord: make([]*koordinator.Node, nodes),
		suppress: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "koordlet_be_suppress_cpu_cores",
			Help: "CPU the BE (batch) tier may use now, in cores (demo replay)."}, []string{"node", "type"}),
		alloc: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "koordlet_node_resource_allocatable",
			Help: "Node batch allocatable: batch-cpu in milli-cores, batch-memory in bytes (demo replay)."}, []string{"node", "resource", "unit"}),
		used: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "koordlet_node_used_cpu_cores",
			Help: "Node CPU usage in cores (demo replay)."}, []string{"node"}),
	}
	// The model runs in the load's simulated time (its 300 s averages and 60 s reports are
	// simulated seconds): one refresh is refreshPeriod * compression of simulated time.
	step := refreshPeriod * Compression
	for i := range e.koord {
		e.koord[i] = koordinator.NewNode(koordinator.DefaultConfig(), nodeCores, nodeMemoryGiB*1024, step)
	}
	return e
}

// refreshPeriod is how often the exporter steps the model (koordlet's 1 s loops).
const refreshPeriod = time.Second

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
		t := time.NewTicker(refreshPeriod)
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
	now := e.model.SimulatedTime(elapsed)
	for i := 0; i < e.nodes; i++ {
		name := NodeName(i)
		var yarn float64
		if e.batchUsed != nil {
			yarn = e.batchUsed(name)
		}
		o := e.koord[i].Step(now, KoordletInput(e.model, i, elapsed, yarn, e.ledger.share(name)))
		e.suppress.WithLabelValues(name, "cpuset").Set(o.SuppressCores)
		e.alloc.WithLabelValues(name, string(testkit.BatchCPU), "integer").Set(o.BatchCPUCores * 1000)
		e.alloc.WithLabelValues(name, string(testkit.BatchMemory), "byte").Set(o.BatchMemoryMB * (1 << 20))
		e.used.WithLabelValues(name).Set(math.Min(o.NodeUsedCores, nodeCores))
	}
}

// Hour is the simulated hour of day now.
func (e *exporter) Hour() float64 { return e.model.Hour(time.Since(e.start)) }
