package disruption

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// downSampler samples, every 100 ms, how many of the pool's NodeManagers do not serve YARN:
// not RUNNING at the RM or advertising no capacity (draining).
type downSampler struct {
	mu      sync.Mutex
	maxDown int
	stop    func()
}

func (p *pool) sampleDown(want int) *downSampler {
	ctx, cancel := context.WithCancel(context.Background())
	s := &downSampler{}
	done := make(chan struct{})
	s.stop = func() { cancel(); <-done }
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			serving := 0
			for _, v := range p.rm.Nodes() {
				if v.State == "RUNNING" && v.Total.VCores > 0 {
					serving++
				}
			}
			s.mu.Lock()
			if d := want - serving; d > s.maxDown {
				s.maxDown = d
			}
			s.mu.Unlock()
			time.Sleep(100 * time.Millisecond)
		}
	}()
	return s
}

func (s *downSampler) max() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxDown
}

func (cl *cluster) enm(ctx context.Context, t *testing.T, p *pool) *v1alpha1.ElasticNodeManager {
	t.Helper()
	var enm v1alpha1.ElasticNodeManager
	must(t, cl.c.Get(ctx, client.ObjectKeyFromObject(p.enm), &enm))
	return &enm
}

// livePods maps node -> the pool's live pod there.
func (cl *cluster) livePods(ctx context.Context, t *testing.T, p *pool) map[string]corev1.Pod {
	t.Helper()
	var pods corev1.PodList
	must(t, cl.c.List(ctx, &pods, client.InNamespace(p.namespace), client.MatchingLabels{v1alpha1.LabelPool: p.name}))
	out := map[string]corev1.Pod{}
	for _, pod := range pods.Items {
		if pod.DeletionTimestamp == nil {
			out[pod.Spec.NodeName] = pod
		}
	}
	return out
}

func nmImage(pod corev1.Pod) string {
	for _, c := range pod.Spec.Containers {
		if c.Name == podspec.NodeManagerContainerName {
			return c.Image
		}
	}
	return ""
}

func (cl *cluster) patchENM(ctx context.Context, t *testing.T, p *pool, patch string) {
	t.Helper()
	if out, err := cl.kubectl(ctx, "-n", p.namespace, "patch", "enm", p.name, "--type=merge", "-p", patch); err != nil {
		t.Fatalf("kubectl patch enm %s: %v: %s", patch, err, out)
	}
}

// An image change across 10 NodeManagers with maxUnavailable 2: never more than 2 stop
// serving YARN at once, every one is drained before its pod goes (nothing killed), each
// comes back on its node with its StaticIP, and the status shows the progress.
func TestRollingUpdateRespectsMaxUnavailable(t *testing.T) {
	cl := env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	const n = 10
	p := cl.newPool(ctx, t, "rolling-update", n, n, 37)
	cl.patchENM(ctx, t, p, `{"spec":{"updateStrategy":{"maxUnavailable":2}}}`)
	p.startWork(t, workFor)
	before := cl.livePods(ctx, t, p)

	down := p.sampleDown(n)
	defer down.stop()
	const newImage = "registry.example.com/hadoop-nodemanager:3.3.7"
	cl.patchENM(ctx, t, p, fmt.Sprintf(`{"spec":{"template":{"image":%q}}}`, newImage))
	var wide string
	waitFor(t, 6*time.Minute, "every NodeManager updated and available", func() error {
		enm := cl.enm(ctx, t, p)
		st := enm.Status
		if wide == "" && st.UpdatedNodeManagers > 0 && st.UpdatedNodeManagers < n {
			wide, _ = cl.kubectl(ctx, "-n", p.namespace, "get", "enm", "-o", "wide")
		}
		pods := cl.livePods(ctx, t, p)
		updated := 0
		for _, pod := range pods {
			if nmImage(pod) == newImage {
				updated++
			}
		}
		if st.UpdatedNodeManagers != n || st.AvailableNodeManagers != n || updated != n || p.runningNMs() != n {
			return fmt.Errorf("status updated %d available %d total %d; %d pods with the new image; %d NodeManagers running",
				st.UpdatedNodeManagers, st.AvailableNodeManagers, st.TotalNodeManagers, updated, p.runningNMs())
		}
		return nil
	})
	down.stop()
	t.Logf("kubectl get enm -o wide during the rollout:\n%s", wide)
	if !strings.Contains(wide, "UPDATED") {
		t.Errorf("kubectl get enm -o wide shows no rollout progress columns:\n%s", wide)
	}
	if got := down.max(); got > 2 || got < 1 {
		t.Errorf("at most %d NodeManagers were down at once, want 1 or 2 (maxUnavailable 2)", got)
	}
	if ended := cl.checkEndingsGraceful(t, p.namespace); ended != n {
		t.Errorf("%d NodeManagers ended, want each of the %d replaced once", ended, n)
	}
	after := cl.livePods(ctx, t, p)
	for node, old := range before {
		if now := after[node]; now.Labels[v1alpha1.LabelStaticIP] != old.Labels[v1alpha1.LabelStaticIP] {
			t.Errorf("node %s: StaticIP %s before the rollout, %s after", node, old.Labels[v1alpha1.LabelStaticIP], now.Labels[v1alpha1.LabelStaticIP])
		}
	}
	if c := meta.FindStatusCondition(cl.enm(ctx, t, p).Status.Conditions, v1alpha1.ConditionRolloutPaused); c == nil || c.Status != "False" {
		t.Errorf("RolloutPaused %+v, want False when complete", c)
	}
}

