package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/go-logr/logr/funcr"

	"github.com/elasticyarn/elastic-yarn-operator/test/localcluster"
)

// Config configures a demo run.
type Config struct {
	// RepoRoot holds config/crd/bases; ConfigDir the demo's configs (hack/demo).
	RepoRoot, ConfigDir string
	// Assets is the directory `hack/tools.sh path kube` prints (etcd, kube-apiserver,
	// kube-scheduler, kubectl); Kwok, Operator and Prometheus are binaries.
	Assets, Kwok, Operator, Prometheus string
	// Duration of the live part (from the operator's start), Compression times faster than
	// real time.
	Duration time.Duration
	// Nodes is the number of fake nodes, half per pool.
	Nodes int
	// TableEvery is how often the table is printed; samples are taken every 2 s.
	TableEvery time.Duration
	// ChartPath is where the PNG goes (docs/img/demo.png); empty skips it.
	ChartPath string
	// WorkDir holds state and logs; a new temp dir when empty. Kept only when Keep is set or
	// the run failed.
	WorkDir string
	Keep    bool
	// Out receives the progress lines and tables.
	Out io.Writer
}

// Result is what a run observed.
type Result struct {
	// Setup is how long it took from start to the operator being ready; TimeToFirstTable
	// from start to the first table.
	Setup, TimeToFirstTable time.Duration
	Tables                  int
	Samples                 []Sample
	FinalTable              string
	Window                  Window
	WorkDir                 string
}

// sampleEvery is the sampling period of the chart and the table.
const sampleEvery = 2 * time.Second

