package nodemanager

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// TestUnownedPodIsNeitherManagedNorCounted: a pod carrying the pool's label without being
// controlled by the pool is left alone (not drained, deleted, bound or counted) and reported
// once, however often the pool is reconciled.
func TestUnownedPodIsNeitherManagedNorCounted(t *testing.T) {
	f := newFixture(t, day.Add(7*time.Hour))
	f.node("a")
	f.staticIPs(1)
	spoofed := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "not-a-nodemanager",
			Labels:      map[string]string{v1alpha1.LabelPool: "pool"},
			Annotations: map[string]string{v1alpha1.AnnotationYARNNodeID: "victim.example.com:8041"}},
		Spec: corev1.PodSpec{NodeName: f.nodeName("a"), Containers: []corev1.Container{{Name: "x", Image: "busybox"}}},
	}
	must(t, env.Client.Create(f.ctx, spoofed))
	before := testutil.ToFloat64(unownedPodsTotal)
	f.pool(scheduled)
	f.settle()
	f.advanceTo(day.Add(8*time.Hour + 5*time.Minute)) // the window closed: drains start
	f.settle()

	var got corev1.Pod
	must(t, env.Client.Get(f.ctx, clientKey(f.ns, spoofed.Name), &got))
	if got.DeletionTimestamp != nil || got.Annotations[v1alpha1.AnnotationDrainStarted] != "" || got.Labels[v1alpha1.LabelStaticIP] != "" {
		t.Errorf("the unowned pod was managed: %+v", got.ObjectMeta)
	}
	if n := testutil.ToFloat64(unownedPodsTotal) - before; n != 1 {
		t.Errorf("counted %v times, want once", n)
	}
	if n := f.rec.count(EventUnownedPodIgnored); n != 1 {
		t.Errorf("%d %s Events, want 1", n, EventUnownedPodIgnored)
	}
}
