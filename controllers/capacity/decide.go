package capacity

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// observations turns the gathered cycle into what the cycle step decides on, one per
// NodeManager in c.nms order.
func observations(c *gathered, state *poolState) []cycle.Observation {
	out := make([]cycle.Observation, 0, len(c.nms))
	for _, nm := range c.nms {
		out = append(out, observationOf(c, state, nm))
	}
	return out
}

func observationOf(c *gathered, state *poolState, nm nodeManager) cycle.Observation {
	in := cycle.Observation{ID: nm.yarnID}
	var metricsErr error
	if c.metrics != nil {
		if res, ok := c.metrics.Nodes[nm.k8sNode]; ok {
			in.Metrics = res.Metrics()
			metricsErr = res.Err
			if metricsErr == nil && nm.node != nil {
				if ledger, err := ledgerOf(nm.node); err != nil {
					// A ledger it cannot read leaves the node without figures: held as stale,
					// never sized on a half-known budget.
					in.Metrics, metricsErr = policy.Metrics{NewestSample: in.Metrics.NewestSample}, err
				} else {
					in.Ledger = &ledger
				}
			}
			if res.UsageKnown && nm.node != nil {
				in.Usage = policy.NodeUsage{Known: true, RecentCores: res.UsedCPURecent, SustainedMinCores: res.UsedCPUSustainedMin,
					CapacityCores: float64(nm.node.Status.Capacity.Cpu().MilliValue()) / 1000}
			}
		}
	} else {
		// Prometheus unreachable: the node's age is that of its last known sample, or the
		// outage's start when this process never saw one (hold first, floor later).
		in.Metrics.NewestSample = state.lastSample[nm.k8sNode]
		if in.Metrics.NewestSample.IsZero() {
			in.Metrics.NewestSample = state.outageSince
		}
	}
	if c.useFallbck && metricsErr == nil && nm.node != nil && !(in.Metrics.CPUPresent && in.Metrics.MemoryPresent) {
		if fb, ok, err := koordledger.FromNodeAllocatable(nm.node); err == nil && ok {
			in.Metrics, in.Ledger = fb, nil
		}
	}
	if c.rmErr != nil && nm.node != nil {
		// The last YARN usage this controller recorded in Koordinator's ledger sizes a safety
		// shed; without a readable one it is zero and no shed is sized (policy.decideWithoutRM).
		share, _ := koordledger.YARNShareOf(nm.node)
		in.RM = policy.RMState{Unreachable: true, Used: policy.Resources{VCores: int64(share.Cores), MemoryMB: int64(share.MemoryBytes) >> 20}}
	}
	if n, ok := c.rmNodes[nm.yarnID]; ok {
		in.RM = policy.RMState{Known: true, Total: totalOf(n), Used: policy.Resources{VCores: n.UsedVCores, MemoryMB: n.UsedMemoryMB}}
	}
	in.MetricsErr = metricsErr
	return in
}

// ledgerOf reads Koordinator's ledger from the Node: YARN's entry in thirdPartyAllocations
// (what this controller wrote last) and the origin allocatable, if annotated.
func ledgerOf(node *corev1.Node) (koordledger.Ledger, error) {
	share, err := koordledger.YARNShareOf(node)
	if err != nil {
		return koordledger.Ledger{}, err
	}
	origin, known, err := koordledger.OriginOf(node)
	if err != nil {
		return koordledger.Ledger{}, err
	}
	return koordledger.Ledger{YARN: share, Origin: origin, OriginKnown: known}, nil
}

// totalOf is the node's advertised total; RMs before Hadoop 3.3 lack totalResource.
func totalOf(n yarnclient.Node) policy.Resources {
	if n.TotalResource != nil {
		return policy.Resources{VCores: n.TotalResource.VCores, MemoryMB: n.TotalResource.MemoryMB}
	}
	return policy.Resources{VCores: n.UsedVCores + n.AvailableVCores, MemoryMB: n.UsedMemoryMB + n.AvailMemoryMB}
}
