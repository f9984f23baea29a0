package nodemanager

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// startManager runs the controller in a real manager (watches, cache, work queue) until the
// returned stop function is called.
func (f *fixture) startManager() (stop func()) {
	f.t.Helper()
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:                 env.Scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Logger:                 klog.Background(),
		// Each test starts its own manager with the same controller name.
		Controller: config.Controller{SkipNameValidation: ptr.To(true)},
	})
	must(f.t, err)
	r := f.newReconciler()
	r.Client = nil // SetupWithManager takes the manager's cached client
	r.DrainPollInterval = time.Second
	must(f.t, r.SetupWithManager(mgr))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := mgr.Start(ctx); err != nil {
			f.t.Errorf("manager: %v", err)
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// eventually polls cond for up to 20 seconds.
func (f *fixture) eventually(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	f.t.Fatalf("timed out waiting for %s", what)
}

// touch changes an annotation of the pool so the manager reconciles it now (the fake clock
// does not fire real timers).
func (f *fixture) touch() {
	f.t.Helper()
	enm := f.enm()
	patch := client.MergeFrom(enm.DeepCopy())
	if enm.Annotations == nil {
		enm.Annotations = map[string]string{}
	}
	enm.Annotations["test/touch"] = f.clock.Now().String()
	must(f.t, env.Client.Patch(f.ctx, enm, patch))
}

// TestManagerRestartMidDrain runs the controller in a real manager, stops the manager in
// the middle of a drain and starts a new one, which resumes the drain from the pod.
func TestManagerRestartMidDrain(t *testing.T) {
	f := newFixture(t, day.Add(2*time.Hour))
	f.node("a")
	f.staticIPs(1)
	f.pool(scheduled)

	stop := f.startManager()
	f.eventually("a NodeManager pod", func() bool { return len(f.livePods()) == 1 })
	f.kubelet()
	f.runApp(3)
	f.eventually("Ready", func() bool {
		f.touch()
		return f.enm().Status.RunningNodeManagers == 1
	})

	f.advanceTo(day.Add(8*time.Hour + 5*time.Minute))
	f.touch()
	f.eventually("the drain to start", func() bool {
		p := f.livePods()
		return len(p) == 1 && p[0].Annotations[v1alpha1.AnnotationDrainStarted] != ""
	})
	started := f.livePods()[0].Annotations[v1alpha1.AnnotationDrainStarted]
	stop()

	f.advanceTo(day.Add(8*time.Hour + 35*time.Minute))
	stop = f.startManager()
	defer stop()
	f.eventually("the shed request after the restart", func() bool { return f.shedder.count("drain") == 1 })
	if got := f.livePods()[0].Annotations[v1alpha1.AnnotationDrainStarted]; got != started {
		t.Errorf("drain start changed across the restart: %s -> %s", started, got)
	}
	f.advanceTo(day.Add(9 * time.Hour))
	f.touch()
	f.eventually("the pod to be deleted at the deadline", func() bool {
		for _, p := range f.pods() {
			if p.DeletionTimestamp == nil {
				return false
			}
		}
		return true
	})
}

// TestPoolStatusUpdatesDoNotReconcile: the pool's status is written by every controller at
// every cycle, and this controller reads none of it but its own conditions, so a status
// update must not queue a reconcile (each lists every pod, Node and StaticIP of the pool and
// the RM's nodes: at 5,000 nodes that was most of the operator's steady work). An annotation
// change still reconciles. Every reconcile lists the RM's nodes, so the RM's count of
// listings counts the reconciles.
func TestPoolStatusUpdatesDoNotReconcile(t *testing.T) {
	f := newFixture(t, day.Add(2*time.Hour))
	f.node("a")
	f.staticIPs(1)
	f.pool(nil)
	stop := f.startManager()
	defer stop()
	f.eventually("a NodeManager pod", func() bool { return len(f.livePods()) == 1 })
	f.kubelet()
	f.eventually("Ready", func() bool {
		f.touch()
		return f.enm().Status.RunningNodeManagers == 1
	})
	listings := func() int { return f.rm.Requests(http.MethodGet, "/ws/v1/cluster/nodes") }
	settled := func() int {
		for last := listings(); ; {
			time.Sleep(2 * time.Second)
			if now := listings(); now == last {
				return now
			} else {
				last = now
			}
		}
	}
	before := settled()

	for i := range 5 {
		enm := f.enm()
		patch := client.MergeFrom(enm.DeepCopy())
		enm.Status.Offered.VCores = int64(i + 1) // the capacity controller's field
		must(t, env.Client.Status().Patch(f.ctx, enm, patch))
	}
	if after := settled(); after != before {
		t.Errorf("5 status updates of the pool made %d reconciles, want none", after-before)
	}

	enm := f.enm()
	patch := client.MergeFrom(enm.DeepCopy())
	enm.Annotations["test/touch"] = "once more"
	must(t, env.Client.Patch(f.ctx, enm, patch))
	f.eventually("an annotation change to reconcile", func() bool { return listings() > before })
}
