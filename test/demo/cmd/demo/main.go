// Command demo runs `make demo`: the real operator on a local control plane (etcd,
// kube-apiserver, kube-scheduler, kwok) with a koordlet replay scraped by Prometheus, the RM
// emulator and stand-ins for the NodeManager and guarder processes kwok pods cannot run. It
// prints a live table, writes docs/img/demo.png and tears everything down at the end or on
// Ctrl-C. hack/demo.sh builds the binaries and passes their paths.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/demo"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// started is when the driver started.
var started = time.Now()

// sinceMakeDemo is how long ago hack/demo.sh started (DEMO_STARTED, Unix seconds), or 0.
func sinceMakeDemo() time.Duration {
	v, err := strconv.ParseFloat(os.Getenv("DEMO_STARTED"), 64)
	if err != nil || v <= 0 {
		return 0
	}
	return time.Since(time.Unix(0, int64(v*1e9)))
}

func run() error {
	cfg := demo.Config{Out: os.Stdout}
	flag.StringVar(&cfg.RepoRoot, "repo", ".", "repository root (config/crd/bases)")
	flag.StringVar(&cfg.ConfigDir, "config-dir", "", "demo configs (default <repo>/hack/demo)")
	flag.StringVar(&cfg.Assets, "assets", "", "directory with etcd, kube-apiserver, kube-scheduler, kubectl (hack/tools.sh path kube)")
	flag.StringVar(&cfg.Kwok, "kwok", "", "kwok binary (hack/tools.sh path kwok)")
	flag.StringVar(&cfg.Operator, "operator", "", "operator binary (go build ./cmd/operator)")
	flag.StringVar(&cfg.Prometheus, "prometheus", "prometheus", "prometheus binary")
	flag.StringVar(&cfg.ChartPath, "chart", "", "PNG chart to write (default <repo>/docs/img/demo.png)")
	flag.IntVar(&cfg.Nodes, "nodes", 24, "fake nodes (half per pool)")
	flag.DurationVar(&cfg.TableEvery, "table-every", 5*time.Second, "how often to print the table")
	flag.BoolVar(&cfg.Keep, "keep", os.Getenv("DEMO_KEEP") == "1", "keep the state and logs directory (DEMO_KEEP=1)")
	duration := flag.String("duration", envOr("DEMO_DURATION", "5m"), "length of the run, 6 times as long in simulated time (DEMO_DURATION)")
	flag.Parse()
	d, err := time.ParseDuration(*duration)
	if err != nil || d < 30*time.Second {
		return fmt.Errorf("DEMO_DURATION %q: want a Go duration of at least 30s, e.g. 5m", *duration)
	}
	cfg.Duration = d
	if cfg.ConfigDir == "" {
		cfg.ConfigDir = filepath.Join(cfg.RepoRoot, "hack", "demo")
	}
	if cfg.ChartPath == "" {
		cfg.ChartPath = filepath.Join(cfg.RepoRoot, "docs", "img", "demo.png")
	}
	for name, p := range map[string]string{"-assets": cfg.Assets, "-kwok": cfg.Kwok, "-operator": cfg.Operator} {
		if p == "" {
			return fmt.Errorf("%s is required (run hack/demo.sh)", name)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := demo.Run(ctx, cfg)
	if res != nil && res.TimeToFirstTable > 0 {
		fmt.Printf("time to first table: %s after the demo driver started (control plane, Prometheus, RM and operator ready after %s)\n",
			res.TimeToFirstTable.Round(100*time.Millisecond), res.Setup.Round(100*time.Millisecond))
		if since := sinceMakeDemo(); since > 0 {
			fmt.Printf("time to first table: %s after `make demo` started (builds included)\n", (since - time.Since(started) + res.TimeToFirstTable).Round(100*time.Millisecond))
		}
	}
	return err
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
