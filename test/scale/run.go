package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/test/localcluster"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/guarderstandin"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/nodeagent"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// Config configures one scale run.
type Config struct {
	// RepoRoot holds config/crd/bases, hack/demo/kwok-stages.yaml and hack/scale.
	RepoRoot string
	// Assets is the directory `hack/tools.sh path kube` prints; Kwok, Operator and Prometheus
	// are binaries.
	Assets, Kwok, Operator, Prometheus string
	// Nodes is the number of kwok nodes, StaticIPs and NodeManagers.
	Nodes int
	// Interval is the pool's capacity cycle; zero leaves the API's default (1m).
	Interval time.Duration
	// MaxRMWritesPerMinute is the pool's RM write budget; zero leaves the API's default
	// (v1alpha1.DefaultMaxRMWritesPerMinute).
	MaxRMWritesPerMinute int
	// ResizeDelay is how long the RM emulator takes to apply a resize (default 1s: a real RM
	// applies it at the NodeManager's next heartbeat, every second by default).
	ResizeDelay time.Duration
	// SteadyCycles are the capacity cycles counted after convergence (default 3).
	SteadyCycles int
	// Timeout bounds convergence (default 30m).
	Timeout time.Duration
	// ProfileDir, when set, receives the operator's heap profile (heap-<nodes>.pb.gz, from
	// --profile-address) after the steady cycles.
	ProfileDir string
	// OperatorArgs are extra flags for the operator.
	OperatorArgs []string
	// WorkDir holds state and logs; a new temp dir when empty. Kept when Keep is set or the
	// run failed.
	WorkDir string
	Keep    bool
	// Out receives progress lines.
	Out io.Writer
}

