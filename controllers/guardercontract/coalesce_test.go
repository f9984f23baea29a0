package guardercontract_test

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guardercontract"
)

// TestPodEventsOfAPoolAreFoldedIntoOneReconcile sends the events of a pool's cold start (each
// pod created, then updated several times) through the pod handler into both queues a
// controller can have. Nothing is ready before the delay; after it, the pool is queued once.
// Pods the pool does not control queue nothing.
func TestPodEventsOfAPoolAreFoldedIntoOneReconcile(t *testing.T) {
	const delay = 200 * time.Millisecond
	queues := map[string]workqueue.TypedRateLimitingInterface[reconcile.Request]{
		"rate limiting": workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[reconcile.Request]()),
		"priority":      priorityqueue.New[reconcile.Request]("guardercontract-test"),
	}
	for name, q := range queues {
		t.Run(name, func(t *testing.T) {
			defer q.ShutDown()
			h := guardercontract.EnqueueOwningPoolAfter(delay)
			ctx := context.Background()
			controller := true
			pod := func(i int, owner *metav1.OwnerReference) *corev1.Pod {
				p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "nm-" + string(rune('a'+i))}}
				if owner != nil {
					p.OwnerReferences = []metav1.OwnerReference{*owner}
				}
				return p
			}
			pool := &metav1.OwnerReference{APIVersion: v1alpha1.GroupVersion.String(), Kind: "ElasticNodeManager", Name: "night", Controller: &controller}
			// The same pool named through another version of the API (after an upgrade).
			poolOtherVersion := &metav1.OwnerReference{APIVersion: v1alpha1.GroupVersion.Group + "/v1", Kind: "ElasticNodeManager", Name: "night", Controller: &controller}
			otherGroup := &metav1.OwnerReference{APIVersion: "example.com/v1alpha1", Kind: "ElasticNodeManager", Name: "elsewhere", Controller: &controller}
			notController := &metav1.OwnerReference{APIVersion: v1alpha1.GroupVersion.String(), Kind: "ElasticNodeManager", Name: "day"}
			otherKind := &metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs", Controller: &controller}
			for i := 0; i < 20; i++ {
				p := pod(i, pool)
				h.Create(ctx, event.CreateEvent{Object: p}, q)
				for range 5 {
					h.Update(ctx, event.UpdateEvent{ObjectOld: p, ObjectNew: p}, q)
				}
			}
			h.Delete(ctx, event.DeleteEvent{Object: pod(0, pool)}, q)
			h.Update(ctx, event.UpdateEvent{ObjectOld: pod(21, poolOtherVersion), ObjectNew: pod(21, poolOtherVersion)}, q)
			for _, owner := range []*metav1.OwnerReference{nil, notController, otherKind, otherGroup} {
				h.Create(ctx, event.CreateEvent{Object: pod(30, owner)}, q)
			}
			if n := q.Len(); n != 0 {
				t.Fatalf("%d requests ready before the delay", n)
			}

			got, _ := q.Get()
			q.Done(got)
			want := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "night"}}
			if got != want {
				t.Fatalf("queued %v, want %v", got, want)
			}
			time.Sleep(2 * delay)
			if n := q.Len(); n != 0 {
				t.Fatalf("%d more requests after the first", n)
			}
		})
	}
}
