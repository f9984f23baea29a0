package nodemanager

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// Event reasons of rollouts.
const (
	EventRolloutReplacing = "RolloutReplacing"
	EventRolloutPaused    = "RolloutPaused"
)

const defaultProgressDeadline = 10 * time.Minute

// podSpecHash hashes a pod as podspec.Build made it: its spec, labels and annotations, i.e.
// everything the pool's template, images, guarder settings, StaticIP selection and the
// operator's own pod shape put there. It is computed before the apiserver defaults anything,
// so the hash of a running pod (its annotation) compares with that of a freshly built one.
func podSpecHash(pod *corev1.Pod) string {
	annotations := map[string]string{}
	for k, v := range pod.Annotations {
		if k != v1alpha1.AnnotationPodSpecHash {
			annotations[k] = v
		}
	}
	shape := struct {
		Labels, Annotations map[string]string
		Spec                corev1.PodSpec
	}{pod.Labels, annotations, pod.Spec}
	b, err := json.Marshal(shape)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// outdated: the pod's recorded hash differs from what the pool builds now for its node and
// StaticIP. A pod from an operator that recorded no hash is outdated; a pod whose StaticIP
// is gone cannot be rebuilt and is left to the StaticIP rules.
func (r *Reconciler) outdated(enm *v1alpha1.ElasticNodeManager, g *gathered, hashes *poolSpecHashes, pod *corev1.Pod) bool {
	sip := g.staticIPOf(pod)
	if sip == nil {
		return false
	}
	want := hashes.hash(enm, podspec.NodeOf(pod), sip, r.PodOptions)
	return pod.Annotations[v1alpha1.AnnotationPodSpecHash] != want
}

// staticIPOf is the pool's StaticIP the pod claims (its label), nil when none.
func (g *gathered) staticIPOf(pod *corev1.Pod) *v1alpha1.StaticIP {
	return g.sipByLabel[pod.Labels[v1alpha1.LabelStaticIP]]
}

// available: running, ready, registered with the RM, and not on its way out.
func available(pod *corev1.Pod, g *gathered) bool {
	if pod.Status.Phase != corev1.PodRunning || drainStateOf(pod, g) != nil || replaceRequested(pod) {
		return false
	}
	ready := false
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			ready = c.Status == corev1.ConditionTrue
		}
	}
	rm, _, _ := g.rmNodeOf(pod)
	return ready && rm.Registered
}

// decideRollout gathers the rollout's plain input from the gathered data and the plan's result.
func (r *Reconciler) decideRollout(enm *v1alpha1.ElasticNodeManager, g *gathered, res plan.Result, now time.Time) plan.RolloutResult {
	us := enm.Spec.UpdateStrategy
	in := plan.RolloutInput{
		Strategy:         us.Type,
		MaxUnavailable:   plan.ResolveMaxUnavailable(us.MaxUnavailable, int(res.Desired)),
		ProgressDeadline: progressDeadline(enm),
		Desired:          int(res.Desired),
		Now:              now,
	}
	if in.Strategy == "" {
		in.Strategy = v1alpha1.UpdateRollingUpdate
	}
	hashes := poolSpecHashesSlot.Get(r.memory(enm)).of(enm)
	in.Pods = make([]plan.RolloutPod, 0, len(g.pods))
	for i := range g.pods {
		pod := &g.pods[i]
		if pod.DeletionTimestamp != nil || pod.Status.Phase == corev1.PodFailed || pod.Status.Phase == corev1.PodSucceeded {
			continue
		}
		in.Pods = append(in.Pods, plan.RolloutPod{
			Name: pod.Name, Outdated: r.outdated(enm, g, hashes, pod), Available: available(pod, g),
			Leaving: drainStateOf(pod, g) != nil || replaceRequested(pod), Created: pod.CreationTimestamp.Time,
		})
	}
	hashes.prune(len(g.pods))
	return plan.DecideRollout(in)
}

func progressDeadline(enm *v1alpha1.ElasticNodeManager) time.Duration {
	if d := enm.Spec.UpdateStrategy.ProgressDeadline; d != nil {
		return d.Duration
	}
	return defaultProgressDeadline
}

// requestReplacements asks the chosen pods to drain and start again, with the same
// annotation a person uses; the plan does the rest on the next reconcile.
func (r *Reconciler) requestReplacements(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, names []string) error {
	var errs []error
	for _, name := range names {
		cached := g.podByName[name]
		if cached == nil {
			continue
		}
		pod := cached.DeepCopy() // never the cache's own object
		if pod.Annotations == nil {
			pod.Annotations = map[string]string{}
		}
		pod.Annotations[v1alpha1.AnnotationDrainRequested] = "rollout"
		if err := r.Client.Patch(ctx, pod, client.MergeFrom(cached)); err != nil {
			errs = append(errs, client.IgnoreNotFound(err))
			continue
		}
		ctrl.LoggerFrom(ctx).Info("Rollout replaces an outdated NodeManager", "pod", klog.KObj(pod), "node", podspec.NodeOf(pod))
		r.event(enm, pod, false, EventRolloutReplacing, "Rollout", "NodeManager %s runs an outdated pod spec: draining it to start it again", pod.Name)
	}
	return errors.Join(errs...)
}

// setRolloutStatus writes the rollout's counts and condition, with an Event when it pauses.
func (r *Reconciler) setRolloutStatus(enm *v1alpha1.ElasticNodeManager, ro plan.RolloutResult, now time.Time) {
	wasPaused := meta.IsStatusConditionTrue(enm.Status.Conditions, v1alpha1.ConditionRolloutPaused)
	st := &enm.Status
	st.UpdatedNodeManagers, st.AvailableNodeManagers, st.TotalNodeManagers = ro.Updated, ro.Available, ro.Total
	plan.SetRolloutPausedCondition(st, ro, progressDeadline(enm), enm.Generation, now)
	if ro.Paused != "" && !wasPaused {
		c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionRolloutPaused)
		r.event(enm, nil, true, EventRolloutPaused, "Rollout", "%s", c.Message)
	}
}
