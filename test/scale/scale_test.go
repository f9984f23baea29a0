package scale

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/localcluster"
	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// smokeNodes keeps the run short in `make test`; `make scale` runs 500 to 5,000.
const smokeNodes = 40

// promQLQueriesPerCycle is the query budget of a pool with one statistic and node safety on,
// whatever its size up to metrics.DefaultMaxNodesPerQuery (controllers/capacity/metrics/doc.go).
const promQLQueriesPerCycle = 7

// TestScaleHarness runs the scale measurement at 40 nodes: the real operator binary from
// cold to every NodeManager at its expected capacity, then three steady cycles. It checks
// counts (never durations): every NodeManager written once on the cold start, and in steady
// state a fixed number of PromQL queries and no writes.
func TestScaleHarness(t *testing.T) {
	if os.Getenv("SCALE_E2E") != "1" && !realcomponents.Required() {
		t.Skip("set SCALE_E2E=1 (or ELASTIC_YARN_REQUIRE_REAL=1) to run the scale harness")
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
	bin := filepath.Join(t.TempDir(), "operator")
	build := exec.Command("go", "build", "-o", bin, "./cmd/operator")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the operator: %v\n%s", err, out)
	}

	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	res, err := Run(ctx, Config{RepoRoot: root, Assets: assets, Kwok: kwok, Operator: bin, Prometheus: prometheus,
		Nodes: smokeNodes, Interval: 10 * time.Second, Timeout: 4 * time.Minute, Out: &out, Keep: os.Getenv("SCALE_KEEP") == "1"})
	t.Logf("scale output:\n%s", out.String())
	if err != nil {
		t.Fatalf("scale run failed (state in %s): %v", res.WorkDir, err)
	}
	t.Logf("\n%s", FormatTable([]*Result{res}))
	if res.Cold.RMWrites != smokeNodes || res.Cold.GuarderCalls != smokeNodes {
		t.Errorf("cold start: %.0f RM writes and %.0f guarder targets, want one each per NodeManager (%d)",
			res.Cold.RMWrites, res.Cold.GuarderCalls, smokeNodes)
	}
	p := res.PerCycle
	if p.PromQueries != promQLQueriesPerCycle {
		t.Errorf("steady state: %.2f PromQL queries per cycle, want %d", p.PromQueries, promQLQueriesPerCycle)
	}
	if p.RMWrites != 0 || p.GuarderCalls != 0 {
		t.Errorf("steady state: %.2f RM writes and %.2f guarder targets per cycle, want none", p.RMWrites, p.GuarderCalls)
	}
	if p.RMLists < 1 {
		t.Errorf("steady state: %.2f RM listings per cycle, want at least the capacity controller's one", p.RMLists)
	}
	if res.PeakRSS <= 0 {
		t.Errorf("operator peak RSS not measured")
	}
}

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
