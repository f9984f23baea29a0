package signaller_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/yarnproctest"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

// TestTermOnlyOnPreparedTree: the Spark executor that would get SIGPWR gets SIGTERM on its
// group instead, and the force-kill after the grace period is unchanged.
func TestTermOnlyOnPreparedTree(t *testing.T) {
	tree, rec, _, cs := fakeSetup(t)
	s := signaller.New(signaller.Config{ProcRoot: tree.Root, Grace: time.Minute, Sys: rec, Policy: signaller.PolicyTermOnly, Log: testr.New(t)})
	if !cs[sparkID].HandlesSIGPWR {
		t.Fatal("the prepared Spark executor must show a SIGPWR handler, or this test proves nothing")
	}
	preview, err := s.Shed(cs[sparkID], "r", time.Now(), time.Time{}, true)
	if err != nil || preview.Signal != "SIGTERM" || preview.Target != signaller.TargetGroup {
		t.Fatalf("dry run reports %+v %v, want SIGTERM to the group", preview, err)
	}
	now := time.Unix(1_800_000_000, 0)
	if _, err := s.Shed(cs[sparkID], "r", now, time.Time{}, false); err != nil {
		t.Fatal(err)
	}
	if s.State(sparkID) != signaller.StateLeavingTerminated {
		t.Fatalf("state %s", s.State(sparkID))
	}
	s.Reconcile([]discovery.Container{cs[sparkID]}, now.Add(59*time.Second))
	s.Reconcile([]discovery.Container{cs[sparkID]}, now.Add(time.Minute))
	want := []string{"group 100 TERM", "group 100 KILL", "pid 100 KILL", "pid 101 KILL"}
	if got := rec.List(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	if s.State(sparkID) != signaller.StateKilled {
		t.Fatalf("state %s", s.State(sparkID))
	}
}

// TestTermOnlyJVMWithHandlerGetsSIGTERM runs a real JVM that installs a SIGPWR handler the way
// Spark does; under TermOnly it must receive SIGTERM through its group, never SIGPWR.
func TestTermOnlyJVMWithHandlerGetsSIGTERM(t *testing.T) {
	fc := yarnproctest.Start(t, yarnproctest.Options{
		ContainerID: "container_e17_1410901177871_0011_01_000010", Program: yarnproctest.JVMWithPWRHandler})
	c := mustScan(t, fc.ID)
	if !c.HandlesSIGPWR {
		t.Fatalf("SigCgt of the JVM does not show the SIGPWR handler: %+v", c.Main)
	}
	counters := &countingCounters{}
	s := signaller.New(signaller.Config{ProcRoot: "/proc", Grace: time.Minute, Counters: counters,
		Policy: signaller.PolicyTermOnly, Log: testr.New(t)})
	act, err := s.Shed(c, "test", time.Now(), time.Time{}, false)
	if err != nil || act.Signal != "SIGTERM" || act.Target != signaller.TargetGroup || act.PID != fc.Wrapper.Process.Pid {
		t.Fatalf("action %+v err %v", act, err)
	}
	// The wrapper traps TERM and exits 0 itself; the JVM's own status is what it recorded.
	// 143 = 128+SIGTERM; a SIGPWR handler would have exited 0.
	if err := fc.WaitExit(t, jvmStartup); err != nil {
		t.Fatalf("wrapper: %v", err)
	}
	if got := fc.ReadMarker("wrapper-exit"); got != "143" {
		t.Errorf("JVM exit status seen by the wrapper = %q, want 143 (terminated by SIGTERM)", got)
	}
	if fc.HasMarker("pwr") {
		t.Error("the JVM received SIGPWR under TermOnly")
	}
	if !fc.HasMarker("shutdown-hook") {
		t.Error("shutdown hooks did not run: the JVM did not get SIGTERM")
	}
	if got := fc.ReadMarker("wrapper-signals"); got != "TERM" {
		t.Errorf("wrapper signals %q, want TERM (group signal, no PWR)", got)
	}
	s.Reconcile(nil, time.Now())
	if s.State(fc.ID) != signaller.StateGone {
		t.Errorf("state after exit %s", s.State(fc.ID))
	}
	if g, term, k := counters.get(); g != 0 || term != 1 || k != 0 {
		t.Errorf("counters graceful=%d term=%d kill=%d", g, term, k)
	}
}
