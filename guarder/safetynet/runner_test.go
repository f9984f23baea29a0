package safetynet

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
)

type fakeWorker struct {
	target *worker.Target
	views  []worker.ContainerView
	set    []worker.Target
}

func (f *fakeWorker) CurrentTarget() (worker.Target, bool) {
	if f.target == nil {
		return worker.Target{}, false
	}
	return *f.target, true
}
func (f *fakeWorker) Containers() []worker.ContainerView { return f.views }
func (f *fakeWorker) SetTarget(_ context.Context, t worker.Target) (worker.PlanReport, error) {
	f.set = append(f.set, t)
	f.target = &t
	return worker.PlanReport{}, nil
}

type ruleRecorder struct {
	active  map[string]bool
	missing map[string][]string
}

func (r *ruleRecorder) SafetyNetRule(rule string, active bool, missing []string) {
	if r.active == nil {
		r.active, r.missing = map[string]bool{}, map[string][]string{}
	}
	r.active[rule], r.missing[rule] = active, missing
}

func TestRunnerLowersButNeverRaises(t *testing.T) {
	body := koordletText
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }))
	defer srv.Close()
	proc := t.TempDir()
	// 100 GiB node; koordletText reports 64 GiB used (64%): memory rule quiet at 65%.
	if err := os.WriteFile(filepath.Join(proc, "meminfo"), []byte("MemTotal:       104857600 kB\nMemFree: 1 kB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fw := &fakeWorker{
		target: &worker.Target{VCores: 20, MemoryMB: 50000, Reason: "operator", Deadline: time.Unix(2_000_000_000, 0)},
		views: []worker.ContainerView{
			{ID: "a", VCores: 4, MemoryMB: 8192, State: signaller.StateRunning},
			{ID: "b", VCores: 4, MemoryMB: 8192, State: signaller.StateRunning},
			{ID: "c", VCores: 4, MemoryMB: 8192, State: signaller.StateLeavingGraceful},
		},
	}
	th := DefaultThresholds()
	th.CPUEvictSatisfactionLowerPercent = 60
	rep := &ruleRecorder{}
	r := &Runner{KoordletURL: srv.URL, Node: "n1", ProcRoot: proc,
		Interval: time.Second, Thresholds: th, Worker: fw, Log: testr.New(t), Reporter: rep}
	// Suppress 8 cores of the node's 20 requested (40%), BE used 7.5 (94%): shed to floor(8*0.85)=6.
	if err := r.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(fw.set) != 1 || fw.set[0].VCores != 6 || fw.set[0].MemoryMB != 50000 || !fw.set[0].Deadline.Equal(fw.target.Deadline) {
		t.Fatalf("set %+v", fw.set)
	}
	// Same conditions again: target already as low, no new call.
	if err := r.Once(context.Background()); err != nil || len(fw.set) != 1 {
		t.Fatalf("repeated: %v %+v", err, fw.set)
	}
	if rep.active["cpuSatisfaction"] != true || rep.active["memory"] != true {
		t.Fatalf("rules %+v", rep.active)
	}
	// A koordlet before v1.6: the memory rule is reported inactive with the missing metric.
	body = koordletV15Text
	if err := r.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rep.active["memory"] || fmt.Sprint(rep.missing["memory"]) != "[koordlet_node_used_memory_bytes]" || !rep.active["cpuSatisfaction"] {
		t.Fatalf("koordlet v1.5: active %v missing %v", rep.active, rep.missing)
	}
	// Malformed exposition: an error and no action.
	body = "koordlet_be_suppress_cpu_cores{node=\"n1\" 1\n"
	if err := r.Once(context.Background()); err == nil || len(fw.set) != 1 {
		t.Fatalf("malformed: %v %+v", err, fw.set)
	}
}
