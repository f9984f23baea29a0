// Package app builds and runs the operator's controller-runtime manager. cmd/operator is a thin
// main around it so tests can start and stop the real manager against a real apiserver.
package app

import (
	"flag"
	"strings"
	"time"
)

// Options are the operator's command-line settings.
type Options struct {
	MetricsAddr             string
	ProbeAddr               string
	LeaderElect             bool
	LeaderElectionNamespace string
	LeaderElectionID        string
	LeaseDuration           time.Duration
	RenewDeadline           time.Duration
	GuarderImage            string
	MaxConcurrentReconciles int
	GracefulShutdownTimeout time.Duration
	// DrainPollInterval is how often starting and draining NodeManagers are re-read from the
	// RM, which sends no watch events.
	DrainPollInterval time.Duration
	// ProfileAddr serves net/http/pprof (heap, goroutine and CPU profiles) when set; empty,
	// the default, serves nothing: profiles show internals and cost CPU while taken.
	ProfileAddr string
	// WatchNamespaces limits the operator to these namespaces; empty watches all.
	WatchNamespaces []string
}

// DefaultOptions are the settings used when no flag is given.
func DefaultOptions() Options {
	return Options{
		MetricsAddr:             ":8080",
		ProbeAddr:               ":8081",
		LeaderElectionID:        "elastic-yarn-operator.elasticyarn.io",
		LeaseDuration:           15 * time.Second,
		RenewDeadline:           10 * time.Second,
		GuarderImage:            "ghcr.io/elasticyarn/guarder:v0.1.0",
		MaxConcurrentReconciles: 4,
		GracefulShutdownTimeout: 30 * time.Second,
		DrainPollInterval:       30 * time.Second,
	}
}

// BindFlags registers the options on fs, with o's values as defaults.
func (o *Options) BindFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.MetricsAddr, "metrics-bind-address", o.MetricsAddr, "address of the /metrics endpoint; 0 disables it")
	fs.StringVar(&o.ProbeAddr, "health-probe-bind-address", o.ProbeAddr, "address of the /healthz and /readyz endpoints")
	fs.BoolVar(&o.LeaderElect, "leader-elect", o.LeaderElect, "elect a leader so that only one replica reconciles; enable when running more than one replica")
	fs.StringVar(&o.LeaderElectionNamespace, "leader-election-namespace", o.LeaderElectionNamespace, "namespace of the leader-election Lease; defaults to the pod's namespace")
	fs.StringVar(&o.LeaderElectionID, "leader-election-id", o.LeaderElectionID, "name of the leader-election Lease")
	fs.DurationVar(&o.LeaseDuration, "leader-election-lease-duration", o.LeaseDuration, "how long a non-leader waits before trying to take the lease")
	fs.DurationVar(&o.RenewDeadline, "leader-election-renew-deadline", o.RenewDeadline, "how long the leader retries renewing before giving up leadership")
	fs.StringVar(&o.GuarderImage, "guarder-image", o.GuarderImage, "guarder sidecar image for pools that do not set spec.guarder.image")
	fs.IntVar(&o.MaxConcurrentReconciles, "max-concurrent-reconciles", o.MaxConcurrentReconciles, "reconciles run at once by the NodeManager controller (across pools) and the StaticIP controller (across StaticIPs); the other controllers run one at a time")
	fs.DurationVar(&o.GracefulShutdownTimeout, "graceful-shutdown-timeout", o.GracefulShutdownTimeout, "how long to wait for reconciles to finish on shutdown")
	fs.DurationVar(&o.DrainPollInterval, "drain-poll-interval", o.DrainPollInterval, "how often starting and draining NodeManagers are re-read from the RM")
	fs.StringVar(&o.ProfileAddr, "profile-address", o.ProfileAddr, "address of the pprof endpoints (/debug/pprof/); empty disables them")
	fs.Func("watch-namespaces", "comma-separated namespaces the operator watches (ElasticNodeManagers, StaticIPs, NodeManager pods); empty watches all. Nodes are cluster-scoped and always watched", func(v string) error {
		o.WatchNamespaces = nil
		for _, ns := range strings.Split(v, ",") {
			if ns = strings.TrimSpace(ns); ns != "" {
				o.WatchNamespaces = append(o.WatchNamespaces, ns)
			}
		}
		return nil
	})
}
