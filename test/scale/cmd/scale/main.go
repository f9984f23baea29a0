// Command scale runs the scale measurement of docs/benchmarks.md: the real operator against a
// local control plane with 1,000, 5,000 and 10,000 kwok nodes (hack/scale.sh builds everything;
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
	sizes := flag.String("nodes", "1000,5000,10000", "comma-separated pool sizes, one run each, smallest first")
	flag.StringVar(&cfg.RepoRoot, "repo", ".", "repository root")
	flag.StringVar(&cfg.Assets, "assets", "", "directory of etcd, kube-apiserver, kube-scheduler and kubectl (hack/tools.sh path kube)")
	flag.StringVar(&cfg.Kwok, "kwok", "", "kwok binary (hack/tools.sh path kwok)")
	flag.StringVar(&cfg.Operator, "operator", "", "operator binary")
	flag.StringVar(&cfg.Prometheus, "prometheus", "prometheus", "prometheus binary")
	flag.DurationVar(&cfg.Interval, "interval", 0, "the pool's capacity interval; 0 leaves the API's default")
	flag.IntVar(&cfg.MaxRMWritesPerMinute, "max-rm-writes-per-minute", 0, "the pool's maxRMWritesPerMinute; 0 leaves the API's default")
	flag.DurationVar(&cfg.ResizeDelay, "resize-delay", time.Second, "how long the RM emulator takes to apply a resize (a real RM: the next NM heartbeat)")
	flag.IntVar(&cfg.SteadyCycles, "steady-cycles", 3, "capacity cycles measured after convergence")
	flag.DurationVar(&cfg.Timeout, "timeout", 45*time.Minute, "bound on each run's convergence")
	flag.StringVar(&cfg.ProfileDir, "profile-dir", "", "save the operator's heap profile of each run here (heap-<nodes>.pb.gz)")
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
			// The sizes that completed are still measured: a larger one that does not fit
			// or does not finish must not lose them.
			printTable(results, cfg)
			os.Exit(1)
		}
		results = append(results, res)
	}
	printTable(results, cfg)
}

func printTable(results []*scale.Result, cfg scale.Config) {
	if len(results) == 0 {
		return
	}
	fmt.Printf("Interval %s, maxRMWritesPerMinute %d, RM resize delay %s, %d steady cycles.\n\n%s",
		results[0].Interval, results[0].MaxRMWritesPerMinute, cfg.ResizeDelay, cfg.SteadyCycles, scale.FormatTable(results))
}