func (c *Config) defaults() {
	if c.ResizeDelay <= 0 {
		c.ResizeDelay = time.Second
	}
	if c.SteadyCycles <= 0 {
		c.SteadyCycles = 3
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Minute
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
}

// Result is what a run measured.
type Result struct {
	Nodes int
	// Interval and MaxRMWritesPerMinute are the pool's, defaults filled in by the API.
	Interval             time.Duration
	MaxRMWritesPerMinute int
	// Setup is the time to start the control plane and create the nodes and StaticIPs.
	Setup time.Duration
	// Registered is from the pool's creation until every NodeManager pod ran and registered;
	// Converged until the RM showed every NodeManager at its expected capacity.
	Registered, Converged time.Duration
	// Cold is what the operator sent from the pool's creation until convergence.
	Cold Counts
	// PerCycle is the steady-state average over SteadyCycles cycles after convergence.
	PerCycle Counts
	// PeakRSS and EndRSS are the operator's VmHWM and VmRSS at the end, in bytes.
	PeakRSS, EndRSS int64
	WorkDir         string
}

// Counts are what the operator sent: cycles, PromQL queries, RM node-resource writes and
// listings, apiserver requests and guarder targets.
type Counts struct {
	Cycles, PromQueries, RMWrites, RMLists, APIRequests, GuarderCalls float64
	// PromQuerySeconds is the mean time Prometheus took per query; CycleSeconds the mean
	// duration of one capacity cycle (a reconcile of the pool).
	PromQuerySeconds, CycleSeconds float64
	// Sources are counters.sources divided like the rest.
	Sources map[string]float64
}

func (c counters) counts(div float64) Counts {
	perQuery := 0.0
	if c.promQueries > 0 {
		perQuery = c.promSeconds / c.promQueries
	}
	perCycle := 0.0
	if c.cycles > 0 {
		perCycle = c.cycleSeconds / c.cycles
	}
	out := Counts{Cycles: c.cycles, PromQueries: c.promQueries / div, PromQuerySeconds: perQuery, CycleSeconds: perCycle, RMWrites: float64(c.rmWrites) / div,
		RMLists: float64(c.rmLists) / div, APIRequests: c.apiRequests / div, GuarderCalls: float64(c.guarderCalls) / div,
		Sources: map[string]float64{}}
	for k, v := range c.sources {
		out.Sources[k] = v / div
	}
	return out
}

// Run brings everything up, measures one pool of cfg.Nodes NodeManagers from cold to steady
// state and tears everything down.
func Run(ctx context.Context, cfg Config) (res *Result, err error) {
	cfg.defaults()
	start := time.Now()
	res = &Result{Nodes: cfg.Nodes}
	say := func(format string, args ...any) {
		fmt.Fprintf(cfg.Out, "[%6.1fs] %5d nodes: %s\n", time.Since(start).Seconds(), cfg.Nodes, fmt.Sprintf(format, args...))
	}
	dir := cfg.WorkDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "elastic-yarn-scale-"); err != nil {
			return res, err
		}
	}
	res.WorkDir = dir
	logFile, err := os.Create(filepath.Join(dir, "scale.log"))
	if err != nil {
		return res, err
	}
	log := funcr.New(func(prefix, args string) {
		fmt.Fprintf(logFile, "%s %s %s\n", time.Now().Format(time.RFC3339), prefix, args)
	}, funcr.Options{})
	// The pod cache logs through controller-runtime's global logger.
	ctrllog.SetLogger(log.WithName("cache"))

	var stops []func()
	defer func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
		logFile.Close()
		if err == nil && !cfg.Keep {
			_ = os.RemoveAll(dir)
		} else {
			say("logs and state kept in %s", dir)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	stops = append(stops, cancel)

	e, err := startEnvironment(ctx, cfg, dir, log, &stops)
	if err != nil {
		return res, err
	}
	res.Setup = time.Since(start)
	say("control plane, %d kwok nodes and StaticIPs, RM emulator, Prometheus and the operator up in %s", cfg.Nodes, res.Setup.Round(time.Second))

	created := time.Now()
	if err := e.c.Create(ctx, e.pool); err != nil {
		return res, fmt.Errorf("creating the pool: %w", err)
	}
	res.Interval = e.pool.Spec.Capacity.Dynamic.Interval.Duration
	res.MaxRMWritesPerMinute = int(e.pool.Spec.Capacity.Dynamic.MaxRMWritesPerMinute)
	agent, err := startAgent(ctx, e, log.WithName("agent"), &stops)
	if err != nil {
		return res, err
	}
	cold, err := e.counters.read()
	if err != nil {
		return res, err
	}
	if err := waitConverged(ctx, cfg, e.rm, agent, created, res, say); err != nil {
		return res, err
	}
	converged, err := e.counters.read()
	if err != nil {
		return res, err
	}
	res.Cold = converged.delta(cold).counts(1)
	say("converged in %s (all registered after %s); cold start sent %.0f RM writes, %.0f PromQL queries, %.0f apiserver requests",
		res.Converged.Round(time.Second), res.Registered.Round(time.Second), res.Cold.RMWrites, res.Cold.PromQueries, res.Cold.APIRequests)
	say("cold start, by source: %s", formatSources(res.Cold.Sources))

	steady, err := measureSteady(ctx, cfg, e)
	if err != nil {
		return res, err
	}
	res.PerCycle = steady
	if err := checkConverged(e.rm, agent, cfg.Nodes); err != nil {
		return res, fmt.Errorf("after the steady cycles: %w", err)
	}
	if e.profileURL != "" {
		file := filepath.Join(cfg.ProfileDir, fmt.Sprintf("heap-%d.pb.gz", cfg.Nodes))
		if err := saveProfile(e.profileURL, file); err != nil {
			return res, err
		}
		say("heap profile in %s", file)
	}
	mem, err := readMemory(e.operator.Pid())
	if err != nil {
		return res, err
	}
	res.PeakRSS, res.EndRSS = mem.peak, mem.now
	say("steady: %.1f PromQL queries (%.0f ms each), %.1f RM writes, %.1f RM listings, %.1f apiserver requests per cycle; operator peak RSS %d MiB",
		steady.PromQueries, 1000*steady.PromQuerySeconds, steady.RMWrites, steady.RMLists, steady.APIRequests, res.PeakRSS>>20)
	say("steady, per cycle, by source: %s", formatSources(steady.Sources))
	if e.operator.Exited() {
		return res, fmt.Errorf("operator exited (see %s): %v", e.operator.Log, e.operator.Err())
	}
	return res, nil
}

// environment is everything a run talks to.
type environment struct {
	c        client.Client
	restCfg  *rest.Config
	rm       *rmemulator.Emulator
	guarders *guarderstandin.Server
	pool     *v1alpha1.ElasticNodeManager
	operator *localcluster.Proc
	counters *reader
	// profileURL is the operator's heap profile when the run saves it.
	profileURL string
}

