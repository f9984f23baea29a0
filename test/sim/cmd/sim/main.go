// Command sim replays online-load traces against the NodeManager sizing strategies and
// prints a Markdown table of the figures (see docs/benchmarks.md).
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/sim"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/trace"
)

func main() {
	nodes := flag.Int("nodes", 20, "synthetic nodes")
	days := flag.Float64("days", 1, "synthetic days")
	step := flag.Duration("step", 30*time.Second, "simulation step")
	seed := flag.Uint64("seed", 1, "seed")
	flag.Parse()
	traces := trace.Synthetic(trace.DefaultSyntheticOptions(*nodes, *days, *step, *seed))
	if err := trace.Common(traces); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	start := time.Now()
	figs := sim.Run(sim.DefaultConfig(*seed), traces, sim.DefaultStrategies())
	if err := sim.WriteTable(os.Stdout, figs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "took %s\n", time.Since(start).Round(time.Millisecond))
}
