package disruption

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager"
	"github.com/elasticyarn/elastic-yarn-operator/test/localcluster"
	"github.com/elasticyarn/elastic-yarn-operator/test/realcomponents"
)

// workFor is how long each test's containers run: a drain must wait for them.
const workFor = 15 * time.Second

var (
	shared     *cluster
	sharedErr  error
	sharedOnce sync.Once
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.stop()
		if code == 0 && !keepDir() {
			_ = os.RemoveAll(shared.dir)
		} else {
			fmt.Fprintf(os.Stderr, "disruption: logs and state kept in %s\n", shared.dir)
		}
	}
	os.Exit(code)
}

// env starts the shared cluster on first use (skipping, or failing when real components are
// required, if a binary is missing).
func env(t *testing.T) *cluster {
	t.Helper()
	b := localcluster.RequireBinaries(t)
	realcomponents.Tool(t, "kube")
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "elastic-yarn-disruption-")
		if err != nil {
			sharedErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		shared, sharedErr = startCluster(ctx, b, dir)
	})
	if sharedErr != nil {
		dir := ""
		if shared != nil {
			dir = shared.dir
		}
		t.Fatalf("starting the cluster (logs in %q): %v", dir, sharedErr)
	}
	return shared
}

// A person's `kubectl delete pod` of a running NodeManager is refused with a message naming the
// drain request; the request drains the NodeManager (capacity zero, containers finish), the
// operator deletes the pod and starts a new one on the same node.
func TestDirectPodDeleteDrainsFirst(t *testing.T) {
	cl := env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := cl.newPool(ctx, t, "direct-delete", 1, 1, 31)
	p.startWork(t, workFor)
	old := cl.pod(ctx, t, p, p.nodes[0])

	out, err := cl.kubectl(ctx, "-n", p.namespace, "delete", "pod", old.Name, "--wait=false")
	if err == nil || !contains(out, "ValidatingAdmissionPolicy", v1alpha1.AnnotationDrainRequested) {
		t.Fatalf("kubectl delete pod of a running NodeManager: err %v, output %q; want a refusal naming %s", err, out, v1alpha1.AnnotationDrainRequested)
	}
	// The API says the same to any client, cluster admins included.
	if err := cl.c.Delete(ctx, old); !apierrors.IsForbidden(err) && !apierrors.IsInvalid(err) {
		t.Fatalf("admin delete of a running NodeManager pod: %v, want it refused", err)
	}
	if now := cl.pod(ctx, t, p, p.nodes[0]); now == nil || now.UID != old.UID || now.DeletionTimestamp != nil {
		t.Fatalf("the refused delete touched the pod: %+v", now)
	}

	if out, err := cl.kubectl(ctx, "-n", p.namespace, "annotate", "pod", old.Name, v1alpha1.AnnotationDrainRequested+"=true"); err != nil {
		t.Fatalf("kubectl annotate: %v: %s", err, out)
	}
	waitFor(t, 2*time.Minute, "a new NodeManager on the node", func() error {
		now := cl.pod(ctx, t, p, p.nodes[0])
		if now == nil || now.UID == old.UID || p.runningNMs() != 1 {
			return fmt.Errorf("pod %v, %d NodeManagers running", now != nil, p.runningNMs())
		}
		return nil
	})
	if n := cl.checkEndingsGraceful(t, p.namespace); n != 1 {
		t.Errorf("%d NodeManagers ended, want the one asked to drain", n)
	}
}