// startEnvironment starts the control plane, creates the nodes and StaticIPs, and starts the
// RM emulator, the koordlet stand-in, Prometheus, the guarder listener and the operator.
func startEnvironment(ctx context.Context, cfg Config, dir string, log logr.Logger, stops *[]func()) (*environment, error) {
	cp, err := localcluster.StartControlPlane(ctx, cfg.Assets, dir)
	if cp != nil {
		*stops = append(*stops, cp.Stop)
	}
	if err != nil {
		return nil, err
	}
	kwok, err := localcluster.StartKwok(cfg.Kwok, filepath.Join(cfg.RepoRoot, "hack", "demo"), dir, cp.Kubeconfig)
	if err != nil {
		return nil, err
	}
	*stops = append(*stops, func() { kwok.Stop(5 * time.Second) })
	c, err := localcluster.NewClient(cp.Kubeconfig)
	if err != nil {
		return nil, err
	}
	restCfg, err := localcluster.RestConfig(cp.Kubeconfig)
	if err != nil {
		return nil, err
	}
	if err := localcluster.PrepareCluster(ctx, c, Namespace); err != nil {
		return nil, err
	}
	if err := localcluster.ApplyCRDs(ctx, filepath.Join(cfg.Assets, "kubectl"), cfg.RepoRoot, cp.Kubeconfig, c); err != nil {
		return nil, err
	}
	if err := createNodesAndIPs(ctx, c, cfg.Nodes); err != nil {
		return nil, err
	}

	rm := rmemulator.New(rmemulator.Config{ResizeDelay: cfg.ResizeDelay})
	if err := rm.Start(); err != nil {
		return nil, err
	}
	*stops = append(*stops, rm.Close)
	koordlet, err := serveKoordlet(ctx, cfg.Nodes)
	if err != nil {
		return nil, err
	}
	prom, promURL, err := localcluster.StartPrometheus(ctx, cfg.Prometheus, filepath.Join(cfg.RepoRoot, "hack", "scale", "prometheus.yml.tmpl"), dir, koordlet)
	if prom != nil {
		*stops = append(*stops, func() { prom.Stop(5 * time.Second) })
	}
	if err != nil {
		return nil, err
	}

	// In a cluster Prometheus has scraped koordlet long before a pool exists; a pool created
	// before the first scrape sees no series and rightly shrinks every NodeManager to the
	// floor first (stale metrics never leave capacity up).
	if err := waitScraped(ctx, promURL, cfg.Nodes); err != nil {
		return nil, err
	}
	e := &environment{c: c, restCfg: restCfg, rm: rm}
	e.pool, err = pool(poolSettings{rmURL: rm.URL(), prometheusURL: promURL, interval: cfg.Interval,
		maxRMWritesPerMinute: cfg.MaxRMWritesPerMinute})
	if err != nil {
		return nil, err
	}
	// One listener serves every pod's guarder (the scale run has no YARN containers, so each
	// stand-in only records its target): what the run measures is the operator's side.
	if e.guarders, err = guarderstandin.Start(ctx, guarderstandin.Options{RM: rm, Reader: c, Dir: dir,
		Log: log.WithName("guarders"), SharedPort: true}); err != nil {
		return nil, err
	}
	e.pool.Spec.Guarder.Port = int32(e.guarders.Port())

	args := cfg.OperatorArgs
	profileURL := ""
	if cfg.ProfileDir != "" {
		port, err := localcluster.FreePort()
		if err != nil {
			return nil, err
		}
		args = append(slices.Clone(args), "--profile-address="+localcluster.Loopback(port))
		profileURL = "http://" + localcluster.Loopback(port) + "/debug/pprof/heap"
	}
	op, opMetrics, err := localcluster.StartOperator(ctx, cfg.Operator, dir, cp.Kubeconfig, args...)
	if op != nil {
		*stops = append(*stops, func() { op.Stop(10 * time.Second) })
	}
	if err != nil {
		return nil, err
	}
	e.operator = op
	e.profileURL = profileURL
	e.counters = &reader{operatorMetrics: opMetrics, prometheusMetrics: promURL + "/metrics", rm: rm, guarders: e.guarders}
	return e, nil
}

// startAgent runs the node agent on an informer of the pool's pods; each registered pod's
// guarder is served by e.guarders.
func startAgent(ctx context.Context, e *environment, log logr.Logger, stops *[]func()) (*nodeagent.Agent, error) {
	selector, err := labels.Parse(v1alpha1.LabelPool + "=" + PoolName)
	if err != nil {
		return nil, err
	}
	agent, stop, err := nodeagent.Start(ctx, nodeagent.Watch{Config: e.restCfg, Scheme: e.c.Scheme(), Namespace: Namespace, Selector: selector},
		nodeagent.Options{RM: e.rm, Guarders: e.guarders, Log: log,
			PoolOf: func(context.Context, *corev1.Pod) (*v1alpha1.ElasticNodeManager, error) { return e.pool, nil }})
	if err != nil {
		return nil, err
	}
	*stops = append(*stops, stop)
	return agent, nil
}

