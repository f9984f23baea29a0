package nodemanager

import (
	"context"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// EventUnownedPodIgnored: a pod carries the pool's label without being controlled by the pool.
const EventUnownedPodIgnored = "UnownedPodIgnored"

var unownedPodsTotal = prometheus.NewCounter(prometheus.CounterOpts{
	Name: "elastic_yarn_nodemanager_unowned_pods_ignored_total",
	Help: "Pods that carry a pool's label without being controlled by the pool, ignored (each counted once).",
})

func init() { crmetrics.Registry.MustRegister(unownedPodsTotal) }

// unownedPods remembers which unowned pods were reported, so each is reported once per
// operator process.
type unownedPods struct {
	mu       sync.Mutex
	reported map[types.UID]bool
}

// reportUnowned records, once per pod, that a pod claims the pool without belonging to it:
// anyone who may create pods in the namespace can set the label, and such a pod is never
// drained, deleted, bound or counted.
func (r *Reconciler) reportUnowned(ctx context.Context, enm *v1alpha1.ElasticNodeManager, pod *corev1.Pod) {
	r.unowned.mu.Lock()
	if r.unowned.reported == nil {
		r.unowned.reported = map[types.UID]bool{}
	}
	seen := r.unowned.reported[pod.UID]
	r.unowned.reported[pod.UID] = true
	r.unowned.mu.Unlock()
	if seen {
		return
	}
	unownedPodsTotal.Inc()
	ctrl.LoggerFrom(ctx).Info("Ignoring a pod that claims the pool without being controlled by it", "pod", klog.KObj(pod))
	r.event(enm, pod, true, EventUnownedPodIgnored, "Ignore", "pod %s carries the pool label but is not controlled by the pool: ignored", pod.Name)
}
