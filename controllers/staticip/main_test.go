package staticip_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/test/envtest"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

var env *envtest.Environment

func TestMain(m *testing.M) { os.Exit(envtest.RunMain(m, &env)) }

// newNamespace gives each test its own namespace, so tests never see each other's pools.
func newNamespace(t *testing.T) string {
	t.Helper()
	return testkit.NewNamespace(t, env.Client, "sip-")
}

// poolObject is an ElasticNodeManager as the Binder sees it; Binder tests need not create it.
func poolObject(ns, name string) *v1alpha1.ElasticNodeManager {
	return testkit.Pool(testkit.PoolOptions{Namespace: ns, Name: name, SimpleAuth: true})
}

// createStaticIP creates a StaticIP labelled for pool and, when phase is set, writes that
// phase to status (as the reconciler would after checking it).
func createStaticIP(t *testing.T, c client.Client, ns, name, pool, address string, phase v1alpha1.StaticIPPhase) *v1alpha1.StaticIP {
	t.Helper()
	ctx := context.Background()
	sip := testkit.StaticIP(testkit.StaticIPOptions{Namespace: ns, Name: name, Pool: pool, Address: address, NoKeytab: true})
	if err := c.Create(ctx, sip); err != nil {
		t.Fatalf("create StaticIP %s: %v", name, err)
	}
	if phase != "" {
		patch := client.MergeFrom(sip.DeepCopy())
		sip.Status.Phase = phase
		if err := c.Status().Patch(ctx, sip, patch); err != nil {
			t.Fatalf("status of StaticIP %s: %v", name, err)
		}
	}
	return sip
}

func createPool(t *testing.T, c client.Client, ns, pool string, n int) {
	t.Helper()
	for i := range n {
		createStaticIP(t, c, ns, fmt.Sprintf("ip-%02d", i), pool, fmt.Sprintf("10.%d.0.%d", len(ns)%200, i+1), v1alpha1.StaticIPAvailable)
	}
}

func newClient(t *testing.T) client.Client {
	t.Helper()
	c, err := client.New(env.Config, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// release frees sip the way the StaticIP reconciler writes a release (the only writer of
// one): the node is remembered, the binding goes, the address is Available again.
func release(t *testing.T, c client.Client, sip *v1alpha1.StaticIP) {
	t.Helper()
	patch := client.MergeFromWithOptions(sip.DeepCopy(), client.MergeFromWithOptimisticLock{})
	sip.Status.LastNodeName = sip.Status.Binding.NodeName
	sip.Status.Binding = nil
	sip.Status.Phase = v1alpha1.StaticIPAvailable
	if err := c.Status().Patch(context.Background(), sip, patch); err != nil {
		t.Fatal(err)
	}
}
