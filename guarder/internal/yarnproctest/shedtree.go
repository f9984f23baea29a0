package yarnproctest

import (
	"fmt"
	"testing"
	"time"
)

// ShedTree is the tree the shed-to-zero tests use: three 1-vcore containers of one application,
// a Spark executor with a SIGPWR handler, a MapReduce child without one and a Tez child that
// ignores SIGTERM, launched by executor.
type ShedTree struct {
	*Tree
	Spark, MapReduce, Tez *TreeProc
}

// StartShedTree starts a ShedTree for application app (4 digits, unique per test: packages
// run in parallel and scan the same /proc).
func StartShedTree(t testing.TB, executor Executor, app string) *ShedTree {
	t.Helper()
	id := func(seq int) string { return fmt.Sprintf("container_e17_1410901177871_%s_01_%06d", app, seq) }
	tree := StartTree(t, executor, []TreeContainer{
		{ID: id(2), JVM: SparkExecutorWithPWRHandler},
		{ID: id(3), JVM: MapReduceChildWithoutHandler},
		{ID: id(4), JVM: TezChildIgnoringTERM},
	})
	t.Cleanup(func() { t.Log("\n" + tree.Report()) })
	return &ShedTree{Tree: tree, Spark: tree.Containers[0], MapReduce: tree.Containers[1], Tez: tree.Containers[2]}
}

// NMAllocationsJSON is the NM's /ws/v1/node/containers body for the three containers.
func (s *ShedTree) NMAllocationsJSON() string {
	return fmt.Sprintf(`{"containers":{"container":[`+
		`{"id":%q,"state":"RUNNING","totalVCoresNeeded":1,"totalMemoryNeededMB":1024},`+
		`{"id":%q,"state":"RUNNING","totalVCoresNeeded":1,"totalMemoryNeededMB":1024},`+
		`{"id":%q,"state":"RUNNING","totalVCoresNeeded":1,"totalMemoryNeededMB":1024}]}}`,
		s.Spark.ID, s.MapReduce.ID, s.Tez.ID)
}

// WaitLaunchersExited waits until the NM has seen every launched process end.
func (s *ShedTree) WaitLaunchersExited(t testing.TB, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for _, p := range []*TreeProc{s.Spark, s.MapReduce, s.Tez} {
		for p.LauncherExit() == "" {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the process the NM launched still runs after %v", p.ID, timeout)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// CheckLeftByTheirProperPaths fails the test unless, after a shed to zero: the stand-in NM
// received nothing and still runs; no container-executor parent received anything; the Spark
// JVM got SIGPWR through its handler and nothing else; the MapReduce JVM got SIGTERM (its
// shutdown hooks ran); the Tez JVM recorded SIGTERM, ignored it and ended without shutdown
// hooks (SIGKILL); and each launcher ended as its waiting parent should see it.
func (s *ShedTree) CheckLeftByTheirProperPaths(t testing.TB) {
	t.Helper()
	if got := s.NMSignals(); got != "" {
		t.Errorf("the NodeManager received %q", got)
	}
	if s.NMExited() {
		t.Errorf("the NodeManager exited")
	}
	for _, p := range []*TreeProc{s.Spark, s.MapReduce, s.Tez} {
		if got := p.ExecutorSignals(); got != "" {
			t.Errorf("%s: the container-executor parent received %q", p.ID, got)
		}
	}
	if !s.Spark.HasMarker("pwr") || s.Spark.HasMarker("term") {
		t.Errorf("spark JVM: pwr=%v term=%v", s.Spark.HasMarker("pwr"), s.Spark.HasMarker("term"))
	}
	if !s.MapReduce.HasMarker("shutdown-hook") || s.MapReduce.HasMarker("pwr") {
		t.Errorf("mapreduce JVM: shutdown-hook=%v pwr=%v", s.MapReduce.HasMarker("shutdown-hook"), s.MapReduce.HasMarker("pwr"))
	}
	if !s.Tez.HasMarker("term") || s.Tez.HasMarker("shutdown-hook") || s.Tez.HasMarker("pwr") {
		t.Errorf("tez JVM: term=%v shutdown-hook=%v pwr=%v", s.Tez.HasMarker("term"), s.Tez.HasMarker("shutdown-hook"), s.Tez.HasMarker("pwr"))
	}
	// The session leader is the "bash -c" launch_container.sh execs; SIGTERM to the session
	// ends it at once (the Tez JVM outlives it until SIGKILL). Its waiting parent exits
	// normally with the session's status; with the single-script DCE the NM launched the
	// session leader itself.
	wantLauncher := map[*TreeProc]string{s.Spark: "exit 0", s.MapReduce: "exit 143", s.Tez: "exit 143"}
	switch s.Executor {
	case LinuxContainerExecutor:
		// container-executor's parent writes 0x80 + the signal that ended its setsid child.
		for p, want := range map[*TreeProc]string{s.Spark: "exit 0", s.MapReduce: "signal TERM", s.Tez: "signal TERM"} {
			if got := p.ExecutorChildExit(); got != want {
				t.Errorf("%s: container-executor's setsid child ended by %q, want %q", p.ID, got, want)
			}
		}
	case SingleScriptDefaultContainerExecutor:
		wantLauncher = map[*TreeProc]string{s.Spark: "exit 0", s.MapReduce: "signal TERM", s.Tez: "signal TERM"}
	}
	for p, want := range wantLauncher {
		if got := p.LauncherExit(); got != want {
			t.Errorf("%s: the process the NM launched ended by %q, want %q", p.ID, got, want)
		}
	}
}
