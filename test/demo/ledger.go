package demo

import (
	"context"
	"sync"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
)

// ledgerPoll is how often the koord-manager stand-in re-reads the nodes' ledgers.
const ledgerPoll = 5 * time.Second

// ledger reads YARN's entry in every Node's thirdPartyAllocations, which the operator writes;
// the exporter hands it to the Koordinator model (test/peers/koordinator), whose
// koord-manager publishes max(origin - thirdPartyBatchAllocated, 0).
type ledger struct {
	c   client.Client
	log logr.Logger

	mu     sync.Mutex
	shares map[string]koordledger.Batch // node -> YARN's entry
}

func newLedger(c client.Client, log logr.Logger) *ledger {
	return &ledger{c: c, log: log, shares: map[string]koordledger.Batch{}}
}

// run re-reads the ledgers every ledgerPoll until ctx ends.
func (l *ledger) run(ctx context.Context) {
	t := time.NewTicker(ledgerPoll)
	defer t.Stop()
	for {
		l.refresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (l *ledger) refresh(ctx context.Context) {
	var nodes corev1.NodeList
	if err := l.c.List(ctx, &nodes); err != nil {
		l.log.Info("Listing nodes for the ledger", "error", err.Error())
		return
	}
	shares := make(map[string]koordledger.Batch, len(nodes.Items))
	for i := range nodes.Items {
		share, err := koordledger.YARNShareOf(&nodes.Items[i])
		if err != nil {
			l.log.Info("Unreadable ledger", "node", nodes.Items[i].Name, "error", err.Error())
			continue
		}
		shares[nodes.Items[i].Name] = share
	}
	l.mu.Lock()
	l.shares = shares
	l.mu.Unlock()
}

// share is YARN's entry in node's ledger (zero when there is none): the Koordinator model
// subtracts it from the batch allocatable it publishes, as koord-manager does.
func (l *ledger) share(node string) koordledger.Batch {
	if l == nil {
		return koordledger.Batch{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.shares[node]
}
