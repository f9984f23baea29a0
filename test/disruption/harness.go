package disruption

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/localcluster"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// The operator's identity: config/rbac's ServiceAccount, the one config/admission lets delete.
const (
	operatorNamespace      = "elastic-yarn-system"
	operatorServiceAccount = "elastic-yarn-operator"
)

// cluster is the control plane, kwok, the operator and the NodeManager stand-in, shared by
// the tests of the package.
type cluster struct {
	dir, kubeconfig, kubectlBin string
	c                           client.Client
	nms                         *nodeManagers
	stops                       []func()
}

// startCluster brings everything up; the caller stops it with stop, which keeps dir when
// keep is set.
func startCluster(ctx context.Context, b localcluster.Binaries, dir string) (cl *cluster, err error) {
	cl = &cluster{dir: dir, kubectlBin: filepath.Join(b.Assets, "kubectl")}
	cp, err := localcluster.StartControlPlane(ctx, b.Assets, dir)
	if cp != nil {
		cl.stops = append(cl.stops, cp.Stop)
	}
	if err != nil {
		return cl, err
	}
	cl.kubeconfig = cp.Kubeconfig
	kwok, err := localcluster.StartKwok(b.Kwok, filepath.Join(b.RepoRoot, "hack", "demo"), dir, cp.Kubeconfig)
	if err != nil {
		return cl, err
	}
	cl.stops = append(cl.stops, func() { kwok.Stop(5 * time.Second) })
	if cl.c, err = localcluster.NewClient(cp.Kubeconfig); err != nil {
		return cl, err
	}
	for _, o := range []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: operatorNamespace}},
		&schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: "koord-batch"}, Value: 5000},
	} {
		if err := cl.c.Create(ctx, o); err != nil {
			return cl, err
		}
	}
	if err := localcluster.ApplyCRDs(ctx, cl.kubectlBin, b.RepoRoot, cp.Kubeconfig, cl.c); err != nil {
		return cl, err
	}
	// After the CRDs: the garbage collector then watches ElasticNodeManagers from the start
	// (it discovers new kinds only every 30 s), so a cascade is acted on at once.
	if _, err := cp.StartControllerManager(ctx, b.Assets, dir, append(localcluster.ControllerManagerControllers, "taint-eviction-controller")...); err != nil {
		return cl, err
	}
	// The shipped RBAC and deletion guard, as `kubectl apply -k config/default` applies them.
	for _, dir := range []string{"rbac", "admission"} {
		if out, err := cl.kubectl(ctx, "apply", "--server-side", "-k", filepath.Join(b.RepoRoot, "config", dir)); err != nil {
			return cl, fmt.Errorf("applying config/%s: %v: %s", dir, err, out)
		}
	}
	opKubeconfig := filepath.Join(dir, "operator.kubeconfig")
	if err := cp.ServiceAccountKubeconfig(ctx, cl.c, operatorNamespace, operatorServiceAccount, opKubeconfig); err != nil {
		return cl, err
	}
	op, _, err := localcluster.StartOperator(ctx, b.Operator, dir, opKubeconfig, "--drain-poll-interval=2s")
	if op != nil {
		cl.stops = append(cl.stops, func() { op.Stop(10 * time.Second) })
	}
	if err != nil {
		return cl, err
	}
	cl.nms = newNodeManagers(cl.c)
	nmCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { cl.nms.run(nmCtx, 200*time.Millisecond); close(done) }()
	cl.stops = append(cl.stops, func() { cancel(); <-done })
	return cl, nil
}

func (cl *cluster) stop() {
	for i := len(cl.stops) - 1; i >= 0; i-- {
		cl.stops[i]()
	}
}

