package plan

import (
	"fmt"
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Reasons of the RolloutPaused condition.
const (
	ReasonRolloutProgressing = "Progressing"
	ReasonRolloutComplete    = "Complete"
	ReasonNodeManagerStuck   = "NodeManagerNotAvailable"
)

// RolloutPod is one live (not terminating, not dead) NodeManager pod as the rollout sees it.
type RolloutPod struct {
	Name string
	// Outdated: its pod-spec hash is not what the pool's spec builds now.
	Outdated bool
	// Available: running, ready, registered with the RM, not draining, not asked to drain.
	Available bool
	// Leaving: draining, or asked to drain (by a person, or by the rollout before): on its way
	// out already.
	Leaving bool
	// Created is when the pod was created: an updated pod unavailable past the progress
	// deadline pauses the rollout.
	Created time.Time
}

// RolloutInput is what the rollout decision looks at.
type RolloutInput struct {
	Strategy v1alpha1.UpdateStrategyType
	// MaxUnavailable is already resolved to a count (ResolveMaxUnavailable).
	MaxUnavailable   int
	ProgressDeadline time.Duration
	Pods             []RolloutPod
	// Desired is how many NodeManagers the pool wants now: a wanted node without an available
	// NodeManager (its replaced pod gone, the new one waiting for its StaticIP's release) is
	// unavailable too, pod or no pod.
	Desired int
	Now     time.Time
}

// RolloutResult says which pods to replace now and how the rollout stands.
type RolloutResult struct {
	// Replace are the pods to ask to drain and start again, by name.
	Replace []string
	// Updated, Available and Total count the live pods.
	Updated, Available, Total int32
	// Paused names the updated pod that is stuck, empty when the rollout is not paused.
	Paused string
}

// ResolveMaxUnavailable turns maxUnavailable into a count of the desired NodeManagers: a
// percent rounds up, and the result is never below 1 (a rollout must be able to move).
func ResolveMaxUnavailable(v *intstr.IntOrString, desired int) int {
	def := intstr.FromString("10%")
	if v == nil {
		v = &def
	}
	n, err := intstr.GetScaledValueFromIntOrPercent(v, desired, true)
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// DecideRollout picks the outdated pods to replace now. Outdated pods that are unavailable
// anyway (starting, not registered) are replaced at once: that adds nothing to what is down.
// Outdated available pods are replaced, by name, only while fewer than maxUnavailable of the
// pool's NodeManagers are unavailable, and not at all while the rollout is paused: an
// updated pod that has not become available within the progress deadline means the new spec
// may be broken, so no further working NodeManager is taken down for it. OnDelete replaces
// nothing.
func DecideRollout(in RolloutInput) RolloutResult {
	var res RolloutResult
	notAvailable := 0
	var candidates []string
	for _, p := range in.Pods {
		res.Total++
		if !p.Outdated {
			res.Updated++
		}
		if p.Available {
			res.Available++
		} else {
			notAvailable++
		}
		if !p.Outdated && !p.Available && !p.Leaving && in.ProgressDeadline > 0 &&
			!in.Now.Before(p.Created.Add(in.ProgressDeadline)) && (res.Paused == "" || p.Name < res.Paused) {
			res.Paused = p.Name
		}
		switch {
		case in.Strategy == v1alpha1.UpdateOnDelete || !p.Outdated || p.Leaving:
		case !p.Available:
			res.Replace = append(res.Replace, p.Name)
		default:
			candidates = append(candidates, p.Name)
		}
	}
	if res.Paused != "" {
		sort.Strings(res.Replace)
		return res
	}
	unavailable := max(in.Desired-int(res.Available), notAvailable)
	sort.Strings(candidates)
	for _, name := range candidates {
		if unavailable >= in.MaxUnavailable {
			break
		}
		res.Replace = append(res.Replace, name)
		unavailable++
	}
	sort.Strings(res.Replace)
	return res
}

// SetRolloutPausedCondition reports whether the rollout waits on a stuck NodeManager.
func SetRolloutPausedCondition(st *v1alpha1.ElasticNodeManagerStatus, r RolloutResult, deadline time.Duration, gen int64, now time.Time) {
	switch {
	case r.Paused != "":
		setCondition(st, v1alpha1.ConditionRolloutPaused, true, ReasonNodeManagerStuck,
			fmt.Sprintf("NodeManager pod %s runs the current spec but is not available after %s (not running, not ready or not registered with the RM); no further NodeManager is replaced until it is or the spec changes", r.Paused, deadline), gen, now)
	case r.Updated < r.Total:
		setCondition(st, v1alpha1.ConditionRolloutPaused, false, ReasonRolloutProgressing,
			fmt.Sprintf("%d of %d NodeManagers run the current spec", r.Updated, r.Total), gen, now)
	default:
		setCondition(st, v1alpha1.ConditionRolloutPaused, false, ReasonRolloutComplete, "every NodeManager runs the current spec", gen, now)
	}
}
