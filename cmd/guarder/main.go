// Command guarder is the NodeManager sidecar that brings YARN containers under a target
// (vcores, memory) with the least lost work. See guarder/doc.go.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/zapr"
	"github.com/oklog/run"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/api"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/contract"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/koordlet"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/metrics"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/safetynet"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient"
)

type options struct {
	listenAddress   string
	tokenFile       string
	procRoot        string
	cgroupHierarchy string
	nmURL           string
	nmPrincipal     string
	nmKeytab        string
	krb5Conf        string
	koordletSocket  string
	gracePeriod     time.Duration
	signalPolicy    signaller.Policy
	scanInterval    time.Duration
	dryRun          bool
	logLevel        int
	weights         selection.Weights

	safetyNet          bool
	koordletURL        string
	nodeName           string
	beRequestCPUCores  float64
	safetyNetInterval  time.Duration
	safetyNetThreshold safetynet.Thresholds
}

func parseFlags(args []string) (options, error) {
	o := options{weights: selection.DefaultWeights(), safetyNetThreshold: safetynet.DefaultThresholds()}
	fs := flag.NewFlagSet("guarder", flag.ContinueOnError)
	fs.StringVar(&o.listenAddress, "listen-address", ":8089", "address of the HTTP API, /metrics and probes")
	fs.StringVar(&o.tokenFile, "token-file", "/var/run/secrets/elastic-yarn/guarder/token", "file holding the bearer token (a mounted Secret; re-read on change)")
	fs.StringVar(&o.procRoot, "proc-root", "/proc", "proc filesystem to scan (needs shareProcessNamespace: true)")
	fs.StringVar(&o.cgroupHierarchy, "cgroup-hierarchy", discovery.DefaultHierarchy, "yarn.nodemanager.linux-container-executor.cgroups.hierarchy")
	fs.StringVar(&o.nmURL, "nm-url", "http://localhost:8042", "NodeManager web address (yarn.nodemanager.webapp.address)")
	fs.StringVar(&o.nmPrincipal, "nm-principal", os.Getenv(contract.EnvNodeManagerPrincipal), "the NM's HTTP/<fqdn>@REALM principal for SPNEGO to the NM web endpoint; empty: no authentication (default from $"+contract.EnvNodeManagerPrincipal+")")
	fs.StringVar(&o.nmKeytab, "nm-keytab", os.Getenv(contract.EnvNodeManagerKeytab), "keytab holding -nm-principal (default from $"+contract.EnvNodeManagerKeytab+")")
	fs.StringVar(&o.krb5Conf, "krb5-conf", envOr(contract.EnvKrb5Config, "/etc/krb5.conf"), "krb5.conf for -nm-principal (default from $"+contract.EnvKrb5Config+")")
	fs.StringVar(&o.koordletSocket, "koordlet-socket", os.Getenv(contract.EnvKoordletSocket), "unix socket serving koordlet's container evictions (--evict-by-copilot-endpoint, "+koordlet.DefaultSocket+"); empty: off (default from $"+contract.EnvKoordletSocket+")")
	fs.DurationVar(&o.gracePeriod, "grace-period", 2*time.Minute, "time a signalled container gets before SIGKILL")
	fs.DurationVar(&o.scanInterval, "scan-interval", 10*time.Second, "interval between scan-decide-act cycles")
	// The operator sets spec.guarder.signalPolicy through the environment (package contract:
	// an older guarder ignores the variable where it would exit on an unknown flag); the flag
	// wins when both are given. Both are parsed strictly, so a typo cannot mean Graceful.
	defaultPolicy := signaller.PolicyGraceful
	if env, ok := os.LookupEnv(contract.EnvSignalPolicy); ok {
		p, err := signaller.ParsePolicy(env)
		if err != nil {
			return o, fmt.Errorf("%s: %w", contract.EnvSignalPolicy, err)
		}
		defaultPolicy = p
	}
	fs.TextVar(&o.signalPolicy, "signal-policy", defaultPolicy, "Graceful (SIGPWR to JVMs that handle it, else SIGTERM to the group) or TermOnly (never SIGPWR); default from $"+contract.EnvSignalPolicy)
	fs.BoolVar(&o.dryRun, "dry-run", false, "decide and report, never signal")
	fs.IntVar(&o.logLevel, "v", 0, "log verbosity")
	fs.Float64Var(&o.weights.Graceful, "weight-graceful", o.weights.Graceful, "selection weight of graceful-capable containers (no effect with -signal-policy=TermOnly)")
	fs.Float64Var(&o.weights.Youth, "weight-youth", o.weights.Youth, "selection weight of young containers")
	fs.Float64Var(&o.weights.Relief, "weight-relief", o.weights.Relief, "selection weight of covering the short resource")
	fs.DurationVar(&o.weights.YouthHalfLife, "youth-half-life", o.weights.YouthHalfLife, "runtime at which youth is worth half")
	fs.BoolVar(&o.safetyNet, "safety-net", false, "shed before Koordinator would evict the NM pod (off by default, see docs)")
	fs.StringVar(&o.koordletURL, "koordlet-url", "http://127.0.0.1:9316/metrics", "koordlet metrics URL for the safety net")
	fs.StringVar(&o.nodeName, "node-name", os.Getenv("NODE_NAME"), "node label to select in koordlet metrics")
	fs.Float64Var(&o.beRequestCPUCores, "be-request-cpu-cores", 0, "override of the node's BE CPU request in cores (the sum of every BE pod's kubernetes.io/batch-cpu request), for koordlets before v1.2; 0: the sum of koordlet_container_resource_requests")
	fs.DurationVar(&o.safetyNetInterval, "safety-net-interval", 5*time.Second, "safety net polling interval")
	fs.Float64Var(&o.safetyNetThreshold.CPUEvictSatisfactionLowerPercent, "cpu-evict-be-satisfaction-lower-percent", o.safetyNetThreshold.CPUEvictSatisfactionLowerPercent, "NodeSLO cpuEvictBESatisfactionLowerPercent; Koordinator has no default (BE CPU eviction off), at most 60; 0 turns the CPU rule off")
	fs.Float64Var(&o.safetyNetThreshold.CPUEvictUsageThresholdPercent, "cpu-evict-be-usage-threshold-percent", o.safetyNetThreshold.CPUEvictUsageThresholdPercent, "NodeSLO cpuEvictBEUsageThresholdPercent")
	fs.Float64Var(&o.safetyNetThreshold.MemoryEvictThresholdPercent, "memory-evict-threshold-percent", o.safetyNetThreshold.MemoryEvictThresholdPercent, "NodeSLO memoryEvictThresholdPercent")
	fs.Float64Var(&o.safetyNetThreshold.MarginPercent, "safety-net-margin-percent", o.safetyNetThreshold.MarginPercent, "percentage points before Koordinator's thresholds to act")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if err := o.weights.Validate(); err != nil {
		return o, err
	}
	if o.gracePeriod < 0 || o.scanInterval <= 0 || o.safetyNetInterval <= 0 {
		return o, errors.New("grace period must be >= 0 and intervals > 0")
	}
	if o.nmPrincipal != "" && o.nmKeytab == "" {
		return o, errors.New("-nm-principal needs -nm-keytab")
	}
	return o, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// newNodeManagerClient is the NM web client: with -nm-principal it authenticates with SPNEGO
// as the NM's own HTTP/<fqdn> principal and asks for a ticket to that same service, since the
// URL (localhost) does not name the NM. A keytab without the principal fails here, at start-up.
func newNodeManagerClient(o options) (*nmclient.Client, error) {
	if o.nmPrincipal == "" {
		return nmclient.New(o.nmURL), nil
	}
	service, _, _ := strings.Cut(o.nmPrincipal, "@")
	c, err := nmclient.NewKerberos(o.nmURL, &yarnclient.KerberosOptions{
		Principal: o.nmPrincipal, KeytabPath: o.nmKeytab, Krb5ConfPath: o.krb5Conf,
		SPN: func(string) string { return service },
	})
	if err != nil {
		return nil, fmt.Errorf("NodeManager SPNEGO: %w", err)
	}
	return c, nil
}

func main() {
	if err := runMain(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "guarder:", err)
		os.Exit(1)
	}
}

