package capacity

import (
	"context"
	"fmt"
	"reflect"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
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
func (r *Reconciler) patchStatus(ctx context.Context, enm *v1alpha1.ElasticNodeManager, cond metav1.Condition, offered map[string]policy.Resources) error {
	before := enm.DeepCopy()
	var vcores, memoryMB int64
	for _, res := range offered {
		vcores += res.VCores
		memoryMB += res.MemoryMB
	}
	enm.Status.Offered = v1alpha1.PoolResources{VCores: vcores, MemoryMB: memoryMB}
	meta.SetStatusCondition(&enm.Status.Conditions, cond)
	if reflect.DeepEqual(before.Status, enm.Status) {
		return nil
	}
	return statusapply.Apply(ctx, r.Client, enm, statusapply.ManagerCapacity,
		statusapply.Owned{Conditions: []string{v1alpha1.ConditionMetricsFresh}, Fields: []string{"offered"}})
}

// wentStale returns cond when it turns MetricsFresh False, or changes the reason it is False
// for, against the pool's current conditions: the transition the Event reports. Nil otherwise.
func wentStale(current []metav1.Condition, cond metav1.Condition) *metav1.Condition {
	old := meta.FindStatusCondition(current, cond.Type)
	if cond.Status == metav1.ConditionFalse && (old == nil || old.Status != cond.Status || old.Reason != cond.Reason) {
		return &cond
	}
	return nil
}

func metricsFreshCondition(generation int64, c *gathered, p cycle.Plan) metav1.Condition {
	// The transition time comes from the controller's clock: an outage's start is read back
	// from it after a restart (outageStart).
	cond := metav1.Condition{Type: v1alpha1.ConditionMetricsFresh, ObservedGeneration: generation, LastTransitionTime: metav1.NewTime(c.now)}
	switch {
	case c.metricsErr != nil:
		cond.Status, cond.Reason = metav1.ConditionFalse, ReasonPrometheusUnavailable
		cond.Message = truncate(c.metricsErr.Error(), 512)
	case p.Stale > 0:
		cond.Status, cond.Reason = metav1.ConditionFalse, ReasonMetricsStale
		cond.Message = fmt.Sprintf("%d of %d NodeManagers have stale, missing or malformed Koordinator metrics", p.Stale, len(p.Nodes))
		if p.FirstMalformed != nil {
			cond.Message = truncate(cond.Message+"; first malformed: "+p.FirstMalformed.Error(), 1024)
		}
	default:
		cond.Status, cond.Reason = metav1.ConditionTrue, ReasonMetricsFresh
		cond.Message = fmt.Sprintf("all %d NodeManagers have fresh Koordinator metrics", len(p.Nodes))
	}
	return cond
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
