package demo

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/metrics"
)

// ledgerPoll is how often the koord-manager stand-in re-reads the nodes' ledgers.
const ledgerPoll = 5 * time.Second

// ledger is the demo's koord-manager stand-in for one rule: the batch allocatable it
// publishes is max(origin - thirdPartyBatchAllocated, 0) (koordinator
// pkg/slo-controller/noderesource/plugins/batchresource/plugin.go at a7a1b76b, lines
// 133-146), where the operator writes YARN's entry in the Node's thirdPartyAllocations. The
// exporter (the koordlet stand-in) publishes the result, as koordlet exports
// Node.status.allocatable.
type ledger struct {
	c   client.Client
	log logr.Logger

	mu     sync.Mutex
	shares map[string]metrics.Batch // node -> YARN's entry
}

func newLedger(c client.Client, log logr.Logger) *ledger {
	return &ledger{c: c, log: log, shares: map[string]metrics.Batch{}}
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
	shares := make(map[string]metrics.Batch, len(nodes.Items))
	for i := range nodes.Items {
		share, err := metrics.YARNShareOf(&nodes.Items[i])
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

// publish is what koord-manager leaves of the origin batch figures on node.
func (l *ledger) publish(node string, cpuMilli, memoryBytes float64) (float64, float64) {
	if l == nil {
		return cpuMilli, memoryBytes
	}
	l.mu.Lock()
	share := l.shares[node]
	l.mu.Unlock()
	return math.Max(cpuMilli-share.Cores*1000, 0), math.Max(memoryBytes-share.MemoryBytes, 0)
}
