package capacity

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	promtest "github.com/elasticyarn/elastic-yarn-operator/test/prometheus"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// countingTransport counts PromQL queries that reach Prometheus.
type countingTransport struct{ queries atomic.Int64 }

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/api/v1/query") {
		c.queries.Add(1)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// countingRM is an in-memory RM that applies resizes at once and counts calls.
type countingRM struct {
	mu            sync.Mutex
	nodes         map[string]yarnclient.Node
	lists, writes atomic.Int64
	log           *callLog // optional
}

func (c *countingRM) ListNodes(context.Context, ...yarnclient.NodeState) ([]yarnclient.Node, error) {
	c.lists.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]yarnclient.Node, 0, len(c.nodes))
	for _, n := range c.nodes {
		out = append(out, n)
	}
	return out, nil
}

func (c *countingRM) UpdateNodeResource(_ context.Context, id string, r yarnclient.Resource) (yarnclient.Node, error) {
	c.writes.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.nodes[id]
	n.TotalResource = &yarnclient.Resource{VCores: r.VCores, MemoryMB: r.MemoryMB}
	c.nodes[id] = n
	if c.log != nil {
		c.log.add("rm %s %d/%d", id, r.VCores, r.MemoryMB)
	}
	return n, nil
}

const scaleNodes = 1000

// TestQueriesAndWritesPerCycleFor1000Nodes counts (never times) what one cycle costs for a
// 1,000-node pool against a real Prometheus: PromQL queries, RM calls and Node patches.
func TestQueriesAndWritesPerCycleFor1000Nodes(t *testing.T) {
	ctx := context.Background()
	var series []promtest.Series
	for i := 0; i < scaleNodes; i++ {
		series = append(series, koordletSeries(scaleNodeName(i), func(time.Time) float64 { return 20 })...)
	}
	prom := promtest.Start(t, series)
	transport := &countingTransport{}
	src, err := promquery.New(prom.URL, transport)
	if err != nil {
		t.Fatal(err)
	}

	ns := createNamespace(t, ctx)
	rm := &countingRM{nodes: map[string]yarnclient.Node{}}
	for i := 0; i < scaleNodes; i++ {
		id := scaleNodeName(i) + ".example.com:8041"
		rm.nodes[id] = yarnclient.Node{ID: id, State: yarnclient.NodeRunning, TotalResource: &yarnclient.Resource{VCores: 32, MemoryMB: 131072}}
	}
	createScaleObjects(t, ctx, ns)
	enm := createResidentPool(t, ctx, ns, "scale", prom.URL, func(dc *v1alpha1.DynamicCapacity) { dc.MaxRMWritesPerMinute = 6000 })

	var nodePatches atomic.Int64
	counting, err := client.NewWithWatch(env.Config, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	c := interceptor.NewClient(counting, interceptor.Funcs{
		Patch: func(ctx context.Context, cl client.WithWatch, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
			// The ledger is patched through the Node's metadata (PartialObjectMetadata).
			if gvk, err := apiutil.GVKForObject(obj, cl.Scheme()); err == nil && gvk.Kind == "Node" {
				nodePatches.Add(1)
			}
			return cl.Patch(ctx, obj, patch, opts...)
		},
	})
	clk := clocktesting.NewFakePassiveClock(t0)
	r := &Reconciler{Client: c, RMs: fixedRMs{rm}, Shedder: recordingShedder{&callLog{}},
		MetricsFor: func(string) (MetricsSource, error) { return src, nil }, Clock: clk}

	type figures struct{ queries, rmLists, rmWrites, nodePatches int64 }
	runCycle := func(at time.Duration) figures {
		t.Helper()
		q0, l0, w0, p0 := transport.queries.Load(), rm.lists.Load(), rm.writes.Load(), nodePatches.Load()
		clk.SetTime(t0.Add(at))
		if _, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: client.ObjectKeyFromObject(enm)}); err != nil {
			t.Fatal(err)
		}
		return figures{transport.queries.Load() - q0, rm.lists.Load() - l0, rm.writes.Load() - w0, nodePatches.Load() - p0}
	}

	first := runCycle(0)            // every NM shrinks from 32 to 20 vcores
	steady := runCycle(time.Minute) // nothing changed
	t.Logf("1,000 nodes, first cycle: %d PromQL queries, %d RM node listings, %d RM writes, %d Node patches", first.queries, first.rmLists, first.rmWrites, first.nodePatches)
	t.Logf("1,000 nodes, steady cycle: %d PromQL queries, %d RM node listings, %d RM writes, %d Node patches", steady.queries, steady.rmLists, steady.rmWrites, steady.nodePatches)
	if want := (figures{7, 1, scaleNodes, scaleNodes}); first != want {
		t.Errorf("first cycle %+v, want %+v", first, want)
	}
	if want := (figures{7, 1, 0, 0}); steady != want {
		t.Errorf("steady cycle %+v, want %+v", steady, want)
	}
}

func scaleNodeName(i int) string { return fmt.Sprintf("scale-%04d", i) }

// createScaleObjects creates the Nodes and NM pods in parallel (the apiserver is local).
func createScaleObjects(t *testing.T, ctx context.Context, ns string) {
	t.Helper()
	t.Cleanup(func() {
		_ = env.Client.DeleteAllOf(context.Background(), &corev1.Node{}, client.MatchingLabels{"capacity-test": "scale"})
	})
	pool := testkit.Pool(testkit.PoolOptions{Namespace: ns, Name: "scale"}) // created later, adopting the pods
	errs := make(chan error, scaleNodes)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := 0; i < scaleNodes; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			name := scaleNodeName(i)
			want := testkit.Node(testkit.NodeOptions{Name: name, Labels: map[string]string{"capacity-test": "scale"}, CPUCores: 64})
			node := want.DeepCopy()
			if err := env.Client.Create(ctx, node); err != nil {
				errs <- err
				return
			}
			node.Status = want.Status
			if err := env.Client.Status().Update(ctx, node); err != nil {
				errs <- err
				return
			}
			pod := testkit.NodeManagerPod(testkit.NodeManagerPodOptions{Pool: pool, Node: name,
				YARNNodeID: name + ".example.com:8041", Name: "nm-" + name})
			if err := env.Client.Create(ctx, pod); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// SetNodeResource applies at once too: the next listing shows the write.
func (c *countingRM) SetNodeResource(ctx context.Context, id string, r yarnclient.Resource) (yarnclient.Resource, error) {
	if _, err := c.UpdateNodeResource(ctx, id, r); err != nil {
		return yarnclient.Resource{}, err
	}
	return r, nil
}

func (c *countingRM) ListApps(context.Context, ...string) ([]yarnclient.App, error) {
	return []yarnclient.App{{ID: "application_1700000000000_0001", Priority: 5}, {ID: "application_1700000000000_0002", Priority: 1}}, nil
}
