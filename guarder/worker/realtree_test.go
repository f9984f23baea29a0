package worker_test

import (
	"context"
	"fmt"
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
// the upstream sources. Each tree holds three containers: a Spark executor with a SIGPWR
// handler, a MapReduce child without one, and a Tez child that ignores SIGTERM. The guarder
// sheds to zero with the real scanner, signaller and worker; a fake NM reports allocations.
//
// Every container must leave by its proper path, and the stand-in NM and every launcher
// (container-executor parent, DCE wrapper) must receive nothing.

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
	id := func(seq int) string { return fmt.Sprintf("container_e17_1410901177871_%s_01_%06d", app, seq) }
	spark, mapreduce, tez := id(2), id(3), id(4)
	tree := yarnproctest.StartTree(t, executor, []yarnproctest.TreeContainer{
		{ID: spark, JVM: yarnproctest.SparkExecutorWithPWRHandler},
		{ID: mapreduce, JVM: yarnproctest.MapReduceChildWithoutHandler},
		{ID: tez, JVM: yarnproctest.TezChildIgnoringTERM},
	})
	t.Cleanup(func() { t.Log("\n" + tree.Report()) })
	procs := map[string]*yarnproctest.TreeProc{}
	for _, p := range tree.Containers {
		procs[p.ID] = p
	}

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
	for {
		if _, err := w.Cycle(context.Background()); err != nil {
			t.Fatal(err)
		}
		if sig.State(spark) == signaller.StateGone && sig.State(mapreduce) == signaller.StateGone && sig.State(tez) == signaller.StateGone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("containers still present after 90s: spark %s, mapreduce %s, tez %s", sig.State(spark), sig.State(mapreduce), sig.State(tez))
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The stand-in NM received nothing and is still running.
	if got := tree.NMSignals(); got != "" {
		t.Errorf("the NodeManager received %q", got)
	}
	if tree.NMExited() {
		t.Errorf("the NodeManager exited")
	}
	// Spark: SIGPWR through its handler, nothing else.
	sp := procs[spark]
	if !sp.HasMarker("pwr") || sp.HasMarker("term") {
		t.Errorf("spark JVM: pwr=%v term=%v", sp.HasMarker("pwr"), sp.HasMarker("term"))
	}
	// MapReduce: SIGTERM to its session: shutdown hooks ran, no SIGPWR.
	mr := procs[mapreduce]
	if !mr.HasMarker("shutdown-hook") || mr.HasMarker("pwr") {
		t.Errorf("mapreduce JVM: shutdown-hook=%v pwr=%v", mr.HasMarker("shutdown-hook"), mr.HasMarker("pwr"))
	}
	// Tez: SIGTERM recorded and ignored, then SIGKILL after the grace (no shutdown hook).
	tz := procs[tez]
	if !tz.HasMarker("term") || tz.HasMarker("shutdown-hook") || tz.HasMarker("pwr") {
		t.Errorf("tez JVM: term=%v shutdown-hook=%v pwr=%v", tz.HasMarker("term"), tz.HasMarker("shutdown-hook"), tz.HasMarker("pwr"))
	}
	if time.Since(start) < grace {
		t.Errorf("everything gone in %v, before the %v grace", time.Since(start), grace)
	}
	if g, term, k := testutil.ToFloat64(m.GracefulSignals), testutil.ToFloat64(m.TerminateSignals), testutil.ToFloat64(m.ForceKills); g != 1 || term != 2 || k != 1 {
		t.Errorf("counters graceful=%v terminate=%v forceKills=%v, want 1 2 1", g, term, k)
	}

	// How each launched process ended, as its waiting parent saw it. The session leader is
	// the "bash -c" that launch_container.sh execs; SIGTERM to the session ends it at once.
	wantLauncher := map[string]string{spark: "exit 0", mapreduce: "exit 143", tez: "exit 143"}
	switch executor {
	case yarnproctest.LinuxContainerExecutor:
		// container-executor's parent exits with 0x80 + the signal that ended its child.
		for cid, want := range map[string]string{spark: "exit 0", mapreduce: "signal TERM", tez: "signal TERM"} {
			if got := procs[cid].ExecutorChildExit(); got != want {
				t.Errorf("%s: container-executor's setsid child ended by %q, want %q", cid, got, want)
			}
			if got := procs[cid].ExecutorSignals(); got != "" {
				t.Errorf("%s: the container-executor parent received %q", cid, got)
			}
		}
	case yarnproctest.SingleScriptDefaultContainerExecutor:
		// The NM launched the session leader itself.
		wantLauncher = map[string]string{spark: "exit 0", mapreduce: "signal TERM", tez: "signal TERM"}
	}
	for cid, want := range wantLauncher {
		waitFor(t, func() bool { return procs[cid].LauncherExit() != "" })
		if got := procs[cid].LauncherExit(); got != want {
			t.Errorf("%s: the process the NM launched ended by %q, want %q", cid, got, want)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
	}
}
