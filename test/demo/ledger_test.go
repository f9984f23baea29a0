package demo

import (
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/metrics"
)

func TestLedgerShares(t *testing.T) {
	l := &ledger{shares: map[string]metrics.Batch{"n1": {Cores: 8, MemoryBytes: 32 << 30}}}
	if got := l.share("n1"); got != (metrics.Batch{Cores: 8, MemoryBytes: 32 << 30}) {
		t.Errorf("share of n1: %+v", got)
	}
	if got := l.share("other"); got != (metrics.Batch{}) {
		t.Errorf("no ledger entry: %+v, want zero", got)
	}
	var none *ledger
	if got := none.share("n1"); got != (metrics.Batch{}) {
		t.Errorf("no ledger at all: %+v, want zero", got)
	}
}
