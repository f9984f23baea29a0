package nodeagent_test

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/guarderstandin"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/nodeagent"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

var env *envtest.Environment

func TestMain(m *testing.M) { os.Exit(envtest.RunMain(m, &env)) }

// TestAgentRegistersAndServesGuarder: a NodeManager pod as the operator builds it registers
// with the RM emulator once it runs with an address; its guarder answers the operator's own
// client with the pool's token, and only for a registered pod; when the pod goes the
// NodeManager shuts down and its guarder stops answering.
// It runs with the scale run's one shared listener and with the demo's listener per pod.
func TestAgentRegistersAndServesGuarder(t *testing.T) {
	t.Run("shared-port", func(t *testing.T) { agentRegistersAndServesGuarder(t, true) })
	t.Run("port-per-pod", func(t *testing.T) { agentRegistersAndServesGuarder(t, false) })
}

func agentRegistersAndServesGuarder(t *testing.T, sharedPort bool) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := env.Client
	ns := testkit.NewNamespace(t, c, "agent-")
	pc := &schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: podspec.DefaultPriority}, Value: 5000}
	if err := c.Create(ctx, pc); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}

	rm := rmemulator.New(rmemulator.Config{})
	guarders, err := guarderstandin.Start(ctx, guarderstandin.Options{RM: rm, Reader: c, Dir: t.TempDir(), Log: logr.Discard(), SharedPort: sharedPort})
	must(t, err)
	pool := testkit.Pool(testkit.PoolOptions{Namespace: ns})
	pool.Spec.Guarder.Port = int32(guarders.Port())
	if !sharedPort {
		pool.Spec.Guarder.Port = int32(freePort(t))
	}
	must(t, c.Create(ctx, pool))
	token := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: podspec.GuarderTokenSecretName(pool)},
		Data: map[string][]byte{guarderclient.TokenKey: []byte("s3cret")}}
	must(t, c.Create(ctx, token))

	selector, err := labels.Parse(v1alpha1.LabelPool + "=" + pool.Name)
	must(t, err)
	agent, stop, err := nodeagent.Start(ctx, nodeagent.Watch{Config: env.Config, Scheme: env.Scheme, Namespace: ns, Selector: selector},
		nodeagent.Options{RM: rm, Guarders: guarders, Log: logr.Discard(),
			PoolOf: func(context.Context, *corev1.Pod) (*v1alpha1.ElasticNodeManager, error) { return pool, nil }})
	must(t, err)
	defer stop()

	sip := testkit.StaticIP(testkit.StaticIPOptions{Namespace: ns, Address: "127.0.0.1"})
	pod := podspec.Build(pool, "node-a", sip, podspec.Options{DefaultGuarderImage: "guarder:test"})
	must(t, c.Create(ctx, pod))
	id := pod.Annotations[v1alpha1.AnnotationYARNNodeID]
	if _, ok := rm.Node(id); ok {
		t.Fatal("registered before the pod runs")
	}
	pod.Status.Phase, pod.Status.PodIP = corev1.PodRunning, "127.0.0.1"
	must(t, c.Status().Update(ctx, pod))
	eventually(t, "the NodeManager registered", func() bool {
		placed, err := agent.Placements()
		n, ok := rm.Node(id)
		return err == nil && placed[id] == "node-a" && ok && n.State == yarnclient.NodeRunning
	})

	operator := &guarderclient.Client{Secrets: c}
	if err := operator.SetTarget(ctx, pod, guarderclient.Target{VCores: 2, MemoryMB: 4096, Reason: "test"}); err != nil {
		t.Fatalf("the guarder stand-in refused the operator: %v", err)
	}
	if got := guarders.Calls(); got != 1 {
		t.Errorf("%d targets counted, want 1", got)
	}
	stranger := pod.DeepCopy()
	stranger.Status.PodIP = "127.0.0.2" // no NodeManager pod there
	if err := operator.SetTarget(ctx, stranger, guarderclient.Target{VCores: 2, Reason: "test"}); !errors.Is(err, guarderclient.ErrUnavailable) {
		t.Errorf("a call to an address without a pod: %v, want ErrUnavailable", err)
	}

	must(t, c.Delete(ctx, pod, client.GracePeriodSeconds(0)))
	eventually(t, "the NodeManager shut down", func() bool {
		n, ok := rm.Node(id)
		placed, _ := agent.Placements()
		return ok && n.State == yarnclient.NodeShutdown && len(placed) == 0
	})
	if err := operator.SetTarget(ctx, pod, guarderclient.Target{VCores: 2, Reason: "test"}); !errors.Is(err, guarderclient.ErrUnavailable) {
		t.Errorf("a call to a stopped guarder: %v, want ErrUnavailable", err)
	}
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
