package demo

import (
	"context"
	"time"

	promapi "github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/guarderstandin"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// PoolStats is one pool at one moment.
type PoolStats struct {
	Pool, Mode string
	// Up are Running NodeManager pods not draining; Draining are draining or terminating.
	Up, Draining int
	// Offered and Used are the pool's RM node totals and allocations (vcores); Available is
	// what koordlet says the batch tier may use on the pool's eligible nodes (cores, from
	// Prometheus).
	Offered, Used int64
	Available     float64
	// Resizes counts RM capacity changes of the pool's non-draining NodeManagers so far.
	Resizes int
	Sheds   guarderstandin.ShedCounts
}

// Sample is every pool at one moment.
type Sample struct {
	Elapsed    time.Duration
	Hour       float64 // simulated hour of day
	Containers int     // running YARN containers
	AppsActive int     // running or accepted applications
	Pools      []PoolStats
}

// collector builds samples from the API server, the RM emulator and Prometheus.
type collector struct {
	c       client.Client
	rm      *rmemulator.Emulator
	prom    promv1.API
	watcher *nodeManagers
	model   LoadModel
	nodes   int
	start   time.Time

	lastTotal map[string]int64 // RM node id -> last seen total vcores (RUNNING, not draining)
	resizes   map[string]int
}

func newCollector(c client.Client, rm *rmemulator.Emulator, promURL string, w *nodeManagers, model LoadModel, nodes int, start time.Time) (*collector, error) {
	pc, err := promapi.NewClient(promapi.Config{Address: promURL})
	if err != nil {
		return nil, err
	}
	return &collector{c: c, rm: rm, prom: promv1.NewAPI(pc), watcher: w, model: model, nodes: nodes, start: start,
		lastTotal: map[string]int64{}, resizes: map[string]int{}}, nil
}

// pools in table order.
var pools = []struct{ name, mode string }{{ResidentPool, "Resident"}, {NightPool, "Scheduled"}}

// poolOfNode is the pool whose placement matches fake node i.
func poolOfNode(i, n int) string {
	if ResidentNode(i, n) {
		return ResidentPool
	}
	return NightPool
}

// sample takes one sample now.
func (c *collector) sample(ctx context.Context) (Sample, error) {
	elapsed := time.Since(c.start)
	s := Sample{Elapsed: elapsed, Hour: c.model.Hour(elapsed)}
	var pods corev1.PodList
	if err := c.c.List(ctx, &pods, client.InNamespace(Namespace), client.HasLabels{v1alpha1.LabelPool}); err != nil {
		return s, err
	}
	rmNodes := map[string]rmemulator.NodeView{}
	for _, n := range c.rm.Nodes() {
		rmNodes[n.ID] = n
	}
	avail, err := c.available(ctx)
	if err != nil {
		return s, err
	}
	by := map[string]*PoolStats{}
	for _, p := range pools {
		ps := &PoolStats{Pool: p.name, Mode: p.mode, Available: avail[p.name]}
		by[p.name] = ps
	}
	for i := range pods.Items {
		pod := &pods.Items[i]
		ps := by[pod.Labels[v1alpha1.LabelPool]]
		if ps == nil {
			continue
		}
		draining := pod.DeletionTimestamp != nil || pod.Annotations[v1alpha1.AnnotationDrainStarted] != ""
		switch {
		case draining:
			ps.Draining++
		case pod.Status.Phase == corev1.PodRunning:
			ps.Up++
		}
		id := pod.Annotations[v1alpha1.AnnotationYARNNodeID]
		n, ok := rmNodes[id]
		if !ok || !n.State.Active() {
			delete(c.lastTotal, id)
			continue
		}
		ps.Offered += n.Total.VCores
		ps.Used += n.Used.VCores
		if draining || n.State != yarnclient.NodeRunning {
			delete(c.lastTotal, id)
			continue
		}
		if last, seen := c.lastTotal[id]; seen && last != n.Total.VCores {
			c.resizes[ps.Pool]++
		}
		c.lastTotal[id] = n.Total.VCores
	}
	for _, p := range pools {
		ps := by[p.name]
		ps.Resizes = c.resizes[p.name]
		ps.Sheds = c.watcher.Sheds(p.name)
		s.Pools = append(s.Pools, *ps)
	}
	for _, a := range c.rm.Apps() {
		if a.State == "RUNNING" || a.State == "ACCEPTED" {
			s.AppsActive++
		}
		s.Containers += a.RunningContainers
	}
	return s, nil
}

// available sums koordlet's BE suppress cores per pool over its eligible nodes (one query).
func (c *collector) available(ctx context.Context) (map[string]float64, error) {
	qctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	v, _, err := c.prom.Query(qctx, `sum by (node) (koordlet_be_suppress_cpu_cores)`, time.Now())
	if err != nil {
		return nil, err
	}
	byNode := map[string]float64{}
	if vec, ok := v.(model.Vector); ok {
		for _, smp := range vec {
			byNode[string(smp.Metric["node"])] = float64(smp.Value)
		}
	}
	out := map[string]float64{}
	for i := 0; i < c.nodes; i++ {
		out[poolOfNode(i, c.nodes)] += byNode[NodeName(i)]
	}
	return out, nil
}
