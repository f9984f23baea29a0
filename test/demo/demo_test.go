package demo

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/localcluster"
	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// TestDemoEndToEnd runs a short demo (75 s of run) with every real component: etcd,
// kube-apiserver, kube-scheduler, kwok, Prometheus, the RM emulator and the real operator
// binary. It runs when DEMO_E2E=1 or ELASTIC_YARN_REQUIRE_REAL=1 (make test); the first run
// on a machine builds kwok (a few minutes, then cached).
func TestDemoEndToEnd(t *testing.T) {
	if os.Getenv("DEMO_E2E") != "1" && !realcomponents.Required() {
		t.Skip("set DEMO_E2E=1 (or ELASTIC_YARN_REQUIRE_REAL=1) to run the demo end to end")
	}
	bin := localcluster.RequireBinaries(t)
	chart := filepath.Join(t.TempDir(), "demo.png")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	res, err := Run(ctx, Config{RepoRoot: bin.RepoRoot, ConfigDir: filepath.Join(bin.RepoRoot, "hack", "demo"), Assets: bin.Assets,
		Kwok: bin.Kwok, Operator: bin.Operator, Prometheus: bin.Prometheus,
		Duration: 75 * time.Second, ChartPath: chart, Out: &out, Keep: os.Getenv("DEMO_KEEP") == "1"})
	t.Logf("demo output:\n%s", out.String())
	if err != nil {
		t.Fatalf("demo failed (state in %s): %v", res.WorkDir, err)
	}
	if res.Tables == 0 || res.TimeToFirstTable <= 0 || !strings.Contains(out.String(), "POOL") {
		t.Fatalf("no table printed (%d tables)", res.Tables)
	}
	var maxUp, resizes int
	var offered int64
	for _, s := range res.Samples {
		for _, p := range s.Pools {
			if p.Pool != ResidentPool {
				continue
			}
			maxUp = max(maxUp, p.Up)
			resizes = max(resizes, p.Resizes)
			offered = max(offered, p.Offered)
		}
	}
	if maxUp == 0 {
		t.Error("no resident NodeManager ever came up")
	}
	if resizes == 0 || offered == 0 {
		t.Errorf("the resident pool was never resized (resizes %d, max offered %d vcores)", resizes, offered)
	}
	f, err := os.Open(chart)
	if err != nil {
		t.Fatalf("chart: %v", err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Fatalf("chart is not a PNG: %v", err)
	}
	t.Logf("time to first table %s, resident NodeManagers up %d, resizes %d", res.TimeToFirstTable, maxUp, resizes)
}
