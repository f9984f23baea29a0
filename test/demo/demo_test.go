package demo

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
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
	prometheus := realcomponents.Require(t, "prometheus")[0]
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" || !localcluster.Exists(filepath.Join(assets, "kube-scheduler")) {
		assets = script(t, root, "hack/envtest-assets.sh")
	}
	kwok := script(t, root, "hack/demo/kwok.sh")
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "operator"), "./cmd/operator")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the operator: %v\n%s", err, out)
	}

	chart := filepath.Join(t.TempDir(), "demo.png")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	res, err := Run(ctx, Config{RepoRoot: root, ConfigDir: filepath.Join(root, "hack", "demo"), Assets: assets,
		Kwok: kwok, Operator: filepath.Join(bin, "operator"), Prometheus: prometheus,
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

// script runs a hack/ script that prints a path.
func script(t *testing.T, root, name string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(root, name))
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}
