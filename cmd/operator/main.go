// Command operator runs the elastic-yarn-operator controllers.
package main

import (
	"flag"
	"os"
	"runtime/debug"

	"github.com/go-logr/logr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/elasticyarn/elastic-yarn-operator/cmd/operator/app"
)

// defaultGCPercent replaces Go's GOGC=100 unless GOGC is set. The operator's heap is mostly its
// informer cache, which lives as long as the process; at GOGC=100 the heap grows to twice the
// live heap before each collection, so the peak is twice the cache. At 50 it is 1.5 times, for
// collections twice as often: a few percent of a core at 10,000 nodes (docs/benchmarks.md,
// "Scale"). The soft memory limit (setMemoryLimit) still caps the heap below the container's.
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
	setMemoryLimit(log)

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

// setMemoryLimit gives the Go runtime a soft memory limit of 90 % of the container's
// (memoryLimitShare) unless GOMEMLIMIT is set, which the runtime has already applied.
func setMemoryLimit(log logr.Logger) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	limit, err := containerMemoryLimit()
	if err != nil {
		log.Error(err, "Cannot read the container's memory limit; the Go runtime gets no soft limit")
		return
	}
	if limit > 0 {
		debug.SetMemoryLimit(limit)
		log.Info("Go soft memory limit set from the container's", "bytes", limit)
	}
}
