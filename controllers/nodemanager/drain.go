package nodemanager

import (
	"context"
	"errors"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// startDrain records the drain on a copy of the pod first (so a restarted operator resumes
// it with the same deadline), then takes its first steps on that copy.
func (r *Reconciler) startDrain(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, cached *corev1.Pod, d plan.Decision, now time.Time, report *applyReport) error {
	pod := cached.DeepCopy() // never the cache's own object
	if pod.Annotations == nil {
		pod.Annotations = map[string]string{}
	}
	pod.Annotations[v1alpha1.AnnotationDrainStarted] = now.UTC().Format(time.RFC3339)
	pod.Annotations[v1alpha1.AnnotationDrainDeadline] = d.DrainDeadline.UTC().Format(time.RFC3339)
	delete(pod.Annotations, v1alpha1.AnnotationShedRequested)
	if err := r.Client.Patch(ctx, pod, client.MergeFrom(cached)); err != nil {
		return err
	}
	report.recordDrain(pod.Name, true)
	ctrl.LoggerFrom(ctx).Info("Drain started", "pod", klog.KObj(pod), "node", podspec.NodeOf(pod), "deadline", d.DrainDeadline)
	r.event(enm, pod, false, EventDrainStarted, "Drain", "draining NodeManager %s until %s", pod.Name, d.DrainDeadline.UTC().Format(time.RFC3339))
	return r.advanceDrain(ctx, enm, g, pod, d.Drain, now)
}

// advanceDrain takes the drain steps the plan chose.
func (r *Reconciler) advanceDrain(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, pod *corev1.Pod, p plan.DrainPlan, now time.Time) error {
	var errs []error
	for _, step := range p.Steps {
		var err error
		switch step {
		case plan.StepSetCapacityZero:
			err = r.setCapacity(ctx, enm, g, pod, yarnclient.Resource{})
			if err == nil {
				r.event(enm, pod, false, EventCapacityZeroed, "Drain", "RM capacity of %s set to 0: nothing new is placed", pod.Annotations[v1alpha1.AnnotationYARNNodeID])
			}
		case plan.StepRequestShed:
			r.requestShed(ctx, enm, pod, now)
		}
		// StepEnsureExcludeJob is decided for the whole pool (plan.Result.Exclude).
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// setCapacity resizes the pod's YARN node (overCommitTimeout -1 in the client: running
// containers are never killed by the RM).
func (r *Reconciler) setCapacity(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, pod *corev1.Pod, res yarnclient.Resource) error {
	if g.rm == nil {
		return nil
	}
	id := pod.Annotations[v1alpha1.AnnotationYARNNodeID]
	ctx, cancel := context.WithTimeout(ctx, r.rmTimeout())
	defer cancel()
	unlock := r.rmWrites().LockForNodeManager(enm, id, pod.UID, res == (yarnclient.Resource{}))
	_, err := g.rm.SetNodeResource(ctx, id, res)
	unlock()
	if errors.Is(err, yarnclient.ErrInactiveNode) || errors.Is(err, yarnclient.ErrNotFound) {
		return nil // the node already left YARN: nothing to resize
	}
	if err != nil {
		r.event(enm, pod, true, EventRMWriteFailed, "Resize", "resizing %s: %v", id, err)
	}
	return err
}

// requestShed asks the guarder to shed everything by the drain deadline. A failure is an
// Event, not an error: the next poll asks again, and the deadline ends the drain anyway.
// The request is recorded on a copy of the pod.
func (r *Reconciler) requestShed(ctx context.Context, enm *v1alpha1.ElasticNodeManager, cached *corev1.Pod, now time.Time) {
	if r.Shedder == nil {
		return
	}
	deadline, _ := time.Parse(time.RFC3339, cached.Annotations[v1alpha1.AnnotationDrainDeadline])
	if err := r.Shedder.SetTarget(ctx, cached, guarderclient.Target{Deadline: deadline, Reason: "drain"}); err != nil {
		ctrl.LoggerFrom(ctx).Info("Guarder did not take the shed request", "pod", klog.KObj(cached), "error", err.Error())
		r.event(enm, cached, true, EventShedFailed, "Shed", "guarder of %s: %v", cached.Name, err)
		return
	}
	pod := cached.DeepCopy()
	pod.Annotations[v1alpha1.AnnotationShedRequested] = now.UTC().Format(time.RFC3339)
	if err := r.Client.Patch(ctx, pod, client.MergeFrom(cached)); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "Recording the shed request", "pod", klog.KObj(pod))
		return
	}
	r.event(enm, pod, false, EventShedRequested, "Shed", "guarder of %s asked to shed by %s", pod.Name, deadline.UTC().Format(time.RFC3339))
}

// cancelDrain: the window reopened before the drain ended. The annotations go (from a copy
// of the pod), then what the plan restores: the static capacity in the RM and the guarder's
// target. A YarnGraceful host leaves the exclude file with the pool's next exclude Job.
func (r *Reconciler) cancelDrain(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, cached *corev1.Pod, d plan.Decision, report *applyReport) error {
	pod := cached.DeepCopy() // never the cache's own object
	delete(pod.Annotations, v1alpha1.AnnotationDrainStarted)
	delete(pod.Annotations, v1alpha1.AnnotationDrainDeadline)
	delete(pod.Annotations, v1alpha1.AnnotationShedRequested)
	if err := r.Client.Patch(ctx, pod, client.MergeFrom(cached)); err != nil {
		return err
	}
	r.rmWrites().EndDrain(enm, pod.Annotations[v1alpha1.AnnotationYARNNodeID])
	report.recordDrain(pod.Name, false)
	r.event(enm, pod, false, EventDrainCancelled, "Drain", "window reopened: NodeManager %s stays", pod.Name)
	var errs []error
	if s := d.SetCapacity; s != nil {
		errs = append(errs, r.setCapacity(ctx, enm, g, pod, yarnclient.Resource{VCores: int64(s.VCores), MemoryMB: s.MemoryMB}))
	}
	if s := d.ShedTarget; s != nil && r.Shedder != nil {
		// Lift the guarder's zero target: the static capacity is the target again.
		_ = r.Shedder.SetTarget(ctx, pod, guarderclient.Target{VCores: int64(s.VCores), MemoryMB: s.MemoryMB, Reason: "drain cancelled"})
	}
	return errors.Join(errs...)
}

// cutPort splits a NodeId host:port.
func cutPort(nodeID string) (host, port string, ok bool) {
	for i := len(nodeID) - 1; i >= 0; i-- {
		if nodeID[i] == ':' {
			return nodeID[:i], nodeID[i+1:], true
		}
	}
	return nodeID, "", false
}