// The real `kubectl drain` of a node with a NodeManager: its evictions are refused by the pool's
// budget while the operator, seeing the cordon, drains the NodeManager; kubectl drain then
// completes by itself. The other node's NodeManager is untouched.
func TestKubectlDrainWaitsForGracefulDecommission(t *testing.T) {
	cl := env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := cl.newPool(ctx, t, "kubectl-drain", 2, 2, 32)
	p.startWork(t, workFor)
	other := cl.pod(ctx, t, p, p.nodes[1])
	waitFor(t, time.Minute, "the disruption controller to process the pool's budget", func() error {
		var pdb policyv1.PodDisruptionBudget
		if err := cl.c.Get(ctx, client.ObjectKey{Namespace: p.namespace, Name: nodemanager.DisruptionBudgetName(p.name)}, &pdb); err != nil {
			return err
		}
		if pdb.Status.ObservedGeneration != pdb.Generation || pdb.Status.ExpectedPods != 2 || pdb.Status.DisruptionsAllowed != 0 {
			return fmt.Errorf("status %+v", pdb.Status)
		}
		return nil
	})

	start := time.Now()
	out, err := cl.kubectl(ctx, "drain", p.nodes[0], "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=3m")
	took := time.Since(start)
	if err != nil {
		t.Fatalf("kubectl drain: %v\n%s", err, out)
	}
	t.Logf("kubectl drain took %s:\n%s", took.Round(time.Second), out)
	if !strings.Contains(out, "disruption budget") {
		t.Errorf("kubectl drain never met the pool's PodDisruptionBudget: the eviction was not blocked")
	}
	if pod := cl.pod(ctx, t, p, p.nodes[0]); pod != nil {
		t.Errorf("pod %s is still on the drained node", pod.Name)
	}
	if n := cl.checkEndingsGraceful(t, p.namespace); n != 1 {
		t.Errorf("%d NodeManagers ended, want the drained node's only", n)
	}
	if now := cl.pod(ctx, t, p, p.nodes[1]); now == nil || now.UID != other.UID || now.DeletionTimestamp != nil {
		t.Errorf("the other node's NodeManager was touched")
	}
}

// A foreground cascade (Argo CD's prune): the garbage collector's deletes of the running pods
// are refused; the pool's finalizer keeps it while the operator drains and deletes them.
func TestForegroundDeletionDrainsFirst(t *testing.T) {
	cl := env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := cl.newPool(ctx, t, "foreground", 2, 2, 33)
	p.startWork(t, workFor)

	if out, err := cl.kubectl(ctx, "-n", p.namespace, "delete", "enm", p.name, "--cascade=foreground", "--wait=false"); err != nil {
		t.Fatalf("kubectl delete --cascade=foreground: %v: %s", err, out)
	}
	waitFor(t, 30*time.Second, "the garbage collector to take the foreground deletion", func() error {
		var enm v1alpha1.ElasticNodeManager
		if err := cl.c.Get(ctx, client.ObjectKeyFromObject(p.enm), &enm); err != nil {
			return err
		}
		for _, f := range enm.Finalizers {
			if f == "foregroundDeletion" {
				return nil
			}
		}
		return fmt.Errorf("finalizers %v", enm.Finalizers)
	})
	waitGone(ctx, t, cl, p.enm, 3*time.Minute)
	if n := cl.checkEndingsGraceful(t, p.namespace); n != 2 {
		t.Errorf("%d NodeManagers ended, want 2", n)
	}
}

// A namespace deletion: the namespace controller's deletes of running pods are refused; it
// deletes the pool too, whose finalizer makes the operator drain and delete them.
func TestNamespaceDeletionDrainsFirst(t *testing.T) {
	cl := env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	p := cl.newPool(ctx, t, "namespace-delete", 2, 2, 34)
	p.startWork(t, workFor)

	if out, err := cl.kubectl(ctx, "delete", "namespace", p.namespace, "--wait=false"); err != nil {
		t.Fatalf("kubectl delete namespace: %v: %s", err, out)
	}
	waitGone(ctx, t, cl, &corev1.Namespace{ObjectMeta: metaName(p.namespace)}, 4*time.Minute)
	if n := cl.checkEndingsGraceful(t, p.namespace); n != 2 {
		t.Errorf("%d NodeManagers ended, want 2", n)
	}
}

