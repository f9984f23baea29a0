package nodemanager

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/statusapply"
)

// setStatus writes the bounded summary: counts, offered capacity, conditions and the next
// transition. Nothing per node.
func (r *Reconciler) setStatus(enm *v1alpha1.ElasticNodeManager, g *gathered, d plan.Demand, res plan.Result, applied applyReport, specErr error, deleting bool, now time.Time) {
	st := &enm.Status
	gen := enm.Generation
	st.ObservedGeneration = gen
	running, draining, offered := countPods(g, applied)
	st.EligibleNodes = res.Eligible
	st.DesiredNodeManagers = res.Desired
	st.RunningNodeManagers = running
	st.DrainingNodeManagers = draining
	// A resident pool sized from Koordinator is resized every interval by the capacity
	// controller, which owns status.offered there; two writers would make it flap.
	if !capacityControllerOwnsOffered(enm) {
		st.Offered = offered
	}
	st.NextTransition, st.NextTransitionAction = nil, ""
	if !d.Next.IsZero() && !deleting {
		t := metav1.NewTime(d.Next)
		st.NextTransition, st.NextTransitionAction = &t, string(d.NextAction)
	}

	plan.SetSpecValidCondition(st, specErr, gen, now)
	if specErr == nil {
		plan.SetWindowOpenCondition(st, d, gen, now)
		plan.SetStaticIPsAvailableCondition(st, res, gen, now)
	}
	plan.SetRMReachableCondition(st, g.rmErr, gen, now)
	plan.SetReadyCondition(st, plan.ReadyInputs{SpecErr: specErr, RMErr: g.rmErr, Result: res, Running: running, Deleting: deleting}, gen, now)
}

func capacityControllerOwnsOffered(enm *v1alpha1.ElasticNodeManager) bool {
	return enm.Spec.Mode == v1alpha1.ModeResident && enm.Spec.Capacity.Source == v1alpha1.CapacityKoordinator
}

// countPods counts NodeManagers that run and are registered, those draining (after apply's
// drain starts and cancels), and the capacity the running ones advertise (what the RM says,
// not what we asked for).
func countPods(g *gathered, applied applyReport) (running, draining int32, offered v1alpha1.PoolResources) {
	for i := range g.pods {
		pod := &g.pods[i]
		if pod.DeletionTimestamp != nil {
			continue
		}
		if applied.draining(pod, g) {
			draining++
			continue
		}
		rm, node, _ := g.rmNodeOf(pod)
		if pod.Status.Phase != corev1.PodRunning || !rm.Registered {
			continue
		}
		running++
		if node.TotalResource != nil {
			offered.VCores += node.TotalResource.VCores
			offered.MemoryMB += node.TotalResource.MemoryMB
		}
	}
	return running, draining, offered
}

// OwnedStatus is what this controller writes in ENM status (docs/development.md): every
// condition but MetricsFresh and GuardersReady, the counts (rollout progress included), the next transition, and status.offered unless the
// capacity controller owns it.
func OwnedStatus(enm *v1alpha1.ElasticNodeManager) statusapply.Owned {
	o := statusapply.Owned{
		Conditions: []string{v1alpha1.ConditionReady, v1alpha1.ConditionSpecValid, v1alpha1.ConditionRMReachable,
			v1alpha1.ConditionWindowOpen, v1alpha1.ConditionStaticIPsAvailable, v1alpha1.ConditionRolloutPaused},
		Fields: []string{"observedGeneration", "eligibleNodes", "desiredNodeManagers", "runningNodeManagers",
			"drainingNodeManagers", "updatedNodeManagers", "availableNodeManagers", "totalNodeManagers",
			"nextTransition", "nextTransitionAction"},
	}
	if !capacityControllerOwnsOffered(enm) {
		o.Fields = append(o.Fields, "offered")
	}
	return o
}

// patchStatus applies this controller's part of the status (server-side apply, its own field
// manager, see statusapply), emits an Event for every condition that changed, and skips the
// call when nothing changed.
func (r *Reconciler) patchStatus(ctx context.Context, before, after *v1alpha1.ElasticNodeManager) error {
	r.conditionEvents(before, after)
	if equality.Semantic.DeepEqual(before.Status, after.Status) {
		return nil
	}
	return client.IgnoreNotFound(statusapply.Apply(ctx, r.Client, after, statusapply.ManagerNodeManager, OwnedStatus(after)))
}

// conditionEvents turns condition transitions into Events.
func (r *Reconciler) conditionEvents(before, after *v1alpha1.ElasticNodeManager) {
	changed := func(typ string) (*metav1.Condition, bool) {
		old := meta.FindStatusCondition(before.Status.Conditions, typ)
		cur := meta.FindStatusCondition(after.Status.Conditions, typ)
		if cur == nil || (old != nil && old.Status == cur.Status && old.Reason == cur.Reason) {
			return cur, false
		}
		return cur, true
	}
	if c, ok := changed(v1alpha1.ConditionWindowOpen); ok {
		switch {
		case c.Status == metav1.ConditionTrue:
			r.event(after, nil, false, EventWindowOpened, "Schedule", "%s", c.Message)
		case c.Reason != plan.ReasonWindowClosed || meta.IsStatusConditionTrue(before.Status.Conditions, v1alpha1.ConditionWindowOpen):
			r.event(after, nil, false, EventWindowClosed, "Schedule", "%s", c.Message)
		}
	}
	if c, ok := changed(v1alpha1.ConditionStaticIPsAvailable); ok && c.Status == metav1.ConditionFalse {
		r.event(after, nil, true, EventPoolTooSmall, "Bind", "%s", c.Message)
	}
	if c, ok := changed(v1alpha1.ConditionRMReachable); ok {
		if c.Status == metav1.ConditionFalse {
			r.event(after, nil, true, EventRMUnreachable, "Observe", "%s", c.Message)
		} else if meta.FindStatusCondition(before.Status.Conditions, v1alpha1.ConditionRMReachable) != nil {
			r.event(after, nil, false, EventRMReachable, "Observe", "the ResourceManager answers again")
		}
	}
	if c, ok := changed(v1alpha1.ConditionSpecValid); ok && c.Status == metav1.ConditionFalse {
		reason := EventSpecInvalid
		if c.Reason == plan.ReasonInvalidTimeZone {
			reason = EventInvalidTimeZone
		}
		r.event(after, nil, true, reason, "Validate", "%s", c.Message)
	}
}
