package worker_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/fakeproc"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/sigrec"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/yarnproctest"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/metrics"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient"
)

// TestMain lets the test binary also act as the stand-in NM and container-executor of the
// process trees (yarnproctest.StartTree).
func TestMain(m *testing.M) { yarnproctest.Main(m) }

type fakeNM struct {
	containers []nmclient.Container
	err        error
}

func (f *fakeNM) Containers(context.Context) ([]nmclient.Container, error) {
	return f.containers, f.err
}

const (
	spark = "container_e17_1410901177871_0001_01_000005"
	mr    = "container_e17_1410901177871_0002_01_000003"
	am    = "container_e17_1410901177871_0002_01_000001"
)

func fakeWorker(t *testing.T, nm *fakeNM, dryRun bool) (*worker.Worker, *sigrec.Recorder, *metrics.Metrics) {
	t.Helper()
	tree, err := fakeproc.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, class string
		pid       int
		pwr       bool
	}{
		{spark, "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend", 100, true},
		{mr, "org.apache.hadoop.mapred.YarnChild", 200, false},
		{am, "org.apache.hadoop.mapreduce.v2.app.MRAppMaster", 300, false},
	} {
		if err := tree.YarnContainer(c.id, c.pid, 5000, c.class, c.pwr); err != nil {
			t.Fatal(err)
		}
	}
	rec := &sigrec.Recorder{}
	m := metrics.New()
	sig := signaller.New(signaller.Config{ProcRoot: tree.Root, Grace: time.Minute, Sys: rec,
		Counters: worker.MetricCounters{M: m}, Log: testr.New(t)})
	w := worker.New(worker.Config{
		Inventory: discovery.Scanner{ProcRoot: tree.Root}, NM: nm, Signaller: sig,
		Weights: selection.DefaultWeights(), DryRun: dryRun, Metrics: m, Log: testr.New(t),
		Now: func() time.Time { return time.Unix(fakeproc.BootTime+3600, 0) },
	})
	return w, rec, m
}

func allocations() *fakeNM {
	return &fakeNM{containers: []nmclient.Container{
		{ID: spark, State: "RUNNING", TotalVCoresNeeded: 2, TotalMemoryNeededMB: 4096},
		{ID: mr, State: "RUNNING", TotalVCoresNeeded: 2, TotalMemoryNeededMB: 4096},
		{ID: am, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 2048},
	}}
}

func TestWorkerShedsGracefullyAndIsIdempotent(t *testing.T) {
	w, rec, m := fakeWorker(t, allocations(), false)
	target := worker.Target{VCores: 3, MemoryMB: 100000, Reason: "shrink"}
	report, err := w.SetTarget(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Plan.Remove) != 1 || report.Plan.Remove[0].ID != spark || len(report.Actions) != 1 || report.Actions[0].Signal != "SIGPWR" {
		t.Fatalf("report %+v", report)
	}
	if got := rec.List(); len(got) != 1 || got[0] != "pid 101 PWR" {
		t.Fatalf("sent %v", got)
	}
	// Same target again, and a loop cycle: the leaving container counts as removed.
	if r2, _ := w.SetTarget(context.Background(), target); len(r2.Plan.Remove) != 0 || len(r2.Plan.AlreadyLeaving) != 1 {
		t.Fatalf("second report %+v", r2)
	}
	if _, err := w.Cycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := rec.List(); len(got) != 1 {
		t.Fatalf("re-signalled: %v", got)
	}
	if v := testutil.ToFloat64(m.GracefulSignals); v != 1 {
		t.Fatalf("graceful counter %v", v)
	}
	if v := testutil.ToFloat64(m.Containers.WithLabelValues("leavingGraceful")); v != 1 {
		t.Fatalf("containers{leavingGraceful} %v", v)
	}
	if v := testutil.ToFloat64(m.TargetMemory); v != 100000*1024*1024 {
		t.Fatalf("target memory %v", v)
	}
	// Shrinking further takes the MapReduce task before the AM.
	r3, _ := w.SetTarget(context.Background(), worker.Target{VCores: 1, MemoryMB: 100000, Reason: "shrink"})
	if len(r3.Plan.Remove) != 1 || r3.Plan.Remove[0].ID != mr {
		t.Fatalf("third report %+v", r3.Plan)
	}
	if got := rec.List(); len(got) != 2 || got[1] != "group 200 TERM" {
		t.Fatalf("sent %v", got)
	}
	views := w.Containers()
	if len(views) != 3 || views[0].VCores == 0 || !w.Ready() {
		t.Fatalf("views %+v", views)
	}
}

