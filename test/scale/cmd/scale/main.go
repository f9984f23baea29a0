// Command scale runs the scale measurement of docs/benchmarks.md: the real operator against a
// local control plane with 500, 1,000 and 5,000 kwok nodes (hack/scale.sh builds everything;
// see package test/scale).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/scale"
)

func main() {
	var cfg scale.Config
	sizes := flag.String("nodes", "500,1000,5000", "comma-separated pool sizes, one run each, smallest first")
	flag.StringVar(&cfg.RepoRoot, "repo", ".", "repository root")
	flag.StringVar(&cfg.Assets, "assets", "", "directory of etcd, kube-apiserver, kube-scheduler and kubectl (hack/tools.sh path kube)")
	flag.StringVar(&cfg.Kwok, "kwok", "", "kwok binary (hack/tools.sh path kwok)")
	flag.StringVar(&cfg.Operator, "operator", "", "operator binary")
	flag.StringVar(&cfg.Prometheus, "prometheus", "prometheus", "prometheus binary")
	flag.DurationVar(&cfg.Interval, "interval", 15*time.Second, "the pool's capacity interval")
	flag.IntVar(&cfg.MaxRMWritesPerMinute, "max-rm-writes-per-minute", 6000, "the pool's maxRMWritesPerMinute")
	flag.DurationVar(&cfg.ResizeDelay, "resize-delay", time.Second, "how long the RM emulator takes to apply a resize (a real RM: the next NM heartbeat)")
	flag.IntVar(&cfg.SteadyCycles, "steady-cycles", 3, "capacity cycles measured after convergence")
	flag.DurationVar(&cfg.Timeout, "timeout", 45*time.Minute, "bound on each run's convergence")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep each run's state and logs")
	flag.Parse()
	cfg.Out = os.Stderr

	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "scale: bad -nodes entry %q: want a positive integer\n", s)
			os.Exit(2)
		}
		ns = append(ns, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var results []*scale.Result
	for _, n := range ns {
		run := cfg
		run.Nodes = n
		res, err := scale.Run(ctx, run)
		if err != nil {
			fmt.Fprintf(os.Stderr, "scale: %d nodes: %v\n", n, err)
			os.Exit(1)
		}
		results = append(results, res)
	}
	fmt.Printf("Interval %s, maxRMWritesPerMinute %d, RM resize delay %s, %d steady cycles.\n\n%s",
		cfg.Interval, cfg.MaxRMWritesPerMinute, cfg.ResizeDelay, cfg.SteadyCycles, scale.FormatTable(results))
}
