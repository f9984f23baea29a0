package capacity

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// TestSpoofedPodIsIgnored: a pod that carries the pool's label and names a real YARN node
// and another Secret, without being controlled by the pool, steers nothing: its node is
// neither resized nor given a guarder target, and it is reported once (Event and metric).
func TestSpoofedPodIsIgnored(t *testing.T) {
	ctx := context.Background()
	src := &fakeSource{fn: func(req promquery.Request) (*promquery.Result, error) {
		res := &promquery.Result{Nodes: map[string]*promquery.NodeResult{}, Queries: 6}
		for _, n := range req.Nodes {
			res.Nodes[n] = freshNode(req.At, 8) // a shrink 20 -> 8 for whatever is asked about
		}
		return res, nil
	}}
	f := newPoolFixture(t, "spoof", []string{"spoof-a"}, src, nil)
	recorder := events.NewFakeRecorder(10)
	f.r.Recorder = recorder
	victim := "spoof-victim:8041"
	f.rm.nodes[victim] = yarnclient.Node{ID: victim, State: yarnclient.NodeRunning,
		TotalResource: &yarnclient.Resource{VCores: 20, MemoryMB: 81920}}
	createNode(t, ctx, "spoof-victim", 64)
	spoofed := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.enm.Namespace, Name: "not-a-nodemanager",
			Labels: map[string]string{v1alpha1.LabelPool: f.enm.Name, v1alpha1.LabelNode: "spoof-victim"},
			Annotations: map[string]string{v1alpha1.AnnotationYARNNodeID: victim,
				v1alpha1.AnnotationGuarderTokenSecret: "someone-elses-secret"}},
		Spec: corev1.PodSpec{NodeName: "spoof-victim", Containers: []corev1.Container{{Name: "x", Image: "busybox"}}},
	}
	if err := env.Client.Create(ctx, spoofed); err != nil {
		t.Fatal(err)
	}
	before := testutil.ToFloat64(unownedPodsTotal)

	for _, at := range []time.Duration{0, time.Minute} {
		for _, c := range f.cycle(t, at) {
			if strings.Contains(c, victim) {
				t.Errorf("cycle at t0+%s acted on the spoofed pod's node: %s", at, c)
			}
		}
	}
	if got := f.rm.nodes[victim].TotalResource.VCores; got != 20 {
		t.Errorf("victim node resized to %d vcores", got)
	}
	if got := f.rm.nodes["spoof-a:8041"].TotalResource.VCores; got != 8 {
		t.Errorf("the pool's own node: %d vcores, want the shrink to 8", got)
	}
	if got := testutil.ToFloat64(unownedPodsTotal) - before; got != 1 {
		t.Errorf("unowned pods counted %v times, want once", got)
	}
	var ignored []string
	for len(recorder.Events) > 0 {
		if e := <-recorder.Events; strings.Contains(e, EventUnownedPodIgnored) {
			ignored = append(ignored, e)
		}
	}
	if len(ignored) != 1 || !strings.Contains(ignored[0], "not-a-nodemanager") {
		t.Errorf("events %q, want one %s naming the pod", ignored, EventUnownedPodIgnored)
	}
}
