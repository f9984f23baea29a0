package capacity

import (
	"context"
	"fmt"
	"reflect"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/statusapply"
)

// Reasons of the MetricsFresh condition.
const (
	ReasonMetricsFresh          = "AllFresh"
	ReasonMetricsStale          = "StaleNodes"
	ReasonPrometheusUnavailable = "PrometheusUnavailable"
)

// patchStatus applies MetricsFresh and Offered, the part of the status this controller owns
// (server-side apply with its own field manager, see statusapply), only when they changed.
func (r *Reconciler) patchStatus(ctx context.Context, enm *v1alpha1.ElasticNodeManager, c *cycle, out *outcome) error {
	before := enm.DeepCopy()
	var vcores, memoryMB int64
	for _, res := range out.offered {
		vcores += res.VCores
		memoryMB += res.MemoryMB
	}
	enm.Status.Offered = v1alpha1.PoolResources{VCores: vcores, MemoryMB: memoryMB}
	cond := metricsFreshCondition(enm.Generation, c, out)
	if old := meta.FindStatusCondition(before.Status.Conditions, cond.Type); cond.Status == metav1.ConditionFalse && (old == nil || old.Status != cond.Status || old.Reason != cond.Reason) {
		out.metricsWentStale = &cond
	}
	meta.SetStatusCondition(&enm.Status.Conditions, cond)
	if reflect.DeepEqual(before.Status, enm.Status) {
		return nil
	}
	return statusapply.Apply(ctx, r.Client, enm, statusapply.ManagerCapacity,
		statusapply.Owned{Conditions: []string{v1alpha1.ConditionMetricsFresh}, Fields: []string{"offered"}})
}

func metricsFreshCondition(generation int64, c *cycle, out *outcome) metav1.Condition {
	// The transition time comes from the controller's clock: an outage's start is read back
	// from it after a restart (outageStart).
	cond := metav1.Condition{Type: v1alpha1.ConditionMetricsFresh, ObservedGeneration: generation, LastTransitionTime: metav1.NewTime(c.now)}
	switch {
	case c.metricsErr != nil:
		cond.Status, cond.Reason = metav1.ConditionFalse, ReasonPrometheusUnavailable
		cond.Message = truncate(c.metricsErr.Error(), 512)
	case out.stale > 0:
		cond.Status, cond.Reason = metav1.ConditionFalse, ReasonMetricsStale
		cond.Message = fmt.Sprintf("%d of %d NodeManagers have stale, missing or malformed Koordinator metrics", out.stale, len(out.decisions))
		if out.firstMalformed != nil {
			cond.Message = truncate(cond.Message+"; first malformed: "+out.firstMalformed.Error(), 1024)
		}
	default:
		cond.Status, cond.Reason = metav1.ConditionTrue, ReasonMetricsFresh
		cond.Message = fmt.Sprintf("all %d NodeManagers have fresh Koordinator metrics", len(out.decisions))
	}
	return cond
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
