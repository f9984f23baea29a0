package capacity

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/metrics"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// nodeDecision is one NM's inputs and verdict.
type nodeDecision struct {
	nm       nodeManager
	input    policy.Input
	decision policy.Decision
	// metricsErr is a malformed-value error for this node, if any.
	metricsErr error
}

// decideAll turns the gathered cycle into one decision per NodeManager.
func decideAll(s policy.Settings, c *cycle, state *poolState) []nodeDecision {
	out := make([]nodeDecision, 0, len(c.nms))
	for _, nm := range c.nms {
		in, metricsErr := inputFor(c, state, nm)
		out = append(out, nodeDecision{nm: nm, input: in, decision: policy.Decide(s, in), metricsErr: metricsErr})
	}
	return out
}

func inputFor(c *cycle, state *poolState, nm nodeManager) (policy.Input, error) {
	in := policy.Input{Now: c.now}
	var metricsErr error
	if c.metrics != nil {
		if res, ok := c.metrics.Nodes[nm.k8sNode]; ok {
			in.Metrics = res.Metrics()
			metricsErr = res.Err
			if metricsErr == nil && nm.node != nil {
				in.Metrics, metricsErr = withYARNShare(in.Metrics, nm.node, c.cpuFromAllocatable)
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
		if fb, ok, err := metrics.FromNodeAllocatable(nm.node); err == nil && ok {
			in.Metrics = fb
		}
	}
	if c.rmErr != nil && nm.node != nil {
		// The last YARN usage this controller recorded in Koordinator's ledger sizes a safety
		// shed; without a readable one it is zero and no shed is sized (policy.decideWithoutRM).
		share, _ := metrics.YARNShareOf(nm.node)
		in.RM = policy.RMState{Unreachable: true, Used: policy.Resources{VCores: int64(share.Cores), MemoryMB: int64(share.MemoryBytes) >> 20}}
	}
	if n, ok := c.rmNodes[nm.yarnID]; ok {
		in.RM = policy.RMState{Known: true, Total: totalOf(n), Used: policy.Resources{VCores: n.UsedVCores, MemoryMB: n.UsedMemoryMB}}
		in.RM.Total = settledTotal(state, nm.yarnID, in.RM.Total, c.now)
	}
	if p, ok := state.previous[nm.yarnID]; ok {
		in.Previous = &p
	}
	return in, metricsErr
}

// withYARNShare adds YARN's own allocation back to what koordlet published (see
// metrics.AddBackYARNShare). A ledger it cannot read leaves the node without figures: held as
// stale, never sized on a half-known budget.
func withYARNShare(m policy.Metrics, node *corev1.Node, cpuFromAllocatable bool) (policy.Metrics, error) {
	share, err := metrics.YARNShareOf(node)
	if err != nil {
		return policy.Metrics{NewestSample: m.NewestSample}, err
	}
	origin, known, err := metrics.OriginOf(node)
	if err != nil {
		return policy.Metrics{NewestSample: m.NewestSample}, err
	}
	return metrics.AddBackYARNShare(m, metrics.Ledger{YARN: share, Origin: origin, OriginKnown: known}, cpuFromAllocatable), nil
}

// totalOf is the node's advertised total; RMs before Hadoop 3.3 lack totalResource.
func totalOf(n yarnclient.Node) policy.Resources {
	if n.TotalResource != nil {
		return policy.Resources{VCores: n.TotalResource.VCores, MemoryMB: n.TotalResource.MemoryMB}
	}
	return policy.Resources{VCores: n.UsedVCores + n.AvailableVCores, MemoryMB: n.UsedMemoryMB + n.AvailMemoryMB}
}

// settledTotal is the RM's total as the decision should see it: a grow sent moments ago and
// not shown yet counts as applied, so it is not re-sent as drift. Settled or expired sends
// are dropped.
func settledTotal(state *poolState, yarnID string, shown policy.Resources, now time.Time) policy.Resources {
	sent, ok := state.inFlight[yarnID]
	if !ok {
		return shown
	}
	if shown == sent.target || now.Sub(sent.at) >= resizeSettle || now.Before(sent.at) {
		delete(state.inFlight, yarnID)
		return shown
	}
	return sent.target
}
