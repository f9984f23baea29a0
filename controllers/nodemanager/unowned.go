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
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
)

// EventUnownedPodIgnored: a pod carries the pool's label without being controlled by the pool.
const EventUnownedPodIgnored = "UnownedPodIgnored"

var unownedPodsTotal = prometheus.NewCounter(prometheus.CounterOpts{
	Name: "elastic_yarn_nodemanager_unowned_pods_ignored_total",
	Help: "Pods that carry a pool's label without being controlled by the pool, ignored (each counted once).",
})

func init() { crmetrics.Registry.MustRegister(unownedPodsTotal) }

// reportedUnownedSlot remembers, per pool, which unowned pods were reported, so each is
// reported once per operator process; it goes with the pool's memory. Pods that are gone are
// pruned at each report (prune).
var reportedUnownedSlot = poolstate.NewSlot("nodemanager reported unowned pods",
	func(*poolstate.Pool) *unownedPods { return &unownedPods{reported: map[types.UID]bool{}} }, nil)

type unownedPods struct {
	mu       sync.Mutex
	reported map[types.UID]bool
}

// keepOnly forgets the reported pods that no longer claim the pool.
func (u *unownedPods) keepOnly(unowned []corev1.Pod) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.reported) == 0 {
		return
	}
	still := make(map[types.UID]bool, len(unowned))
	for i := range unowned {
		still[unowned[i].UID] = true
	}
	for uid := range u.reported {
		if !still[uid] {
			delete(u.reported, uid)
		}
	}
}

// reportUnowned records, once per pod, that a pod claims the pool without belonging to it:
// anyone who may create pods in the namespace can set the label, and such a pod is never
// drained, deleted, bound or counted.
func (r *Reconciler) reportUnowned(ctx context.Context, enm *v1alpha1.ElasticNodeManager, reported *unownedPods, pod *corev1.Pod) {
	reported.mu.Lock()
	seen := reported.reported[pod.UID]
	reported.reported[pod.UID] = true
	reported.mu.Unlock()
	if seen {
		return
	}
	unownedPodsTotal.Inc()
	ctrl.LoggerFrom(ctx).Info("Ignoring a pod that claims the pool without being controlled by it", "pod", klog.KObj(pod))
	r.event(enm, pod, true, EventUnownedPodIgnored, "Ignore", "pod %s carries the pool label but is not controlled by the pool: ignored", pod.Name)
}