func TestWorkerDryRunAndPreviewSignalNothing(t *testing.T) {
	w, rec, _ := fakeWorker(t, allocations(), true)
	report, err := w.SetTarget(context.Background(), worker.Target{VCores: 0, MemoryMB: 0, Reason: "x"})
	// All three are chosen; the AM is held back while its MapReduce task leaves.
	if err != nil || !report.DryRun || len(report.Plan.Remove) != 3 || len(report.Actions) != 2 || !report.Actions[0].DryRun ||
		len(report.HeldAMs) != 1 || report.HeldAMs[0] != am {
		t.Fatalf("%+v %v", report, err)
	}
	if len(rec.List()) != 0 {
		t.Fatalf("dry run signalled: %v", rec.List())
	}
	w2, rec2, _ := fakeWorker(t, allocations(), false)
	p, err := w2.Preview(context.Background(), worker.Target{VCores: 0, MemoryMB: 0, Reason: "x"})
	if err != nil || !p.DryRun || len(p.Plan.Remove) != 3 || len(rec2.List()) != 0 {
		t.Fatalf("preview %+v %v %v", p, err, rec2.List())
	}
	if _, ok := w2.CurrentTarget(); ok {
		t.Fatal("a preview must not store the target")
	}
}

func TestWorkerSignalsAHeldAMAtTheDeadline(t *testing.T) {
	w, rec, _ := fakeWorker(t, allocations(), false)
	// A deadline already inside the grace period: nothing may wait any longer.
	report, err := w.SetTarget(context.Background(), worker.Target{VCores: 0, MemoryMB: 0, Reason: "drain", Deadline: time.Unix(fakeproc.BootTime+3600, 0)})
	if err != nil || len(report.HeldAMs) != 0 || len(report.Actions) != 3 || len(rec.List()) != 3 {
		t.Fatalf("%+v %v %v", report, err, rec.List())
	}
}

func TestWorkerCountsContainersTheNMIsKillingAsRemoved(t *testing.T) {
	nm := allocations()
	nm.containers[0].State = "KILLING"
	w, rec, _ := fakeWorker(t, nm, false)
	report, err := w.SetTarget(context.Background(), worker.Target{VCores: 3, MemoryMB: 100000, Reason: "shrink"})
	if err != nil || len(report.Plan.Remove) != 0 || len(report.Plan.AlreadyLeaving) != 1 || len(rec.List()) != 0 {
		t.Fatalf("%+v %v %v", report.Plan, err, rec.List())
	}
}

func TestWorkerWithoutNodeManagerSelectsNothing(t *testing.T) {
	w, rec, _ := fakeWorker(t, &fakeNM{err: errors.New("connection refused")}, false)
	report, err := w.SetTarget(context.Background(), worker.Target{VCores: 0, MemoryMB: 0, Reason: "x"})
	if err != nil || report.Error == "" || len(report.Plan.Remove) != 0 || len(rec.List()) != 0 {
		t.Fatalf("%+v %v %v", report, err, rec.List())
	}
}