// waitConverged polls until every NodeManager is registered at its expected capacity.
func waitConverged(ctx context.Context, cfg Config, rm *rmemulator.Emulator, agent *nodeagent.Agent, created time.Time,
	res *Result, say func(string, ...any)) error {
	deadline := time.Now().Add(cfg.Timeout)
	lastSay := time.Now()
	for {
		placed, err := agent.Placements()
		if err != nil {
			return err
		}
		if res.Registered == 0 && len(placed) == cfg.Nodes {
			res.Registered = time.Since(created)
		}
		atTarget, err := countAtTarget(rm, placed)
		if err != nil {
			return err
		}
		if atTarget == cfg.Nodes {
			res.Converged = time.Since(created)
			return nil
		}
		if time.Since(lastSay) >= 15*time.Second {
			say("%d registered, %d at their expected capacity", len(placed), atTarget)
			lastSay = time.Now()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not converged after %s: %d of %d registered, %d at their expected capacity", cfg.Timeout, len(placed), cfg.Nodes, atTarget)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// countAtTarget counts the NodeManagers the RM shows RUNNING at the capacity their node's
// constant koordlet offer implies.
func countAtTarget(rm *rmemulator.Emulator, placed map[string]string) (int, error) {
	n := 0
	for id, nodeName := range placed {
		i, ok := nodeIndex(nodeName)
		if !ok {
			return 0, fmt.Errorf("NodeManager %s runs on %q, not a node of the run", id, nodeName)
		}
		v, ok := rm.Node(id)
		if ok && v.State == "RUNNING" && v.Total.VCores == ExpectedVCores(i) && v.Total.MemoryMB == ExpectedMemoryMB(i) {
			n++
		}
	}
	return n, nil
}

func checkConverged(rm *rmemulator.Emulator, agent *nodeagent.Agent, nodes int) error {
	placed, err := agent.Placements()
	if err != nil {
		return err
	}
	at, err := countAtTarget(rm, placed)
	if err != nil {
		return err
	}
	if len(placed) != nodes || at != nodes {
		return fmt.Errorf("%d of %d registered, %d at their expected capacity", len(placed), nodes, at)
	}
	return nil
}

// measureSteady counts what SteadyCycles whole capacity cycles cost: it starts right after
// a cycle ends and stops right after the last one ends, so no cycle is cut in two.
func measureSteady(ctx context.Context, cfg Config, e *environment) (Counts, error) {
	// The pool as created, with the API's defaults filled in.
	interval := e.pool.Spec.Capacity.Dynamic.Interval.Duration
	first, err := nextCycle(ctx, interval, e.counters, -1)
	if err != nil {
		return Counts{}, err
	}
	last := first
	for range cfg.SteadyCycles {
		if last, err = nextCycle(ctx, interval, e.counters, last.cycles); err != nil {
			return Counts{}, err
		}
	}
	d := last.delta(first)
	return d.counts(d.cycles), nil
}

// cyclePoll is how often nextCycle reads the counters. Each reading scrapes the operator's
// and Prometheus' /metrics; the operator's exposition allocated about 1.5 MB per scrape at
// 5,000 nodes, so polling every 100 ms made the harness itself 77 MB of the operator's
// allocations in 50 s of steady state (heap profile). A reading up to a second after a
// cycle ends counts the same writes and queries: the next cycle is an interval away.
const cyclePoll = time.Second

// nextCycle waits until the capacity controller completes a cycle after the reading with
// `after` cycles (-1: after now) and returns the reading taken then.
func nextCycle(ctx context.Context, interval time.Duration, r *reader, after float64) (counters, error) {
	if after < 0 {
		now, err := r.read()
		if err != nil {
			return counters{}, err
		}
		after = now.cycles
	}
	deadline := time.Now().Add(3*interval + time.Minute)
	for {
		c, err := r.read()
		if err != nil {
			return counters{}, err
		}
		if c.cycles > after {
			return c, nil
		}
		if time.Now().After(deadline) {
			return counters{}, errors.New("no capacity cycle completed within 3 intervals")
		}
		select {
		case <-ctx.Done():
			return counters{}, ctx.Err()
		case <-time.After(cyclePoll):
		}
	}
}

// saveProfile writes the profile at url to file.
func saveProfile(url, file string) error {
	resp, err := http.Get(url) //nolint:gosec // loopback URL of the run
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("heap profile: %s", resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// formatSources lists sources in name order.
func formatSources(m map[string]float64) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %.1f", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// FormatBytes is n in MiB.
func FormatBytes(n int64) string { return strconv.FormatInt(n>>20, 10) + " MiB" }

// waitScraped waits until Prometheus holds the batch CPU series of all n nodes.
func waitScraped(ctx context.Context, promURL string, n int) error {
	query := promURL + "/api/v1/query?query=" + url.QueryEscape("count("+promquery.MetricBESuppressCPU+")")
	return localcluster.WaitFor(ctx, nil, 2*time.Minute, "Prometheus' first scrape of the koordlet stand-in", func() error {
		resp, err := http.Get(query) //nolint:gosec // loopback URL of the run
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var body struct {
			Data struct {
				Result []struct {
					Value [2]any `json:"value"`
				} `json:"result"`
			} `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			return err
		}
		if r := body.Data.Result; len(r) == 1 && r[0].Value[1] == strconv.Itoa(n) {
			return nil
		}
		return fmt.Errorf("not all %d nodes scraped yet", n)
	})
}
