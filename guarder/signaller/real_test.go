package signaller_test

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/yarnproctest"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

// TestMain lets the test binary also act as the stand-in NM and container-executor of the
// process trees (yarnproctest.StartTree).
func TestMain(m *testing.M) { yarnproctest.Main(m) }

// Container ids in this package use application 0011: packages run in parallel and scan the
// same /proc, so a shared id would merge two test trees into one container.

// jvmStartup bounds how long a JVM may take to start on a loaded 2-core machine.
const jvmStartup = 90 * time.Second

type countingCounters struct {
	mu                     sync.Mutex
	graceful, term, killed int
}

func (c *countingCounters) GracefulSignal()  { c.mu.Lock(); c.graceful++; c.mu.Unlock() }
func (c *countingCounters) TerminateSignal() { c.mu.Lock(); c.term++; c.mu.Unlock() }
func (c *countingCounters) ForceKill()       { c.mu.Lock(); c.killed++; c.mu.Unlock() }
func (c *countingCounters) get() (int, int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.graceful, c.term, c.killed
}

func scanFor(t *testing.T, id string) (discovery.Container, bool) {
	t.Helper()
	all, err := discovery.Scanner{ProcRoot: "/proc"}.Scan()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.ID.String() == id {
			return c, true
		}
	}
	return discovery.Container{}, false
}

func mustScan(t *testing.T, id string) discovery.Container {
	t.Helper()
	c, ok := scanFor(t, id)
	if !ok {
		t.Fatalf("container %s not found in /proc", id)
	}
	return c
}

func newSignaller(t *testing.T, grace time.Duration, counters signaller.Counters) *signaller.Signaller {
	return signaller.New(signaller.Config{ProcRoot: "/proc", Grace: grace, Counters: counters, Log: testr.New(t)})
}

func TestSIGPWRGoesToTheJVMOnly(t *testing.T) {
	fc := yarnproctest.Start(t, yarnproctest.Options{
		ContainerID: "container_e17_1410901177871_0011_01_000005", Program: yarnproctest.JVMWithPWRHandler})
	c := mustScan(t, fc.ID)
	if !c.HandlesSIGPWR {
		t.Fatalf("SigCgt of the JVM does not show the SIGPWR handler: %+v", c.Main)
	}
	counters := &countingCounters{}
	s := newSignaller(t, time.Minute, counters)
	act, err := s.Shed(c, "test", time.Now(), time.Time{}, false)
	if err != nil || act.Signal != "SIGPWR" || act.Target != "process" || act.PID != c.Main.PID {
		t.Fatalf("action %+v err %v", act, err)
	}
	if s.State(fc.ID) != signaller.StateLeavingGraceful {
		t.Fatalf("state %s", s.State(fc.ID))
	}
	// A repeated target must not signal again.
	if again, _ := s.Shed(c, "test", time.Now(), time.Time{}, false); again.Signal != "" {
		t.Fatalf("second Shed acted: %+v", again)
	}
	fc.WaitMarker(t, "pwr", jvmStartup)
	if err := fc.WaitExit(t, jvmStartup); err != nil {
		t.Fatalf("wrapper did not exit cleanly: %v", err)
	}
	if got := fc.ReadMarker("wrapper-exit"); got != "0" {
		t.Errorf("JVM exit status seen by the wrapper = %q, want 0", got)
	}
	if fc.HasMarker("wrapper-signals") {
		t.Errorf("the bash wrapper was signalled: %q", fc.ReadMarker("wrapper-signals"))
	}
	s.Reconcile(nil, time.Now())
	if s.State(fc.ID) != signaller.StateGone {
		t.Errorf("state after exit %s", s.State(fc.ID))
	}
	if g, term, k := counters.get(); g != 1 || term != 0 || k != 0 {
		t.Errorf("counters graceful=%d term=%d kill=%d", g, term, k)
	}
}

func TestJVMWithoutHandlerGetsSIGTERMOnTheGroup(t *testing.T) {
	fc := yarnproctest.Start(t, yarnproctest.Options{
		ContainerID: "container_e17_1410901177871_0011_01_000006", Program: yarnproctest.JVMWithoutHandler})
	c := mustScan(t, fc.ID)
	if c.HandlesSIGPWR {
		t.Fatalf("a JVM without handler must not show SIGPWR in SigCgt")
	}
	counters := &countingCounters{}
	s := newSignaller(t, time.Minute, counters)
	act, err := s.Shed(c, "test", time.Now(), time.Time{}, false)
	if err != nil || act.Signal != "SIGTERM" || act.Target != "group" || act.PID != fc.Wrapper.Process.Pid {
		t.Fatalf("action %+v err %v", act, err)
	}
	_ = fc.WaitExit(t, jvmStartup)
	if !fc.HasMarker("shutdown-hook") {
		t.Error("shutdown hooks did not run: the JVM did not get SIGTERM")
	}
	if fc.HasMarker("pwr") {
		t.Error("the JVM received SIGPWR")
	}
	if got := fc.ReadMarker("wrapper-signals"); got != "TERM" {
		t.Errorf("wrapper signals %q, want TERM (group signal)", got)
	}
	if g, term, k := counters.get(); g != 0 || term != 1 || k != 0 {
		t.Errorf("counters graceful=%d term=%d kill=%d", g, term, k)
	}
}

