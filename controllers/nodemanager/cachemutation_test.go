package nodemanager

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/test/cachecheck"
)

// TestReconcileMutatesNoCachedObject reconciles through the manager's informer cache (pods,
// nodes and StaticIPs are listed without a deep copy) across every write to a pod: drain
// start, shed request, drain cancel, rollout replacement, StaticIP finalizer release and
// delete. No object of the cache may be changed in place.
func TestReconcileMutatesNoCachedObject(t *testing.T) {
	f := newFixture(t, day.Add(2*time.Hour))
	f.node("a")
	f.node("b")
	f.staticIPs(3)
	f.pool(nil)

	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		Logger: klog.Background(), Controller: config.Controller{SkipNameValidation: ptr.To(true)},
	})
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := mgr.Start(ctx); err != nil {
			t.Errorf("manager: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	detector := &cachecheck.MutationDetector{}
	detector.Watch(t, f.ctx, mgr, &corev1.Pod{}, &corev1.Node{}, &v1alpha1.StaticIP{}, &batchv1.Job{})
	f.r.Client = mgr.GetClient()

	// until reconciles (through the cache), plays kubelet and the StaticIP controller, and
	// waits for the cache to catch up, until cond holds.
	until := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); !cond(); {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; events %v", what, f.rec.events)
			}
			f.reconcile()
			f.kubelet()
			f.reconcileStaticIPs()
			time.Sleep(200 * time.Millisecond)
		}
		detector.Check(t, what)
	}
	podOn := func(node string) corev1.Pod {
		for _, p := range f.livePods() {
			if podspec.NodeOf(&p) == f.nodeName(node) {
				return p
			}
		}
		return corev1.Pod{}
	}
	annotate := func(pod corev1.Pod, key string, value *string) {
		t.Helper()
		patch := client.MergeFrom(pod.DeepCopy())
		if value == nil {
			delete(pod.Annotations, key)
		} else {
			pod.Annotations[key] = *value
		}
		must(t, env.Client.Patch(f.ctx, &pod, patch))
	}

	until("two running NodeManagers", func() bool { return f.enm().Status.RunningNodeManagers == 2 })
	f.runApp(4)

	annotate(podOn("a"), v1alpha1.AnnotationDrainRequested, ptr.To("test"))
	until("the drain to start", func() bool { return podOn("a").Annotations[v1alpha1.AnnotationDrainStarted] != "" })

	f.advanceTo(day.Add(2*time.Hour + 31*time.Minute))
	until("the shed request", func() bool { return podOn("a").Annotations[v1alpha1.AnnotationShedRequested] != "" })

	annotate(podOn("a"), v1alpha1.AnnotationDrainRequested, nil)
	until("the drain to be cancelled", func() bool { return podOn("a").Annotations[v1alpha1.AnnotationDrainStarted] == "" })

	enm := f.enm()
	patch := client.MergeFrom(enm.DeepCopy())
	enm.Spec.Template.Image = "hadoop:3.3.7"
	must(t, env.Client.Patch(f.ctx, enm, patch))
	until("the rollout to ask for a replacement", func() bool {
		for _, p := range f.livePods() {
			if p.Annotations[v1alpha1.AnnotationDrainRequested] == "rollout" {
				return true
			}
		}
		return false
	})
	// Drains run to their deadline (the containers run for hours): each drained pod is
	// deleted, its StaticIP finalizer released once YARN lets go of the node, and a new pod
	// with the new image takes its place, one at a time.
	until("every NodeManager replaced", func() bool {
		f.clock.Step(20 * time.Minute)
		pods := f.pods()
		if len(pods) != 2 {
			return false
		}
		for _, p := range pods {
			if p.DeletionTimestamp != nil || !slices.ContainsFunc(p.Spec.Containers, func(c corev1.Container) bool { return c.Image == "hadoop:3.3.7" }) {
				return false
			}
		}
		return true
	})
	if n := f.rec.count(EventNodeManagerDeleted); n < 2 {
		t.Errorf("%d NodeManagers deleted, want the 2 replaced; events %v", n, f.rec.events)
	}
}