// Cordon, and an untolerated NoExecute taint (with the taint manager running), each make the
// operator drain that node's NodeManager and remove its pod; no new one starts there.
func TestCordonDrainsTheNodeManager(t *testing.T) {
	cl := env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := cl.newPool(ctx, t, "cordon", 2, 2, 35)
	p.startWork(t, workFor)

	if out, err := cl.kubectl(ctx, "cordon", p.nodes[0]); err != nil {
		t.Fatalf("kubectl cordon: %v: %s", err, out)
	}
	if out, err := cl.kubectl(ctx, "taint", "node", p.nodes[1], "maintenance=now:NoExecute"); err != nil {
		t.Fatalf("kubectl taint: %v: %s", err, out)
	}
	waitFor(t, 2*time.Minute, "both NodeManager pods gone", func() error {
		for _, n := range p.nodes {
			if pod := cl.pod(ctx, t, p, n); pod != nil {
				return fmt.Errorf("pod %s still on %s", pod.Name, n)
			}
		}
		return nil
	})
	time.Sleep(3 * time.Second) // a wrongly recreated pod would show up by now
	for _, n := range p.nodes {
		if pod := cl.pod(ctx, t, p, n); pod != nil {
			t.Errorf("a NodeManager pod %s came back on %s", pod.Name, n)
		}
	}
	if n := cl.checkEndingsGraceful(t, p.namespace); n != 2 {
		t.Errorf("%d NodeManagers ended, want 2", n)
	}
}

func waitGone(ctx context.Context, t *testing.T, cl *cluster, obj client.Object, timeout time.Duration) {
	t.Helper()
	waitFor(t, timeout, fmt.Sprintf("%T %s gone", obj, obj.GetName()), func() error {
		err := cl.c.Get(ctx, client.ObjectKeyFromObject(obj), obj)
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("still there (finalizers %v)", obj.GetFinalizers())
	})
}

// Deleting a bound StaticIP waits: its finalizer holds it while the operator drains the
// NodeManager using the address and deletes its pod; the binding is released, the StaticIP
// goes, and the node gets a new NodeManager with the spare address.
func TestBoundStaticIPDeletionWaitsForDrain(t *testing.T) {
	cl := env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := cl.newPool(ctx, t, "staticip-delete", 1, 2, 36)
	p.startWork(t, workFor)
	old := cl.pod(ctx, t, p, p.nodes[0])
	var sip v1alpha1.StaticIP
	must(t, cl.c.Get(ctx, client.ObjectKey{Namespace: p.namespace, Name: old.Labels[v1alpha1.LabelStaticIP]}, &sip))

	if out, err := cl.kubectl(ctx, "-n", p.namespace, "delete", "staticip", sip.Name, "--wait=false"); err != nil {
		t.Fatalf("kubectl delete staticip: %v: %s", err, out)
	}
	time.Sleep(2 * time.Second)
	must(t, cl.c.Get(ctx, client.ObjectKeyFromObject(&sip), &sip))
	if sip.DeletionTimestamp == nil || sip.Status.Binding == nil {
		t.Fatalf("StaticIP %s right after the delete: deletionTimestamp %v, binding %+v; want it held, still bound", sip.Name, sip.DeletionTimestamp, sip.Status.Binding)
	}
	waitGone(ctx, t, cl, &sip, 2*time.Minute)
	if n := cl.checkEndingsGraceful(t, p.namespace); n != 1 {
		t.Errorf("%d NodeManagers ended, want the one on the deleted address", n)
	}
	waitFor(t, time.Minute, "a new NodeManager on the spare address", func() error {
		now := cl.pod(ctx, t, p, p.nodes[0])
		if now == nil || now.UID == old.UID || now.Labels[v1alpha1.LabelStaticIP] == sip.Name || p.runningNMs() != 1 {
			return fmt.Errorf("not yet")
		}
		return nil
	})
}
