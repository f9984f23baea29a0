package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/yarnproctest"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/metrics"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient"
)

// The trees below are built from real processes the way Hadoop 3 (and the older single-script
// DefaultContainerExecutor) builds them; see yarnproctest.StartTree and discovery/doc.go for
// the upstream sources. The guarder sheds to zero with the real scanner, signaller and worker;
// a fake NM reports allocations. Every container must leave by its proper path, and the
// stand-in NM and every launcher (container-executor parent, DCE wrapper) must receive nothing.

func TestShedToZeroOnLinuxContainerExecutorTree(t *testing.T) {
	shedTreeToZero(t, yarnproctest.LinuxContainerExecutor, "0021")
}

func TestShedToZeroOnDefaultContainerExecutorTree(t *testing.T) {
	shedTreeToZero(t, yarnproctest.DefaultContainerExecutor, "0022")
}

func TestShedToZeroOnSingleScriptDefaultContainerExecutorTree(t *testing.T) {
	shedTreeToZero(t, yarnproctest.SingleScriptDefaultContainerExecutor, "0023")
}

func shedTreeToZero(t *testing.T, executor yarnproctest.Executor, app string) {
	tree := yarnproctest.StartShedTree(t, executor, app)
	spark, mapreduce, tez := tree.Spark.ID, tree.MapReduce.ID, tree.Tez.ID
	procs := map[string]*yarnproctest.TreeProc{spark: tree.Spark, mapreduce: tree.MapReduce, tez: tree.Tez}

	// Discovery: each container's group is the session YARN created, and the launch chain
	// is set apart.
	found, err := discovery.Scanner{ProcRoot: "/proc"}.Scan()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, c := range found {
		p, ok := procs[c.ID.String()]
		if !ok {
			continue
		}
		seen++
		session := p.SessionPID()
		if c.Leader == nil || c.Leader.PID != session || c.Session != session || c.PGID != session {
			t.Errorf("%s: leader %v session %d pgid %d, want the pid-file pid %d for all three", c.ID, c.Leader, c.Session, c.PGID, session)
		}
		for _, m := range c.Processes {
			if m.PID == tree.NM.Process.Pid || m.Session != session {
				t.Errorf("%s: member %d (%v) is outside the container's session %d", c.ID, m.PID, m.Argv, session)
			}
		}
		wantLaunchers := 1
		if executor == yarnproctest.SingleScriptDefaultContainerExecutor {
			wantLaunchers = 0
		}
		if len(c.Launchers) != wantLaunchers {
			t.Errorf("%s: launchers %+v, want %d", c.ID, c.Launchers, wantLaunchers)
		}
		for _, l := range c.Launchers {
			if l.PGID != tree.NM.Process.Pid {
				t.Errorf("%s: launcher %d in group %d, want the NM's %d", c.ID, l.PID, l.PGID, tree.NM.Process.Pid)
			}
		}
	}
	if seen != 3 {
		t.Fatalf("discovered %d of 3 containers", seen)
	}

	m := metrics.New()
	const grace = 3 * time.Second
	sig := signaller.New(signaller.Config{ProcRoot: "/proc", Grace: grace, Counters: worker.MetricCounters{M: m}, Log: testr.New(t)})
	nm := &fakeNM{containers: []nmclient.Container{
		{ID: spark, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 1024},
		{ID: mapreduce, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 1024},
		{ID: tez, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 1024},
	}}
	w := worker.New(worker.Config{Inventory: discovery.Scanner{ProcRoot: "/proc"}, NM: nm, Signaller: sig, Metrics: m, Log: testr.New(t)})
	report, err := w.SetTarget(context.Background(), worker.Target{VCores: 0, MemoryMB: 0, Reason: "shed to zero"})
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]string{}
	for _, a := range report.Actions {
		first[a.ContainerID] = a.Signal + " " + a.Target
		if a.Err != "" {
			t.Errorf("action %+v failed", a)
		}
	}
	want := map[string]string{spark: "SIGPWR process", mapreduce: "SIGTERM group", tez: "SIGTERM group"}
	for cid, w := range want {
		if first[cid] != w {
			t.Errorf("%s: first signal %q, want %q (all actions %+v)", cid, first[cid], w, report.Actions)
		}
	}

	// Run the loop until every container is gone: the Tez JVM needs SIGKILL after the grace.
	start := time.Now()
	deadline := start.Add(90 * time.Second)
	for sig.State(spark) != signaller.StateGone || sig.State(mapreduce) != signaller.StateGone || sig.State(tez) != signaller.StateGone {
		if _, err := w.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("containers still present after 90s: spark %s, mapreduce %s, tez %s", sig.State(spark), sig.State(mapreduce), sig.State(tez))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if time.Since(start) < grace {
		t.Errorf("everything gone in %v, before the %v grace", time.Since(start), grace)
	}
	if g, term, k := testutil.ToFloat64(m.GracefulSignals), testutil.ToFloat64(m.TerminateSignals), testutil.ToFloat64(m.ForceKills); g != 1 || term != 2 || k != 1 {
		t.Errorf("counters graceful=%v terminate=%v forceKills=%v, want 1 2 1", g, term, k)
	}
	tree.WaitLaunchersExited(t, 10*time.Second)
	tree.CheckLeftByTheirProperPaths(t)
}