// kubectl runs the real kubectl as the cluster admin.
func (cl *cluster) kubectl(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, cl.kubectlBin, append([]string{"--kubeconfig=" + cl.kubeconfig}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// pool is one test's ElasticNodeManager with its namespace, nodes, StaticIPs and RM.
type pool struct {
	namespace, name string
	nodes           []string
	rm              *rmemulator.Emulator
	enm             *v1alpha1.ElasticNodeManager
}

// Every NodeManager advertises this much; a test's application fills most of it.
const (
	nmVCores   = 4
	nmMemoryMB = 8192
)

// newPool creates namespace ns with n kwok nodes, ips StaticIPs on 127.0.<subnet>.x and a
// Resident pool with static capacity running on every node, drained with the Drain strategy
// (capacity to zero, then wait for the containers; shedAfter and timeout far beyond the test),
// and waits until every NodeManager has registered.
func (cl *cluster) newPool(ctx context.Context, t *testing.T, ns string, n, ips, subnet int) *pool {
	t.Helper()
	p := &pool{namespace: ns, name: "nms", rm: rmemulator.New(rmemulator.Config{ResizeDelay: 100 * time.Millisecond})}
	if err := p.rm.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.rm.Close)
	rmCtx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go p.rm.RunWorkload(rmCtx, 250*time.Millisecond)
	cl.nms.setRM(ns, p.rm)

	must(t, cl.c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}))
	// The serviceaccount controller makes it too; pods cannot be created before it exists.
	if err := cl.c.Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: ns}}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		node := fmt.Sprintf("%s-%d", ns, i)
		p.nodes = append(p.nodes, node)
		must(t, createNode(ctx, cl.c, node, map[string]string{"elasticyarn.io/test-pool": ns}))
	}
	for i := 0; i < ips; i++ {
		addr := fmt.Sprintf("127.0.%d.%d", subnet, i+1)
		must(t, cl.c.Create(ctx, &v1alpha1.StaticIP{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("nm-%d", i), Namespace: ns, Labels: map[string]string{"elasticyarn.io/test-pool": ns}},
			Spec:       v1alpha1.StaticIPSpec{Address: addr, FQDN: fmt.Sprintf("nm-%d.%s.elasticyarn.test", i, ns)},
		}))
	}
	long := &metav1.Duration{Duration: 30 * time.Minute}
	p.enm = &v1alpha1.ElasticNodeManager{
		ObjectMeta: metav1.ObjectMeta{Name: p.name, Namespace: ns},
		Spec: v1alpha1.ElasticNodeManagerSpec{
			YARN:      v1alpha1.YARNSpec{ClusterName: ns, ResourceManagers: []string{p.rm.URL()}},
			Template:  v1alpha1.NodeManagerTemplate{Image: "registry.example.com/hadoop-nodemanager:3.3.6"},
			Placement: v1alpha1.PlacementSpec{NodeSelector: map[string]string{"elasticyarn.io/test-pool": ns}},
			StaticIPs: v1alpha1.StaticIPPoolSpec{Selector: metav1.LabelSelector{MatchLabels: map[string]string{"elasticyarn.io/test-pool": ns}}},
			Mode:      v1alpha1.ModeResident,
			Capacity:  v1alpha1.CapacitySpec{Source: v1alpha1.CapacityStatic, Static: &v1alpha1.Resources{VCores: nmVCores, MemoryMB: nmMemoryMB}},
			Decommission: v1alpha1.DecommissionSpec{Strategy: v1alpha1.DecommissionDrain, Timeout: long, ShedAfter: long,
				OnDelete: v1alpha1.DeletionDrain},
			Guarder: v1alpha1.GuarderSpec{Enabled: ptr.To(false)},
		},
	}
	must(t, cl.c.Create(ctx, p.enm))
	waitFor(t, 2*time.Minute, fmt.Sprintf("%d NodeManagers of %s registered", n, ns), func() error {
		if got := p.runningNMs(); got != n {
			return fmt.Errorf("%d running", got)
		}
		return nil
	})
	return p
}

