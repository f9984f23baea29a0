// Command operator runs the elastic-yarn-operator controllers.
package main

import (
	"flag"
	"os"
	"runtime/debug"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/elasticyarn/elastic-yarn-operator/cmd/operator/app"
)

// defaultGCPercent replaces Go's GOGC=100 unless GOGC is set. The operator's heap is mostly its
// informer cache, which lives as long as the process; at GOGC=100 the heap grows to twice the
// live heap before each collection, so the peak is twice the cache. At 50 it is 1.5 times, for
// collections twice as often: a few percent of a core at 10,000 nodes (docs/benchmarks.md,
// "Scale"). The chart's GOMEMLIMIT still caps the heap near the container's limit.
const defaultGCPercent = 50

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(defaultGCPercent)
	}
	opts := app.DefaultOptions()
	opts.BindFlags(flag.CommandLine)
	zapOpts := zap.Options{}
	zapOpts.BindFlags(flag.CommandLine)
	flag.Parse()

	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts)))
	log := ctrl.Log.WithName("setup")

	cfg, err := ctrl.GetConfig()
	if err != nil {
		log.Error(err, "Cannot load a kubeconfig or in-cluster configuration")
		os.Exit(1)
	}
	if err := app.Run(ctrl.SetupSignalHandler(), cfg, opts); err != nil {
		log.Error(err, "Operator stopped with an error")
		os.Exit(1)
	}
}
