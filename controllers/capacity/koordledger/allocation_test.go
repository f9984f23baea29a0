package koordledger

import (
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

func TestMergeYARNAllocation(t *testing.T) {
	cases := []struct {
		name, current, want string
		changed             bool
	}{
		{"empty annotation", "",
			`{"allocations":[{"name":"hadoop-yarn","priority":"koord-batch","resources":{"kubernetes.io/batch-cpu":"8000","kubernetes.io/batch-memory":"32Gi"}}]}`, true},
		{"other allocations are kept, ours replaced",
			`{"allocations":[{"name":"spark-standalone","priority":"koord-batch","resources":{"kubernetes.io/batch-cpu":"2000"},"extra":1},{"name":"hadoop-yarn","priority":"koord-batch","resources":{"kubernetes.io/batch-cpu":"1000","kubernetes.io/batch-memory":"1Gi"}}]}`,
			`{"allocations":[{"extra":1,"name":"spark-standalone","priority":"koord-batch","resources":{"kubernetes.io/batch-cpu":"2000"}},{"name":"hadoop-yarn","priority":"koord-batch","resources":{"kubernetes.io/batch-cpu":"8000","kubernetes.io/batch-memory":"32Gi"}}]}`, true},
		{"unchanged value is not rewritten",
			`{"allocations":[{"resources":{"kubernetes.io/batch-memory":"32Gi","kubernetes.io/batch-cpu":"8000"},"name":"hadoop-yarn","priority":"koord-batch"}]}`,
			`{"allocations":[{"resources":{"kubernetes.io/batch-memory":"32Gi","kubernetes.io/batch-cpu":"8000"},"name":"hadoop-yarn","priority":"koord-batch"}]}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, changed, err := MergeYARNAllocation(c.current, policy.Resources{VCores: 8, MemoryMB: 32768})
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want || changed != c.changed {
				t.Errorf("got %s (changed %v)\nwant %s (changed %v)", got, changed, c.want, c.changed)
			}
		})
	}
	if _, _, err := MergeYARNAllocation("{not json", policy.Resources{}); err == nil {
		t.Error("malformed annotation: want an error, never an overwrite of others' allocations")
	}
}
