// Command sim replays online-load traces against the NodeManager sizing strategies and
// writes a Markdown table of the figures (and optionally a PNG chart). See docs/benchmarks.md.
//
//	go run ./test/sim/cmd/sim -trace synthetic -nodes 200 -days 7 -seeds 1,2,3 -png docs/img/sim-synthetic.png
//	go run ./test/sim/cmd/sim -trace alibaba -png docs/img/sim-alibaba.png
//	go run ./test/sim/cmd/sim -trace csv -csv-dir DIR -cpu-cores 96 -memory-gib 384 [-max-gap 1h]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/sim"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/trace"
)

type options struct {
	source     string
	nodes      int
	days       float64
	step       time.Duration
	seeds      []uint64
	alibaba    string
	csvDir     string
	cpuCores   float64
	memoryGiB  float64
	maxGap     time.Duration
	variants   bool
	png        string
	probe      int
	probeHours float64
}

func main() {
	var o options
	var seeds string
	flag.StringVar(&o.source, "trace", "synthetic", "synthetic, alibaba or csv")
	flag.IntVar(&o.nodes, "nodes", 200, "synthetic: nodes")
	flag.Float64Var(&o.days, "days", 7, "synthetic: days")
	flag.DurationVar(&o.step, "step", 30*time.Second, "simulation step")
	flag.StringVar(&seeds, "seeds", "1", "comma-separated seeds (workload; and traces when synthetic)")
	flag.StringVar(&o.alibaba, "alibaba-file", "../shared/traces/alibaba-v2018-machine-usage/machine_usage_head100k.csv.gz", "alibaba: machine_usage file")
	flag.StringVar(&o.csvDir, "csv-dir", "", "csv: directory of <node>.csv files (timestamp_seconds,cpu_percent,mem_percent)")
	flag.Float64Var(&o.cpuCores, "cpu-cores", 96, "csv: cores per node")
	flag.Float64Var(&o.memoryGiB, "memory-gib", 384, "csv: memory per node, GiB")
	flag.DurationVar(&o.maxGap, "max-gap", trace.DefaultMaxGap, "csv: longest gap between samples to bridge by holding the last sample; a longer gap is an error naming it")
	flag.BoolVar(&o.variants, "variants", false, "also run settings variants of elastic-yarn")
	flag.StringVar(&o.png, "png", "", "write a chart to this PNG file")
	flag.IntVar(&o.probe, "probe-node", 1, "node whose time series the chart shows")
	flag.Float64Var(&o.probeHours, "probe-hours", 48, "hours of the probed node the chart shows")
	flag.Parse()
	for _, s := range strings.Split(seeds, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			fail(fmt.Errorf("seed %q: %w", s, err))
		}
		o.seeds = append(o.seeds, v)
	}
	if err := run(o, os.Stdout); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sim:", err)
	os.Exit(1)
}

func run(o options, out io.Writer) error {
	strategies := sim.DefaultStrategies()
	if o.variants {
		strategies = append(strategies, sim.VariantStrategies()...)
	}
	var runs [][]sim.Figures
	var step time.Duration
	for _, seed := range o.seeds {
		traces, err := load(o, seed)
		if err != nil {
			return err
		}
		step = traces[0].Step
		cfg := sim.DefaultConfig(seed)
		if len(runs) == 0 {
			cfg.ProbeNode, cfg.ProbeSteps = o.probe, int(o.probeHours*float64(time.Hour)/float64(step))
		}
		start := time.Now()
		figs := sim.Run(cfg, traces, strategies)
		fmt.Fprintf(os.Stderr, "seed %d: %d nodes x %.1f h in %s\n", seed, len(traces), figs[0].Hours, time.Since(start).Round(time.Millisecond))
		fmt.Fprintf(out, "\nSeed %d: %d nodes, %.1f hours, step %s.\n\n", seed, len(traces), figs[0].Hours, step)
		if err := sim.WriteTable(out, figs); err != nil {
			return err
		}
		runs = append(runs, figs)
	}
	total := make([]sim.Figures, len(strategies))
	for i := range total {
		per := make([]sim.Figures, len(runs))
		for r := range runs {
			per[r] = runs[r][i]
		}
		total[i] = sim.Sum(per...)
	}
	if len(runs) > 1 {
		fmt.Fprintf(out, "\nAll %d seeds together (ratios over the sums):\n\n", len(runs))
		if err := sim.WriteTable(out, total); err != nil {
			return err
		}
	}
	if o.png == "" {
		return nil
	}
	var buf bytes.Buffer
	title := fmt.Sprintf("%s traces, %d run(s)", o.source, len(runs))
	if err := sim.WriteChart(&buf, title, runs[0], total, step); err != nil {
		return err
	}
	return os.WriteFile(o.png, buf.Bytes(), 0o644)
}

func load(o options, seed uint64) ([]trace.Series, error) {
	var traces []trace.Series
	var err error
	switch o.source {
	case "synthetic":
		traces = trace.Synthetic(trace.DefaultSyntheticOptions(o.nodes, o.days, o.step, seed))
	case "alibaba":
		traces, err = trace.LoadAlibabaFile(o.alibaba, trace.DefaultAlibabaOptions(o.step))
	case "csv":
		traces, err = trace.LoadCSVDir(o.csvDir, trace.CSVOptions{Step: o.step, MaxGap: o.maxGap,
			CPUCores: o.cpuCores, MemoryMB: o.memoryGiB * 1024})
	default:
		err = fmt.Errorf("unknown trace source %q", o.source)
	}
	if err != nil {
		return nil, err
	}
	return traces, trace.Common(traces)
}
