package demo

import (
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/metrics"
)

func TestLedgerSubtractsYARNShareLikeKoordManager(t *testing.T) {
	l := &ledger{shares: map[string]metrics.Batch{"n1": {Cores: 8, MemoryBytes: 32 << 30}}}
	cpu, mem := l.publish("n1", 24000, 100<<30)
	if cpu != 16000 || mem != 68<<30 {
		t.Errorf("published %v milli-cores / %v bytes, want 16000 / 68 GiB", cpu, mem)
	}
	if cpu, mem := l.publish("n1", 4000, 16<<30); cpu != 0 || mem != 0 {
		t.Errorf("floored at zero: %v / %v", cpu, mem)
	}
	if cpu, mem := l.publish("other", 24000, 100<<30); cpu != 24000 || mem != 100<<30 {
		t.Errorf("no ledger entry: %v / %v, want the origin", cpu, mem)
	}
}
