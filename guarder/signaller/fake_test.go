package signaller_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/fakeproc"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/sigrec"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

const (
	sparkID = "container_e17_1410901177871_0001_01_000005"
	mrID    = "container_e17_1410901177871_0001_01_000006"
)

func fakeSetup(t *testing.T) (*fakeproc.Tree, *sigrec.Recorder, *signaller.Signaller, map[string]discovery.Container) {
	t.Helper()
	tree, err := fakeproc.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.YarnContainer(sparkID, 100, 5000, "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend", true); err != nil {
		t.Fatal(err)
	}
	if err := tree.YarnContainer(mrID, 200, 6000, "org.apache.hadoop.mapred.YarnChild", false); err != nil {
		t.Fatal(err)
	}
	rec := &sigrec.Recorder{}
	s := signaller.New(signaller.Config{ProcRoot: tree.Root, Grace: time.Minute, Sys: rec, Log: testr.New(t)})
	return tree, rec, s, scanTree(t, tree)
}

func scanTree(t *testing.T, tree *fakeproc.Tree) map[string]discovery.Container {
	t.Helper()
	all, err := discovery.Scanner{ProcRoot: tree.Root}.Scan()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]discovery.Container{}
	for _, c := range all {
		out[c.ID.String()] = c
	}
	return out
}