// A new NodeManager that never registers pauses the rollout (condition and Event) and no
// further working NodeManager is taken down; a corrected spec resumes it and replaces the
// stuck pod too.
func TestRolloutPausesOnUnreadyPod(t *testing.T) {
	cl := env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	const n = 3
	p := cl.newPool(ctx, t, "rollout-pause", n, n, 38)
	cl.patchENM(ctx, t, p, `{"spec":{"updateStrategy":{"maxUnavailable":1,"progressDeadline":"15s"}}}`)
	before := cl.livePods(ctx, t, p)

	cl.patchENM(ctx, t, p, `{"spec":{"template":{"image":"registry.example.com/hadoop-nodemanager:`+brokenImage+`"}}}`)
	waitFor(t, 2*time.Minute, "RolloutPaused", func() error {
		if !meta.IsStatusConditionTrue(cl.enm(ctx, t, p).Status.Conditions, v1alpha1.ConditionRolloutPaused) {
			return fmt.Errorf("not paused")
		}
		return nil
	})
	time.Sleep(5 * time.Second) // a rollout that went on anyway would take the next one by now
	pods := cl.livePods(ctx, t, p)
	var broken, untouched int
	for node, pod := range pods {
		switch {
		case strings.Contains(nmImage(pod), brokenImage):
			broken++
		case pod.UID == before[node].UID && pod.Annotations[v1alpha1.AnnotationDrainRequested] == "":
			untouched++
		}
	}
	if broken != 1 || untouched != n-1 {
		t.Fatalf("paused rollout: %d pods with the broken image and %d untouched, want 1 and %d", broken, untouched, n-1)
	}
	if out, _ := cl.kubectl(ctx, "-n", p.namespace, "get", "events", "--field-selector", "reason=RolloutPaused", "-o", "name"); strings.TrimSpace(out) == "" {
		t.Errorf("no RolloutPaused Event")
	}

	const fixed = "registry.example.com/hadoop-nodemanager:3.3.7"
	cl.patchENM(ctx, t, p, `{"spec":{"template":{"image":"`+fixed+`"}}}`)
	waitFor(t, 3*time.Minute, "the corrected rollout to finish", func() error {
		enm := cl.enm(ctx, t, p)
		if enm.Status.UpdatedNodeManagers != n || enm.Status.AvailableNodeManagers != n || p.runningNMs() != n ||
			meta.IsStatusConditionTrue(enm.Status.Conditions, v1alpha1.ConditionRolloutPaused) {
			return fmt.Errorf("updated %d available %d running %d", enm.Status.UpdatedNodeManagers, enm.Status.AvailableNodeManagers, p.runningNMs())
		}
		return nil
	})
	cl.checkEndingsGraceful(t, p.namespace)
}
