package testkit_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

var env *envtest.Environment

func TestMain(m *testing.M) { os.Exit(envtest.RunMain(m, &env)) }

func namespace(t *testing.T) string { return testkit.NewNamespace(t, env.Client, "kit-") }

// TestPoolDefaultsAreValid: every default pool shape is accepted by the CRD's validation,
// and what the API server stores is exactly WithAPIDefaults of what was built, so code that
// reads a built pool without an API server sees what the operator would.
func TestPoolDefaultsAreValid(t *testing.T) {
	ns := namespace(t)
	ctx := context.Background()
	cases := []struct {
		name string
		opt  testkit.PoolOptions
		want func(*testing.T, *v1alpha1.ElasticNodeManager)
	}{
		{"resident", testkit.PoolOptions{}, func(t *testing.T, e *v1alpha1.ElasticNodeManager) {
			if e.Spec.Mode != v1alpha1.ModeResident || e.Spec.Capacity.Source != v1alpha1.CapacityKoordinator || e.Spec.Capacity.Dynamic == nil {
				t.Errorf("a default pool is resident with Koordinator capacity, got %s / %+v", e.Spec.Mode, e.Spec.Capacity)
			}
			if e.Spec.YARN.Kerberos == nil || len(e.Spec.YARN.ResourceManagers) < 2 {
				t.Errorf("a default pool uses Kerberos and RM HA, got %+v", e.Spec.YARN)
			}
		}},
		{"scheduled", testkit.PoolOptions{Mode: v1alpha1.ModeScheduled}, func(t *testing.T, e *v1alpha1.ElasticNodeManager) {
			if e.Spec.Schedule == nil || e.Spec.Capacity.Static == nil {
				t.Errorf("a scheduled pool has a window and static capacity, got %+v / %+v", e.Spec.Schedule, e.Spec.Capacity)
			}
		}},
		{"on-demand", testkit.PoolOptions{Mode: v1alpha1.ModeOnDemand}, func(t *testing.T, e *v1alpha1.ElasticNodeManager) {
			if e.Spec.OnDemand == nil || e.Spec.OnDemand.Nodes != 1 {
				t.Errorf("an on-demand pool asks for one node, got %+v", e.Spec.OnDemand)
			}
		}},
		{"simple-auth-static", testkit.PoolOptions{SimpleAuth: true, NodeLabel: "elastic",
			Capacity: &v1alpha1.CapacitySpec{Static: &v1alpha1.Resources{VCores: 4, MemoryMB: 8192}}},
			func(t *testing.T, e *v1alpha1.ElasticNodeManager) {
				if e.Spec.YARN.Kerberos != nil || e.Spec.YARN.NodeLabel == nil {
					t.Errorf("SimpleAuth drops Kerberos and NodeLabel sets the partition, got %+v", e.Spec.YARN)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.Namespace, tc.opt.Name = ns, tc.name
			built := testkit.Pool(tc.opt)
			tc.want(t, built)
			if err := env.Client.Create(ctx, built.DeepCopy()); err != nil {
				t.Fatalf("the API server rejects the built pool: %v", err)
			}
			var stored v1alpha1.ElasticNodeManager
			if err := env.Client.Get(ctx, client.ObjectKeyFromObject(built), &stored); err != nil {
				t.Fatal(err)
			}
			if want := testkit.WithAPIDefaults(built).Spec; !equality.Semantic.DeepEqual(stored.Spec, want) {
				t.Errorf("WithAPIDefaults differs from the API server's defaulting:\nstored %+v\nbuilt  %+v", stored.Spec, want)
			}
		})
	}
}

// TestWithAPIDefaultsKeepsWhatIsSet: defaulting fills only empty fields and leaves the input alone.
func TestWithAPIDefaultsKeepsWhatIsSet(t *testing.T) {
	dc := testkit.DynamicCapacity("http://prom:9090")
	dc.MaxRMWritesPerMinute = 120
	in := testkit.Pool(testkit.PoolOptions{Dynamic: dc})
	in.Spec.Guarder.Port = 9999
	out := testkit.WithAPIDefaults(in)
	if out.Spec.Capacity.Dynamic.MaxRMWritesPerMinute != 120 || out.Spec.Guarder.Port != 9999 {
		t.Errorf("set fields were overwritten: %+v / %+v", out.Spec.Capacity.Dynamic, out.Spec.Guarder)
	}
	if in.Spec.Guarder.Enabled != nil || out.Spec.Guarder.Enabled == nil || !*out.Spec.Guarder.Enabled {
		t.Errorf("defaulting must fill the copy only: in %+v, out %+v", in.Spec.Guarder, out.Spec.Guarder)
	}
}

// TestObjectsAreAccepted: a StaticIP, a node and a NodeManager pod of a created pool are
// accepted by the API server, and the pod is controlled by its pool and finds its StaticIP.
func TestObjectsAreAccepted(t *testing.T) {
	ns := namespace(t)
	ctx := context.Background()
	pool := testkit.Pool(testkit.PoolOptions{Namespace: ns})
	if err := env.Client.Create(ctx, pool); err != nil {
		t.Fatal(err)
	}
	sip := testkit.StaticIP(testkit.StaticIPOptions{Namespace: ns, Address: "10.42.0.7"})
	if err := env.Client.Create(ctx, sip); err != nil {
		t.Fatalf("StaticIP: %v", err)
	}
	if sip.Name != "nm-10-42-0-7" || sip.Spec.KeytabSecret == nil || sip.Labels[v1alpha1.LabelPool] != pool.Name {
		t.Errorf("StaticIP defaults: %+v", sip)
	}
	node := testkit.Node(testkit.NodeOptions{Name: ns + "-node"})
	want := node.DeepCopy()
	if err := env.Client.Create(ctx, node); err != nil {
		t.Fatalf("node: %v", err)
	}
	t.Cleanup(func() { _ = env.Client.Delete(context.Background(), node) })
	node.Status = want.Status
	if err := env.Client.Status().Update(ctx, node); err != nil {
		t.Fatalf("node status: %v", err)
	}
	if _, ok := node.Status.Allocatable[testkit.BatchCPU]; !ok {
		t.Errorf("a default node has Koordinator batch allocatable: %v", node.Status.Allocatable)
	}
	pod := testkit.NodeManagerPod(testkit.NodeManagerPodOptions{Pool: pool, Node: node.Name, StaticIP: sip})
	if err := env.Client.Create(ctx, pod); err != nil {
		t.Fatalf("pod: %v", err)
	}
	if ref := metav1.GetControllerOf(pod); ref == nil || ref.UID != pool.UID {
		t.Errorf("pod controller: %+v, want pool %s", ref, pool.UID)
	}
	if got, want := pod.Annotations[v1alpha1.AnnotationYARNNodeID], fmt.Sprintf("%s:%d", sip.Spec.FQDN, 8041); got != want {
		t.Errorf("YARN NodeId %q, want %q", got, want)
	}
	if pod.Labels[v1alpha1.LabelStaticIP] != sip.Name || pod.Labels[v1alpha1.LabelNode] != node.Name || pod.Spec.NodeName != node.Name {
		t.Errorf("pod labels %v, node %q", pod.Labels, pod.Spec.NodeName)
	}
}