func TestPolicyOnPreparedTree(t *testing.T) {
	_, rec, s, cs := fakeSetup(t)
	now := time.Unix(1_800_000_000, 0)
	if _, err := s.Shed(cs[sparkID], "r", now, time.Time{}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Shed(cs[mrID], "r", now, time.Time{}, false); err != nil {
		t.Fatal(err)
	}
	// Repeated target: no new signal.
	_, _ = s.Shed(cs[sparkID], "r", now, time.Time{}, false)
	_, _ = s.Shed(cs[mrID], "r", now, time.Time{}, false)
	want := []string{"pid 101 PWR", "group 200 TERM"}
	if got := rec.List(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	// Not yet due.
	s.Reconcile([]discovery.Container{cs[sparkID], cs[mrID]}, now.Add(59*time.Second))
	if got := rec.List(); len(got) != 2 {
		t.Fatalf("escalated early: %v", got)
	}
	// Due: SIGKILL to the group and each member.
	s.Reconcile([]discovery.Container{cs[sparkID]}, now.Add(time.Minute))
	want = append(want, "group 100 KILL", "pid 100 KILL", "pid 101 KILL")
	if got := rec.List(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	if s.State(sparkID) != signaller.StateKilled || s.State(mrID) != signaller.StateGone {
		t.Fatalf("states %s %s", s.State(sparkID), s.State(mrID))
	}
	for _, line := range rec.List() {
		if line == "group 100 PWR" || line == "group 200 PWR" {
			t.Fatal("SIGPWR sent to a process group")
		}
	}
}

func TestDryRunSendsAndRecordsNothing(t *testing.T) {
	_, rec, s, cs := fakeSetup(t)
	act, err := s.Shed(cs[sparkID], "r", time.Now(), time.Time{}, true)
	if err != nil || !act.DryRun || act.Signal != "SIGPWR" {
		t.Fatalf("%+v %v", act, err)
	}
	if len(rec.List()) != 0 || s.State(sparkID) != signaller.StateRunning {
		t.Fatalf("dry run acted: %v %s", rec.List(), s.State(sparkID))
	}
}

func TestDeadlineBringsTheKillForward(t *testing.T) {
	_, rec, s, cs := fakeSetup(t)
	now := time.Unix(1_800_000_000, 0)
	if _, err := s.Shed(cs[mrID], "r", now, now.Add(5*time.Second), false); err != nil {
		t.Fatal(err)
	}
	s.Reconcile([]discovery.Container{cs[mrID]}, now.Add(5*time.Second))
	if s.State(mrID) != signaller.StateKilled || len(rec.List()) < 2 {
		t.Fatalf("state %s sent %v", s.State(mrID), rec.List())
	}
}

// TestReusedPIDOnPreparedTree replaces the recorded processes by others with the same pids.
func TestReusedPIDOnPreparedTree(t *testing.T) {
	tests := []struct {
		name    string
		replace func(*fakeproc.Tree) error
	}{
		{"later start time", func(tr *fakeproc.Tree) error {
			for _, pid := range []int{100, 101} {
				if err := tr.Write(fakeproc.Proc{PID: pid, PPID: 1, PGID: 100, StartTicks: 90000, Argv: []string{"java", "Other"},
					Env: []string{"CONTAINER_ID=" + sparkID}, SigCgt: fakeproc.SigPWRMask}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"other container id", func(tr *fakeproc.Tree) error {
			return tr.YarnContainer("container_e17_1410901177871_0042_01_000002", 100, 5000,
				"org.apache.spark.executor.YarnCoarseGrainedExecutorBackend", true)
		}},
		{"gone", func(tr *fakeproc.Tree) error {
			if err := tr.Remove(100); err != nil {
				return err
			}
			return tr.Remove(101)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, rec, s, cs := fakeSetup(t)
			stale := cs[sparkID]
			if err := tt.replace(tree); err != nil {
				t.Fatal(err)
			}
			now := time.Unix(1_800_000_000, 0)
			_, err := s.Shed(stale, "r", now, time.Time{}, false)
			if !errors.Is(err, signaller.ErrNoVerifiedProcess) {
				t.Fatalf("Shed err %v", err)
			}
			s.Reconcile([]discovery.Container{stale}, now.Add(time.Hour))
			if got := rec.List(); len(got) != 0 {
				t.Fatalf("signalled a replaced process: %v", got)
			}
		})
	}
}

// TestReplacedAfterGracefulSignal: the JVM got SIGPWR, then both pids were reused before the
// kill time; escalation must find nothing to kill.
func TestReplacedAfterGracefulSignal(t *testing.T) {
	tree, rec, s, cs := fakeSetup(t)
	now := time.Unix(1_800_000_000, 0)
	if _, err := s.Shed(cs[sparkID], "r", now, time.Time{}, false); err != nil {
		t.Fatal(err)
	}
	for _, pid := range []int{100, 101} {
		if err := tree.Write(fakeproc.Proc{PID: pid, PPID: 1, PGID: 100, StartTicks: 99999, Argv: []string{"sleep"},
			Env: []string{"CONTAINER_ID=" + sparkID}}); err != nil {
			t.Fatal(err)
		}
	}
	s.Reconcile([]discovery.Container{cs[sparkID]}, now.Add(2*time.Minute))
	if got := rec.List(); len(got) != 1 {
		t.Fatalf("sent %v, want only the first SIGPWR", got)
	}
	if s.State(sparkID) != signaller.StateGone {
		t.Fatalf("state %s", s.State(sparkID))
	}
}

// TestSharedGroupIsSignalledProcessByProcess: a process of no container sits in the
// container's process group, so the group is never signalled as a whole; each verified member
// gets the signal instead, first SIGTERM and SIGKILL at the kill time.
func TestSharedGroupIsSignalledProcessByProcess(t *testing.T) {
	tree, rec, s, _ := fakeSetup(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(tree.Write(fakeproc.Proc{PID: 250, PPID: 1, PGID: 200, SID: 200, Comm: "stranger", StartTicks: 7000, Argv: []string{"/usr/bin/stranger"}}))
	cs := scanTree(t, tree)
	mr := cs[mrID]
	if mr.PGID != 0 || mr.Leader == nil || mr.Leader.PID != 200 {
		t.Fatalf("container %+v: want no signallable group", mr)
	}
	now := time.Unix(1_800_000_000, 0)
	act, err := s.Shed(mr, "r", now, time.Time{}, false)
	if err != nil || act.Signal != "SIGTERM" || act.Target != signaller.TargetProcesses {
		t.Fatalf("%+v %v", act, err)
	}
	s.Reconcile([]discovery.Container{mr}, now.Add(time.Minute))
	want := []string{"pid 200 TERM", "pid 201 TERM", "pid 200 KILL", "pid 201 KILL"}
	if got := rec.List(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
}