func TestTERMIgnoringContainerIsForceKilledAfterGrace(t *testing.T) {
	fc := yarnproctest.Start(t, yarnproctest.Options{
		ContainerID: "container_e17_1410901177871_0011_01_000007", Program: yarnproctest.TermIgnoringShell})
	c := mustScan(t, fc.ID)
	if len(c.Processes) < 2 {
		t.Fatalf("want wrapper and child, got %+v", c.Processes)
	}
	counters := &countingCounters{}
	const grace = 500 * time.Millisecond
	s := newSignaller(t, grace, counters)
	start := time.Now()
	if act, err := s.Shed(c, "test", start, time.Time{}, false); err != nil || act.Signal != "SIGTERM" {
		t.Fatalf("action %+v err %v", act, err)
	}
	// Before the grace period nothing is escalated, and SIGTERM was ignored.
	if acts := s.Reconcile([]discovery.Container{mustScan(t, fc.ID)}, start); len(acts) != 0 {
		t.Fatalf("escalated before the grace period: %+v", acts)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !fc.Exited() {
		if time.Now().After(deadline) {
			t.Fatal("container still running after grace + 30s")
		}
		cur, ok := scanFor(t, fc.ID)
		var present []discovery.Container
		if ok {
			present = append(present, cur)
		}
		s.Reconcile(present, time.Now())
		time.Sleep(50 * time.Millisecond)
	}
	if time.Since(start) < grace {
		t.Fatal("killed before the grace period")
	}
	if sig, ok := fc.ExitSignal(); !ok || sig != syscall.SIGKILL {
		t.Fatalf("wrapper ended by %v (signalled=%v), want SIGKILL", sig, ok)
	}
	// Every member is gone, not only the wrapper.
	waitGone(t, fc.ID)
	s.Reconcile(nil, time.Now())
	if st := s.State(fc.ID); st != signaller.StateGone {
		t.Errorf("state %s", st)
	}
	if g, term, k := counters.get(); g != 0 || term != 1 || k != 1 {
		t.Errorf("counters graceful=%d term=%d kill=%d", g, term, k)
	}
}

// TestReusedPIDIsNeverSignalled records a real process, then presents it to the signaller with
// a different start time: exactly what a reused pid looks like. It must survive.
func TestReusedPIDIsNeverSignalled(t *testing.T) {
	bash := yarnproctest.Start(t, yarnproctest.Options{
		ContainerID: "container_e17_1410901177871_0011_01_000008", Program: yarnproctest.TermIgnoringShell})
	victim := exec.Command("sleep", "600")
	victim.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	victim.Env = append(os.Environ(), "CONTAINER_ID=container_e17_1410901177871_0011_01_000009")
	if err := victim.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = victim.Wait(); close(done) }()
	t.Cleanup(func() { _ = victim.Process.Kill(); <-done })

	// Poll: right after fork the child still has the test's environment, until exec.
	var c discovery.Container
	for deadline := time.Now().Add(10 * time.Second); ; {
		var ok bool
		if c, ok = scanFor(t, "container_e17_1410901177871_0011_01_000009"); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("victim never appeared in /proc")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The recorded identity is from before the "reuse": one tick earlier.
	for i := range c.Processes {
		c.Processes[i].StartTicks--
	}
	s := newSignaller(t, 0, nil)
	if _, err := s.Shed(c, "test", time.Now(), time.Time{}, false); err == nil {
		t.Fatal("Shed signalled a process whose identity changed")
	}
	// Force-kill escalation with stale identities must not hit it either.
	s.Reconcile([]discovery.Container{c}, time.Now().Add(time.Hour))
	// The bash container ignoring TERM was not touched either (it is another container).
	select {
	case <-done:
		t.Fatal("the reused pid was signalled")
	case <-time.After(200 * time.Millisecond):
	}
	if bash.Exited() {
		t.Fatal("an unrelated container died")
	}
	if err := victim.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("victim gone: %v", err)
	}
}

func waitGone(t *testing.T, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, ok := scanFor(t, id); !ok {
			return
		}
		if time.Now().After(deadline) {
			c, _ := scanFor(t, id)
			var pids []string
			for _, p := range c.Processes {
				pids = append(pids, p.Comm)
			}
			t.Fatalf("processes of %s still present: %s", id, strings.Join(pids, ","))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
