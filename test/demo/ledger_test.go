package demo

import (
	"testing"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
)

func TestLedgerShares(t *testing.T) {
	l := &ledger{shares: map[string]koordledger.Batch{"n1": {Cores: 8, MemoryBytes: 32 << 30}}}
	if got := l.share("n1"); got != (koordledger.Batch{Cores: 8, MemoryBytes: 32 << 30}) {
		t.Errorf("share of n1: %+v", got)
	}
	if got := l.share("other"); got != (koordledger.Batch{}) {
		t.Errorf("no ledger entry: %+v, want zero", got)
	}
	var none *ledger
	if got := none.share("n1"); got != (koordledger.Batch{}) {
		t.Errorf("no ledger at all: %+v, want zero", got)
	}
}
