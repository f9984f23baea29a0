package capacity

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// callLog records RM writes and guarder targets in the order they happen.
type callLog struct {
	mu    sync.Mutex
	calls []string
}

func (l *callLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, fmt.Sprintf(format, args...))
}

func (l *callLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.calls
	l.calls = nil
	return out
}

// forNode keeps the calls mentioning one node, in order.
func forNode(calls []string, node string) []string {
	var out []string
	for _, c := range calls {
		if strings.Contains(c, " "+node+" ") {
			out = append(out, c)
		}
	}
	return out
}

// recordingRM logs a resize once the RM confirmed it.
type recordingRM struct {
	RM
	log *callLog
}

func (r recordingRM) UpdateNodeResource(ctx context.Context, id string, res yarnclient.Resource) (yarnclient.Node, error) {
	n, err := r.RM.UpdateNodeResource(ctx, id, res)
	if err == nil {
		r.log.add("rm %s %d/%d", id, res.VCores, res.MemoryMB)
	}
	return n, err
}

// SetNodeResource waits too, so every write is logged once the RM confirmed it.
func (r recordingRM) SetNodeResource(ctx context.Context, id string, res yarnclient.Resource) (yarnclient.Resource, error) {
	if _, err := r.UpdateNodeResource(ctx, id, res); err != nil {
		return yarnclient.Resource{}, err
	}
	return res, nil
}

type fixedRMs struct{ rm RM }

// promSources reaches the Prometheus at the URL the pool names.
func promSources(url string) (MetricsSource, error) {
	s, err := promquery.New(url, nil)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (f fixedRMs) RMFor(context.Context, *v1alpha1.ElasticNodeManager) (RM, error) { return f.rm, nil }

// recordingShedder stands in for the guarder API: it logs every target.
type recordingShedder struct{ log *callLog }

func (s recordingShedder) SetTarget(_ context.Context, pod *corev1.Pod, t guarderclient.Target) error {
	if t.AppPriorities != nil {
		s.log.add("guarder %s %d/%d %s priorities=%v", pod.Annotations[v1alpha1.AnnotationYARNNodeID], t.VCores, t.MemoryMB, t.Reason, t.AppPriorities)
		return nil
	}
	s.log.add("guarder %s %d/%d %s", pod.Annotations[v1alpha1.AnnotationYARNNodeID], t.VCores, t.MemoryMB, t.Reason)
	return nil
}

func createNamespace(t *testing.T, ctx context.Context) string {
	t.Helper()
	return testkit.NewNamespace(t, env.Client, "capacity-")
}

func createNode(t *testing.T, ctx context.Context, name string, cores int) {
	t.Helper()
	want := testkit.Node(testkit.NodeOptions{Name: name, CPUCores: int64(cores)})
	node := want.DeepCopy()
	if err := env.Client.Create(ctx, node); err != nil {
		t.Fatal(err)
	}
	node.Status = want.Status
	if err := env.Client.Status().Update(ctx, node); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Client.Delete(context.Background(), node) })
}

func createNMPod(t *testing.T, ctx context.Context, ns, pool, node, yarnID string) {
	t.Helper()
	// The pool need not exist yet: createResidentPool adopts the pod once it does.
	pod := testkit.NodeManagerPod(testkit.NodeManagerPodOptions{Pool: testkit.Pool(testkit.PoolOptions{Namespace: ns, Name: pool}),
		Node: node, YARNNodeID: yarnID, Name: "nm-" + node})
	if err := env.Client.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
}

func createResidentPool(t *testing.T, ctx context.Context, ns, name, prometheusURL string, mutate func(*v1alpha1.DynamicCapacity)) *v1alpha1.ElasticNodeManager {
	t.Helper()
	dc := testkit.DynamicCapacity(prometheusURL)
	dc.Window = &metav1.Duration{Duration: time.Minute}
	// VCoreRatio (4 GiB per vcore) keeps the expected memory figures readable; the default,
	// BatchMemory, is covered by policy's table tests.
	dc.Memory.Policy = v1alpha1.MemoryVCoreRatio
	if mutate != nil {
		mutate(dc)
	}
	enm := testkit.Pool(testkit.PoolOptions{Namespace: ns, Name: name, Dynamic: dc})
	if err := env.Client.Create(ctx, enm); err != nil {
		t.Fatal(err)
	}
	adoptPods(t, ctx, enm)
	return enm
}

// adoptPods makes the pool the controller of the pods already carrying its label, as the
// NodeManager controller creates them: the capacity controller ignores any other pod.
func adoptPods(t *testing.T, ctx context.Context, enm *v1alpha1.ElasticNodeManager) {
	t.Helper()
	var pods corev1.PodList
	if err := env.Client.List(ctx, &pods, client.InNamespace(enm.Namespace), client.MatchingLabels{v1alpha1.LabelPool: enm.Name}); err != nil {
		t.Fatal(err)
	}
	for i := range pods.Items {
		pod := &pods.Items[i]
		before := pod.DeepCopy()
		if err := controllerutil.SetControllerReference(enm, pod, env.Scheme); err != nil {
			t.Fatal(err)
		}
		if err := env.Client.Patch(ctx, pod, client.MergeFrom(before)); err != nil {
			t.Fatal(err)
		}
	}
}
