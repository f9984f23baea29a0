package promquery

import (
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func TestQueries(t *testing.T) {
	m := nodeMatcher([]string{"a.example.com", "b"})
	if want := `node=~"a\\.example\\.com|b"`; m != want {
		t.Errorf("matcher %s, want %s", m, want)
	}
	sel, agg, scale := cpuSelector(v1alpha1.BatchAllocatable, m)
	if got, want := windowQuery(statQuantile(10), agg, sel, 10*time.Minute),
		`max by (node) (quantile_over_time(0.1, koordlet_node_resource_allocatable{resource="kubernetes.io/batch-cpu",node=~"a\\.example\\.com|b"}[10m]))`; got != want {
		t.Errorf("query\n got %s\nwant %s", got, want)
	}
	if scale != 0.001 {
		t.Errorf("batch-cpu scale %v, want 0.001 (milli-cores)", scale)
	}
	sel, agg, _ = cpuSelector(v1alpha1.BESuppressCPU, `node=~"b"`)
	if got, want := freshnessQuery(sel, 20*time.Minute),
		`max by (node) (timestamp(koordlet_be_suppress_cpu_cores{node=~"b"})) or max by (node) (max_over_time(timestamp(koordlet_be_suppress_cpu_cores{node=~"b"})[20m:15s]))`; got != want || agg != "min" {
		t.Errorf("freshness\n got %s (%s)\nwant %s", got, agg, want)
	}
}
