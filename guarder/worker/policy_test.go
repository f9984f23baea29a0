package worker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/fakeproc"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/sigrec"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
)

// TestSignalPolicyDrivesRankingAndSignal: an old Spark executor with a SIGPWR handler and a
// young MapReduce task hold the same resources. Under Graceful the executor goes first (it
// decommissions without loss); under TermOnly it would lose its work like the task, so the
// younger task goes, and nothing ever gets SIGPWR.
func TestSignalPolicyDrivesRankingAndSignal(t *testing.T) {
	tests := []struct {
		policy       signaller.Policy
		wantFirst    string
		wantGraceful bool
		wantSent     []string
	}{
		{signaller.PolicyGraceful, spark, true, []string{"pid 101 PWR"}},
		{signaller.PolicyTermOnly, mr, false, []string{"group 200 TERM"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			w, rec := policyWorker(t, tt.policy)
			r, err := w.SetTarget(context.Background(), worker.Target{VCores: 3, MemoryMB: 100000, Reason: "shrink"})
			if err != nil || len(r.Plan.Remove) != 1 {
				t.Fatalf("%+v %v", r.Plan, err)
			}
			if got := r.Plan.Remove[0]; got.ID != tt.wantFirst || got.Graceful != tt.wantGraceful {
				t.Fatalf("removed %+v, want %s graceful=%t", got, tt.wantFirst, tt.wantGraceful)
			}
			if got := rec.List(); fmt.Sprint(got) != fmt.Sprint(tt.wantSent) {
				t.Fatalf("sent %v, want %v", got, tt.wantSent)
			}
			if tt.policy != signaller.PolicyTermOnly {
				return
			}
			// Shrinking further takes the executor too: SIGTERM to its group, not SIGPWR.
			if _, err := w.SetTarget(context.Background(), worker.Target{VCores: 1, MemoryMB: 100000, Reason: "shrink"}); err != nil {
				t.Fatal(err)
			}
			want := []string{"group 200 TERM", "group 100 TERM"}
			if got := rec.List(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("sent %v, want %v", got, want)
			}
		})
	}
}

// policyWorker is fakeWorker's tree with the executor started long before the task.
func policyWorker(t *testing.T, policy signaller.Policy) (*worker.Worker, *sigrec.Recorder) {
	t.Helper()
	tree, err := fakeproc.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, class string
		pid       int
		ticks     uint64
		pwr       bool
	}{
		{spark, "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend", 100, 1000, true},
		{mr, "org.apache.hadoop.mapred.YarnChild", 200, 300000, false},
		{am, "org.apache.hadoop.mapreduce.v2.app.MRAppMaster", 300, 1000, false},
	} {
		if err := tree.YarnContainer(c.id, c.pid, c.ticks, c.class, c.pwr); err != nil {
			t.Fatal(err)
		}
	}
	rec := &sigrec.Recorder{}
	sig := signaller.New(signaller.Config{ProcRoot: tree.Root, Grace: time.Minute, Sys: rec, Policy: policy, Log: testr.New(t)})
	w := worker.New(worker.Config{
		Inventory: discovery.Scanner{ProcRoot: tree.Root}, NM: allocations(), Signaller: sig,
		Weights: selection.DefaultWeights(), Log: testr.New(t),
		Now: func() time.Time { return time.Unix(fakeproc.BootTime+3600, 0) },
	})
	return w, rec
}