// TestWorkerEndToEndWithARealJVM runs the real scan, a fake NM and real signals.
func TestWorkerEndToEndWithARealJVM(t *testing.T) {
	const id = "container_e17_1410901177871_0003_01_000002"
	fc := yarnproctest.Start(t, yarnproctest.Options{ContainerID: id, Program: yarnproctest.JVMWithPWRHandler})
	m := metrics.New()
	sig := signaller.New(signaller.Config{ProcRoot: "/proc", Grace: time.Minute, Counters: worker.MetricCounters{M: m}, Log: testr.New(t)})
	nm := &fakeNM{containers: []nmclient.Container{{ID: id, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 1024}}}
	w := worker.New(worker.Config{Inventory: discovery.Scanner{ProcRoot: "/proc"}, NM: nm, Signaller: sig, Metrics: m, Log: testr.New(t)})
	report, err := w.SetTarget(context.Background(), worker.Target{VCores: 0, MemoryMB: 0, Reason: "e2e"})
	if err != nil || len(report.Actions) != 1 || report.Actions[0].Signal != "SIGPWR" {
		t.Fatalf("%+v %v", report, err)
	}
	fc.WaitMarker(t, "pwr", 90*time.Second)
	if err := fc.WaitExit(t, 90*time.Second); err != nil {
		t.Fatalf("wrapper: %v", err)
	}
	if fc.HasMarker("wrapper-signals") {
		t.Fatal("wrapper was signalled")
	}
	if _, err := w.Cycle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if sig.State(id) != signaller.StateGone || testutil.ToFloat64(m.ForceKills) != 0 {
		t.Fatalf("state %s kills %v", sig.State(id), testutil.ToFloat64(m.ForceKills))
	}
}

// TestWorkerReportsDockerRuntimeContainersAsUnreachable: the NM reports a container whose
// processes live in a Docker PID namespace; it is reported with its reason and counted, and
// nothing is signalled for it.
func TestWorkerReportsDockerRuntimeContainersAsUnreachable(t *testing.T) {
	const docker = "container_e17_1410901177871_0004_01_000002"
	tree, err := fakeproc.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []fakeproc.Proc{
		{PID: 10, PPID: 1, PGID: 10, Argv: []string{"java", "org.apache.hadoop.yarn.server.nodemanager.NodeManager"}},
		{PID: 20, PPID: 10, PGID: 10, StartTicks: 100, Argv: []string{"/opt/hadoop/bin/container-executor", "yarn", "yarn", "4", "application_1410901177871_0004", docker}},
		{PID: 21, PPID: 20, PGID: 10, StartTicks: 101, Argv: []string{"/usr/bin/docker", "run", "--name=" + docker}},
	} {
		if err := tree.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	rec := &sigrec.Recorder{}
	m := metrics.New()
	sig := signaller.New(signaller.Config{ProcRoot: tree.Root, Grace: time.Minute, Sys: rec, Log: testr.New(t)})
	nm := &fakeNM{containers: []nmclient.Container{{ID: docker, State: "RUNNING", TotalVCoresNeeded: 2, TotalMemoryNeededMB: 2048}}}
	w := worker.New(worker.Config{Inventory: discovery.Scanner{ProcRoot: tree.Root}, NM: nm, Signaller: sig, Metrics: m, Log: testr.New(t)})
	report, err := w.SetTarget(context.Background(), worker.Target{VCores: 0, MemoryMB: 0, Reason: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Unreachable) != 1 || report.Unreachable[0].ID != docker || report.Unreachable[0].Reason != "dockerRuntime" ||
		len(report.Actions) != 0 || len(rec.List()) != 0 {
		t.Fatalf("report %+v sent %v", report, rec.List())
	}
	if v := testutil.ToFloat64(m.UnreachableContainers.WithLabelValues("dockerRuntime")); v != 1 {
		t.Fatalf("unreachable{dockerRuntime} = %v", v)
	}
	if views := w.Containers(); len(views) != 1 || views[0].Unreachable != "dockerRuntime" || len(views[0].LauncherPIDs) != 2 {
		t.Fatalf("views %+v", views)
	}
}
