package sim

import (
	"runtime"
	"sync"

	"github.com/elasticyarn/elastic-yarn-operator/test/sim/trace"
)

// DefaultStrategies are the four strategies the benchmarks compare, in table order, and the
// oracle they are measured against.
func DefaultStrategies() []Factory {
	return []Factory{NewStatic, NewInstantSync, NewCaelus, ElasticFactory(DefaultElasticOptions()), NewOracle}
}

// Run replays traces once per strategy, each on its own copy of the cluster, in parallel
// (at most GOMAXPROCS at a time). The figures come back in the order of strategies and do
// not depend on the scheduling of the goroutines.
func Run(cfg Config, traces []trace.Series, strategies []Factory) []Figures {
	out := make([]Figures, len(strategies))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, f := range strategies {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			s := f()
			out[i] = NewCluster(cfg, traces, s.Name()).Run(s)
		})
	}
	wg.Wait()
	return out
}
