package koordlet_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/fakeproc"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/koordletclient"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/sigrec"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/internal/yarnproctest"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/koordlet"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/metrics"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient"
)

func TestMain(m *testing.M) { yarnproctest.Main(m) }

type fakeNM struct{ containers []nmclient.Container }

func (f *fakeNM) Containers(context.Context) ([]nmclient.Container, error) { return f.containers, nil }

func serve(t *testing.T, w *worker.Worker, m *metrics.Metrics) string {
	t.Helper()
	// A short directory: unix socket paths are limited to about 100 bytes.
	socket := filepath.Join(shortTempDir(t), "yarn-copilot", "yarn-copilot.sock")
	ln, err := koordlet.Listen(socket)
	if err != nil {
		t.Fatal(err)
	}
	srv := koordlet.NewServer(koordlet.Handler(w, m, testr.New(t)))
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return socket
}

func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "kl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// TestKoordletContainerEvictionOnARealLinuxContainerExecutorTree: koordlet asks for 1.5 cores
// from a NodeManager whose three 1-vcore containers run as real processes in a
// LinuxContainerExecutor tree. The guarder sheds two containers (at least 1.5 cores), the
// Spark executor by SIGPWR through its handler, and answers with what they held.
func TestKoordletContainerEvictionOnARealLinuxContainerExecutorTree(t *testing.T) {
	tree := yarnproctest.StartShedTree(t, yarnproctest.LinuxContainerExecutor, "0031")
	spark, mapreduce, tez := tree.Spark.ID, tree.MapReduce.ID, tree.Tez.ID
	m := metrics.New()
	sig := signaller.New(signaller.Config{ProcRoot: "/proc", Grace: time.Minute, Counters: worker.MetricCounters{M: m}, Log: testr.New(t)})
	nm := &fakeNM{containers: []nmclient.Container{
		{ID: spark, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 1024},
		{ID: mapreduce, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 1024},
		{ID: tez, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 1024},
	}}
	w := worker.New(worker.Config{Inventory: discovery.Scanner{ProcRoot: "/proc"}, NM: nm, Signaller: sig, Metrics: m, Log: testr.New(t)})
	client := koordletclient.New(serve(t, w, m))

	res := client.KillContainersByResource(koordletclient.CPURequest(1500))
	cpu, ok := res[koordlet.BatchCPU]
	if !ok || cpu.MilliValue() != 2000 {
		t.Fatalf("answer %v: want batch-cpu of 2 cores (two 1-vcore containers)", res)
	}
	target, _ := w.CurrentTarget()
	if target.VCores != 1 || target.MemoryMB != 3072 {
		t.Errorf("stored target %+v, want 1 vcore, 3072 MB (what runs minus 1.5 cores, rounded to free at least that)", target)
	}
	waitFor(t, func() bool { return tree.Spark.HasMarker("pwr") })
	if g, term := testutil.ToFloat64(m.GracefulSignals), testutil.ToFloat64(m.TerminateSignals); g != 1 || term != 1 {
		t.Errorf("graceful=%v terminate=%v, want 1 and 1", g, term)
	}
	if got := tree.NMSignals(); got != "" {
		t.Errorf("the NodeManager received %q", got)
	}
	if v := testutil.ToFloat64(m.KoordletRequests.WithLabelValues("served")); v != 1 {
		t.Errorf("koordlet_requests_total{served} = %v", v)
	}
}

// TestKoordletContainerEvictionByMemoryHoldsTheApplicationMaster: a memory eviction on a
// prepared /proc. The guarder picks by its ranking, keeps the AM while its tasks run, and
// answers in bytes; bad requests get 400 and an empty answer, which koordlet reads as nothing
// released.
func TestKoordletContainerEvictionByMemoryHoldsTheApplicationMaster(t *testing.T) {
	tree, err := fakeproc.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const (
		spark = "container_e17_1410901177871_0032_01_000002"
		task  = "container_e17_1410901177871_0033_01_000002"
		am    = "container_e17_1410901177871_0033_01_000001"
	)
	for _, c := range []struct {
		id, class string
		pid       int
		pwr       bool
	}{
		{spark, "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend", 100, true},
		{task, "org.apache.hadoop.mapred.YarnChild", 200, false},
		{am, "org.apache.hadoop.mapreduce.v2.app.MRAppMaster", 300, false},
	} {
		if err := tree.YarnContainer(c.id, c.pid, 5000, c.class, c.pwr); err != nil {
			t.Fatal(err)
		}
	}
	rec := &sigrec.Recorder{}
	m := metrics.New()
	sig := signaller.New(signaller.Config{ProcRoot: tree.Root, Grace: time.Minute, Sys: rec, Counters: worker.MetricCounters{M: m}, Log: testr.New(t)})
	nm := &fakeNM{containers: []nmclient.Container{
		{ID: spark, State: "RUNNING", TotalVCoresNeeded: 2, TotalMemoryNeededMB: 4096},
		{ID: task, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 2048},
		{ID: am, State: "RUNNING", TotalVCoresNeeded: 1, TotalMemoryNeededMB: 1024},
	}}
	w := worker.New(worker.Config{Inventory: discovery.Scanner{ProcRoot: tree.Root}, NM: nm, Signaller: sig, Metrics: m, Log: testr.New(t),
		Now: func() time.Time { return time.Unix(fakeproc.BootTime+3600, 0) }})
	client := koordletclient.New(serve(t, w, m))

	// 5 GiB: the Spark executor (4 GiB) and the MapReduce task (2 GiB); the AM stays.
	res := client.KillContainersByResource(koordletclient.MemoryRequest(5 << 30))
	mem, ok := res[koordlet.BatchMemory]
	if !ok || mem.Value() != 6<<30 {
		t.Fatalf("answer %v: want batch-memory of 6 GiB", res)
	}
	want := []string{"pid 101 PWR", "group 200 TERM"}
	if got := rec.List(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("signals %v, want %v", got, want)
	}
	plan, _ := w.LastPlan()
	if len(plan.HeldAMs) != 0 || len(plan.Plan.Remove) != 2 {
		t.Errorf("plan %+v", plan.Plan)
	}

	// Not koordlet's request shape: 400, and the client reads nothing.
	for _, bad := range []corev1.ResourceList{
		{koordlet.BatchCPU: resource.MustParse("-1")},
	} {
		if res := client.KillContainersByResource(bad); len(res) != 0 {
			t.Errorf("bad request %v answered %v", bad, res)
		}
	}
	if v := testutil.ToFloat64(m.KoordletRequests.WithLabelValues("invalid")); v != 1 {
		t.Errorf("koordlet_requests_total{invalid} = %v", v)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 90s")
		}
	}
}