// Run brings the demo up, runs it for cfg.Duration (or until ctx ends), prints the table,
// writes the chart and tears everything down.
func Run(ctx context.Context, cfg Config) (res *Result, err error) {
	start := time.Now()
	res = &Result{}
	if cfg.Nodes <= 0 {
		cfg.Nodes = 24
	}
	if cfg.TableEvery <= 0 {
		cfg.TableEvery = 5 * time.Second
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	say := func(format string, args ...any) {
		fmt.Fprintf(cfg.Out, "[%5.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
	dir := cfg.WorkDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "elastic-yarn-demo-"); err != nil {
			return res, err
		}
	}
	res.WorkDir = dir
	logFile, err := os.Create(filepath.Join(dir, "demo.log"))
	if err != nil {
		return res, err
	}
	log := funcr.New(func(prefix, args string) {
		fmt.Fprintf(logFile, "%s %s %s\n", time.Now().Format(time.RFC3339), prefix, args)
	}, funcr.Options{})

	// Teardown runs in reverse order of start, whatever happened.
	var stops []func()
	defer func() {
		say("tearing down")
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
		logFile.Close()
		if err == nil && !cfg.Keep {
			_ = os.RemoveAll(dir)
			say("done")
		} else {
			say("logs and state kept in %s", dir)
		}
	}()
	runCtx, cancel := context.WithCancel(ctx)
	stops = append(stops, cancel)

	say("starting etcd, kube-apiserver and kube-scheduler (logs in %s)", dir)
	cp, err := localcluster.StartControlPlane(runCtx, cfg.Assets, dir)
	if cp != nil {
		stops = append(stops, cp.Stop)
	}
	if err != nil {
		return res, err
	}
	kwok, err := localcluster.StartKwok(cfg.Kwok, cfg.ConfigDir, dir, cp.Kubeconfig)
	if err != nil {
		return res, err
	}
	stops = append(stops, func() { kwok.Stop(5 * time.Second) })
	c, err := localcluster.NewClient(cp.Kubeconfig)
	if err != nil {
		return res, err
	}
	if err := localcluster.PrepareCluster(runCtx, c, Namespace); err != nil {
		return res, err
	}
	if err := createNodes(runCtx, c, cfg.Nodes); err != nil {
		return res, err
	}
	if err := localcluster.ApplyCRDs(runCtx, filepath.Join(cfg.Assets, "kubectl"), cfg.RepoRoot, cp.Kubeconfig, c); err != nil {
		return res, err
	}
	say("control plane up at %s: %d kwok nodes, CRDs applied (kubectl --kubeconfig %s)", cp.Server, cfg.Nodes, cp.Kubeconfig)

	rm, err := startRM(runCtx)
	if err != nil {
		return res, err
	}
	stops = append(stops, rm.Close)
	restCfg, err := localcluster.RestConfig(cp.Kubeconfig)
	if err != nil {
		return res, err
	}
	watcher, stopWatcher, err := startNodeManagers(runCtx, c, restCfg, rm, dir, log.WithName("nodemanagers"))
	if err != nil {
		return res, err
	}
	stops = append(stops, stopWatcher)
	// Two resident nodes spike while the rest is quiet, each for longer than the pool's
	// node-safety shedAfter, so the chart shows a shed that the surge would hide.
	model := LoadModel{Run: cfg.Duration, StartHour: 11.5,
		Spikes: []Spike{{Node: 3, From: 0.04, To: 0.19}, {Node: 7, From: 0.78, To: 0.93}}}
	koordManager := newLedger(c, log.WithName("koord-manager"))
	go koordManager.run(runCtx)
	exp := newExporter(model, cfg.Nodes, watcher.YARNCoresOn, koordManager)
	if err := exp.run(runCtx); err != nil {
		return res, err
	}
	prom, promURL, err := localcluster.StartPrometheus(runCtx, cfg.Prometheus, filepath.Join(cfg.ConfigDir, "prometheus.yml.tmpl"), dir, exp.addr)
	if prom != nil {
		stops = append(stops, func() { prom.Stop(5 * time.Second) })
	}
	if err != nil {
		return res, err
	}
	say("RM emulator at %s with a backlogged Spark + MapReduce workload; koordlet replay at %s scraped by Prometheus at %s", rm.URL(), exp.addr, promURL)

	liveEnd := time.Now().Add(cfg.Duration)
	if res.Window, err = createPools(runCtx, c, cfg.ConfigDir, rm.URL(), promURL, cfg.Nodes/2, liveEnd); err != nil {
		return res, err
	}
	say("created %s (Resident, Koordinator capacity) and %s (Scheduled: window %s-%s UTC, drain %s), %d StaticIPs on 127.0.10.x",
		ResidentPool, NightPool, res.Window.Start.Format("15:04"), res.Window.End.Format("15:04"), res.Window.Drain, cfg.Nodes)

	// The operator's RM poll while NodeManagers start or drain (30 s by default) is divided
	// by the demo's Compression, like the pools' own settings.
	op, opMetrics, err := localcluster.StartOperator(runCtx, cfg.Operator, dir, cp.Kubeconfig, "--drain-poll-interval=5s")
	if op != nil {
		stops = append(stops, func() { op.Stop(10 * time.Second) })
	}
	if err != nil {
		return res, err
	}
	res.Setup = time.Since(start)
	say("operator ready (metrics %s); running for %s (%s of simulated time, %d times faster, from 11:30)",
		opMetrics, cfg.Duration, model.SimulatedTime(cfg.Duration), Compression)

	col, err := newCollector(c, rm, promURL, watcher, model, cfg.Nodes, exp.start)
	if err != nil {
		return res, err
	}
	err = loop(runCtx, cfg, col, op, res, start, liveEnd)
	if len(res.Samples) > 0 {
		res.FinalTable = FormatTable(res.Samples[len(res.Samples)-1])
		fmt.Fprintf(cfg.Out, "\nFinal table:\n%s", res.FinalTable)
	}
	if cfg.ChartPath != "" && len(res.Samples) > 1 {
		if cerr := WriteChart(cfg.ChartPath, res.Samples); cerr != nil {
			err = errors.Join(err, cerr)
		} else {
			say("chart written to %s", cfg.ChartPath)
		}
	}
	return res, err
}

// loop samples every sampleEvery and prints the table every cfg.TableEvery until liveEnd or
// ctx ends. The operator exiting is an error.
func loop(ctx context.Context, cfg Config, col *collector, op *localcluster.Proc, res *Result, start, liveEnd time.Time) error {
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	var lastTable time.Time
	for {
		if op.Exited() {
			return fmt.Errorf("operator exited (see %s): %v", op.Log, op.Err())
		}
		s, err := col.sample(ctx)
		if err == nil {
			res.Samples = append(res.Samples, s)
			if time.Since(lastTable) >= cfg.TableEvery {
				if res.Tables == 0 {
					res.TimeToFirstTable = time.Since(start)
					fmt.Fprintf(cfg.Out, "[%5.1fs] time to first table: %s\n", res.TimeToFirstTable.Seconds(), res.TimeToFirstTable.Round(100*time.Millisecond))
				}
				fmt.Fprintf(cfg.Out, "\n%s", FormatTable(s))
				res.Tables++
				lastTable = time.Now()
			}
		} else if ctx.Err() == nil {
			fmt.Fprintf(cfg.Out, "sample failed: %v\n", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if !time.Now().Before(liveEnd) {
				return nil
			}
		}
	}
}
