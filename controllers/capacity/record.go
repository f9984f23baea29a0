package capacity

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// record updates the pool's gauges and emits at most one Event for the cycle.
func (r *Reconciler) record(enm *v1alpha1.ElasticNodeManager, s cycle.Settings, p cycle.Plan, out outcome, wentStale *metav1.Condition) {
	pool := enm.Namespace + "/" + enm.Name
	var offered, used, available policy.Resources
	for _, res := range out.offered {
		offered.VCores += res.VCores
		offered.MemoryMB += res.MemoryMB
	}
	for _, n := range p.Nodes {
		used.VCores += n.Input.RM.Used.VCores
		used.MemoryMB += n.Input.RM.Used.MemoryMB
		if !n.Decision.Stale && n.MetricsErr == nil && n.Input.Metrics.CPUPresent {
			available.VCores += int64(policy.Pick(s.Policy, n.Input.Metrics.CPUCores))
			available.MemoryMB += int64(policy.Pick(s.Policy, n.Input.Metrics.MemoryBytes)) >> 20
		}
	}
	offeredVCores.WithLabelValues(pool).Set(float64(offered.VCores))
	offeredMemory.WithLabelValues(pool).Set(float64(offered.MemoryMB << 20))
	usedVCores.WithLabelValues(pool).Set(float64(used.VCores))
	usedMemory.WithLabelValues(pool).Set(float64(used.MemoryMB << 20))
	availableVCores.WithLabelValues(pool).Set(float64(available.VCores))
	availableMemory.WithLabelValues(pool).Set(float64(available.MemoryMB << 20))
	staleNodes.WithLabelValues(pool).Set(float64(p.Stale))

	if r.Recorder != nil && wentStale != nil {
		r.Recorder.Eventf(enm, nil, corev1.EventTypeWarning, wentStale.Reason, "MeasureCapacity", "%s", wentStale.Message)
	}
	summary := p.Summary(out.results)
	if r.Recorder == nil || summary.Quiet() {
		return
	}
	eventType, reason := corev1.EventTypeNormal, "Resized"
	if summary.Failed > 0 {
		eventType, reason = corev1.EventTypeWarning, "ResizeFailed"
	}
	r.Recorder.Eventf(enm, nil, eventType, reason, "Resize", "%s", summary.Message())
}

// EventUnownedPodIgnored: a pod carries the pool's label without being controlled by the pool.
const EventUnownedPodIgnored = "UnownedPodIgnored"