// runningNMs counts NodeManagers the RM lists as RUNNING.
func (p *pool) runningNMs() int {
	running := 0
	for _, v := range p.rm.Nodes() {
		if v.State == "RUNNING" {
			running++
		}
	}
	return running
}

// startWork runs an application with enough one-vcore containers of the given duration to
// fill every NodeManager (its AM takes the last vcore), and waits until each runs some.
func (p *pool) startWork(t *testing.T, d time.Duration) {
	t.Helper()
	p.rm.SubmitApp(rmemulator.AppSpec{Name: p.namespace, Type: "SPARK", Containers: nmVCores*len(p.nodes) - 1,
		Resource: rmemulator.Resource{VCores: 1, MemoryMB: 1024}, AMResource: rmemulator.Resource{VCores: 1, MemoryMB: 1024}, Duration: d})
	waitFor(t, time.Minute, "containers on every NodeManager", func() error {
		for _, v := range p.rm.Nodes() {
			if v.State == "RUNNING" && v.NumContainers == 0 {
				return fmt.Errorf("%s runs none", v.ID)
			}
		}
		return nil
	})
}

// pod is the pool's NodeManager pod on node, or nil.
func (cl *cluster) pod(ctx context.Context, t *testing.T, p *pool, node string) *corev1.Pod {
	t.Helper()
	var pods corev1.PodList
	must(t, cl.c.List(ctx, &pods, client.InNamespace(p.namespace), client.MatchingLabels{v1alpha1.LabelPool: p.name}))
	for i := range pods.Items {
		if pods.Items[i].Spec.NodeName == node || pods.Items[i].Labels[v1alpha1.LabelNode] == node {
			return &pods.Items[i]
		}
	}
	return nil
}

// checkEndingsGraceful: every NodeManager of the namespace that ended had no container left
// and zero RM capacity (the drain came first); it returns how many ended.
func (cl *cluster) checkEndingsGraceful(t *testing.T, ns string) int {
	t.Helper()
	endings := cl.nms.Endings(ns)
	for _, e := range endings {
		t.Logf("NodeManager %s on %s ended: %d containers running, %d vcores at the RM, drain annotations %v", e.Pod, e.Node, e.Containers, e.TotalVCores, e.Drained)
		if e.Containers != 0 || e.TotalVCores != 0 {
			t.Errorf("NodeManager pod %s (uid %s) on %s ended with %d containers running and %d vcores at the RM: it was not drained first",
				e.Pod, e.UID, e.Node, e.Containers, e.TotalVCores)
		}
	}
	return len(endings)
}

func createNode(ctx context.Context, c client.Client, name string, labels map[string]string) error {
	labels["kubernetes.io/hostname"] = name
	res := corev1.ResourceList{
		corev1.ResourceCPU:           resource.MustParse("32"),
		corev1.ResourceMemory:        resource.MustParse("128Gi"),
		corev1.ResourcePods:          resource.MustParse("110"),
		"kubernetes.io/batch-cpu":    resource.MustParse("24000"),
		"kubernetes.io/batch-memory": resource.MustParse("100Gi"),
	}
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels,
		Annotations: map[string]string{localcluster.KwokNodeAnnotation: "fake", "node.alpha.kubernetes.io/ttl": "0"}}}
	if err := c.Create(ctx, node); err != nil {
		return err
	}
	// The apiserver drops status on create; kwok may write it meanwhile.
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		var got corev1.Node
		if err := c.Get(ctx, client.ObjectKey{Name: name}, &got); err != nil {
			return err
		}
		got.Status.Capacity, got.Status.Allocatable = res, res.DeepCopy()
		return c.Status().Update(ctx, &got)
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// waitFor polls check every 250 ms until it succeeds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s: %v", timeout, what, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// keepDir: DISRUPTION_KEEP=1 keeps logs and state.
func keepDir() bool { return os.Getenv("DISRUPTION_KEEP") == "1" }

func contains(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func metaName(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Name: name} }
