package scale

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/localcluster"
	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// smokeNodes keeps the run short in `make test`; `make scale` runs 500 to 5,000.
const smokeNodes = 40

// promQLQueriesPerCycle is the query budget of a pool with one statistic and node safety on,
// whatever its size up to promquery.DefaultMaxNodesPerQuery (controllers/capacity/promquery/doc.go).
const promQLQueriesPerCycle = 7

// TestScaleHarness runs the scale measurement at 40 nodes: the real operator binary from
// cold to every NodeManager at its expected capacity, then three steady cycles. It checks
// counts (never durations): every NodeManager written once on the cold start, and in steady
// state a fixed number of PromQL queries and no writes.
func TestScaleHarness(t *testing.T) {
	if os.Getenv("SCALE_E2E") != "1" && !realcomponents.Required() {
		t.Skip("set SCALE_E2E=1 (or ELASTIC_YARN_REQUIRE_REAL=1) to run the scale harness")
	}
	bin := localcluster.RequireBinaries(t)
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	res, err := Run(ctx, Config{RepoRoot: bin.RepoRoot, Assets: bin.Assets, Kwok: bin.Kwok, Operator: bin.Operator, Prometheus: bin.Prometheus,
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