func runMain(args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	log := newLogger(o.logLevel)
	// Fail fast on a missing, empty or whitespace-only token: an API that denies everything
	// would look healthy.
	token := api.NewTokenFile(o.tokenFile)
	if err := token.Check(); err != nil {
		return err
	}

	nm, err := newNodeManagerClient(o)
	if err != nil {
		return err
	}
	defer nm.Close()

	m := metrics.New()
	sig := signaller.New(signaller.Config{
		ProcRoot: o.procRoot, Hierarchy: o.cgroupHierarchy, Grace: o.gracePeriod, Policy: o.signalPolicy,
		Counters: worker.MetricCounters{M: m}, Log: log.WithName("signaller"),
	})
	w := worker.New(worker.Config{
		Inventory: discovery.Scanner{ProcRoot: o.procRoot, Hierarchy: o.cgroupHierarchy},
		NM:        nm, Signaller: sig, Weights: o.weights,
		Interval: o.scanInterval, DryRun: o.dryRun, Metrics: m, Log: log.WithName("worker"),
	})
	log.Info("starting guarder", "listenAddress", o.listenAddress, "procRoot", o.procRoot,
		"cgroupHierarchy", o.cgroupHierarchy, "nmUrl", o.nmURL, "gracePeriod", o.gracePeriod.String(),
		"signalPolicy", string(o.signalPolicy), "nmPrincipal", o.nmPrincipal, "koordletSocket", o.koordletSocket,
		"scanInterval", o.scanInterval.String(), "dryRun", o.dryRun, "safetyNet", o.safetyNet,
		"pidfd", signaller.NewOSSys().UsesPidfd())

	var g run.Group
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	g.Add(run.SignalHandler(ctx, os.Interrupt, syscall.SIGTERM))

	{
		wctx, wcancel := context.WithCancel(ctx)
		g.Add(func() error { return w.Run(wctx) }, func(error) { wcancel() })
	}
	{
		srv := api.NewServer(o.listenAddress, api.NewHandler(api.Config{
			Controller: w, Token: token, Registry: m.Registry, Log: log.WithName("api"),
			Version: &contract.Info{
				Version: contract.BuildVersion(), Contract: contract.Current, Capabilities: contract.Supported,
				Settings: map[string]string{
					contract.CapabilitySignalPolicy:              string(o.signalPolicy),
					contract.CapabilityNodeManagerSPNEGO:         strconv.FormatBool(o.nmPrincipal != ""),
					contract.CapabilityKoordletContainerEviction: strconv.FormatBool(o.koordletSocket != ""),
				},
			},
		}))
		ln, err := net.Listen("tcp", o.listenAddress)
		if err != nil {
			return err
		}
		serve(&g, srv, ln)
	}
	if o.koordletSocket != "" {
		ln, err := koordlet.Listen(o.koordletSocket)
		if err != nil {
			return fmt.Errorf("koordlet socket: %w", err)
		}
		serve(&g, koordlet.NewServer(koordlet.Handler(w, m, log.WithName("koordlet"))), ln)
	}
	if o.safetyNet {
		r := &safetynet.Runner{
			KoordletURL: o.koordletURL, Node: o.nodeName, BERequestCPUCores: o.beRequestCPUCores,
			ProcRoot: o.procRoot, Interval: o.safetyNetInterval, Thresholds: o.safetyNetThreshold,
			Worker: w, Log: log.WithName("safetyNet"), Reporter: m,
		}
		sctx, scancel := context.WithCancel(ctx)
		g.Add(func() error { return r.Run(sctx) }, func(error) { scancel() })
	}

	err = g.Run()
	if errors.Is(err, run.ErrSignal) {
		log.Info("shutting down", "reason", err.Error())
		return nil
	}
	return err
}

// serve runs srv on ln in g, shutting it down gracefully (5 s) when the group stops.
func serve(g *run.Group, srv *http.Server, ln net.Listener) {
	g.Add(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}, func(error) {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx)
	})
}

// newLogger returns a structured JSON logger (zap behind logr, like the operator). Keys are
// lowerCamel by convention at call sites; -v N enables V(N) debug logs.
func newLogger(verbosity int) logr.Logger {
	cfg := zap.NewProductionConfig()
	cfg.Level = zap.NewAtomicLevelAt(zapcore.Level(-verbosity))
	cfg.Sampling = nil
	z, err := cfg.Build()
	if err != nil {
		panic(fmt.Sprintf("building the logger: %v", err))
	}
	return zapr.NewLogger(z)
}
