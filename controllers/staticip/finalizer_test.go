package staticip_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	sipctrl "github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

// A bound StaticIP carries the binding finalizer: deleting it leaves it in place (terminating,
// still bound) until its pod is gone and YARN has let the node go; the release takes the
// finalizer with it and the StaticIP goes. An unbound StaticIP has none and goes at once.
func TestBindingFinalizerHoldsDeletion(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	enm := createENM(t, ns, "pool", nil)
	createStaticIP(t, env.Client, ns, "nm-f", "pool", "10.99.3.1", v1alpha1.StaticIPAvailable)
	spare := createStaticIP(t, env.Client, ns, "nm-spare", "pool", "10.99.3.2", v1alpha1.StaticIPAvailable)
	rm := &fakeRM{}
	startController(t, &sipctrl.Reconciler{RM: rm, RMRecheck: 300 * time.Millisecond}, ns)

	sip, err := (&sipctrl.Binder{Client: env.Client}).Bind(ctx, enm, "node-f", "nm-pod-f")
	if err != nil {
		t.Fatal(err)
	}
	pod := testkit.NodeManagerPod(testkit.NodeManagerPodOptions{Pool: enm, Node: "node-f", StaticIP: sip, Name: "nm-pod-f"})
	if err := env.Client.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
	rm.set(sip.Spec.FQDN, true)
	eventually(t, "the binding finalizer", func() (bool, string) {
		got := getStaticIP(t, ns, sip.Name)
		return slices.Contains(got.Finalizers, v1alpha1.FinalizerStaticIPBinding), fmt.Sprint(got.Finalizers)
	})

	if err := env.Client.Delete(ctx, sip); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if got := getStaticIP(t, ns, sip.Name); got.DeletionTimestamp == nil || got.Status.Binding == nil {
		t.Fatalf("a bound StaticIP let go at once: %+v", got.Status)
	}

	// The NodeManager controller drains and deletes the pod; YARN then lists the node as gone.
	if err := env.Client.Delete(ctx, pod, client.GracePeriodSeconds(0)); err != nil {
		t.Fatal(err)
	}
	rm.set(sip.Spec.FQDN, false)
	eventually(t, "the released StaticIP gone", func() (bool, string) {
		err := env.Client.Get(ctx, client.ObjectKeyFromObject(sip), &v1alpha1.StaticIP{})
		return apierrors.IsNotFound(err), fmt.Sprint(err)
	})

	if err := env.Client.Delete(ctx, spare); err != nil {
		t.Fatal(err)
	}
	eventually(t, "an unbound StaticIP gone at once", func() (bool, string) {
		err := env.Client.Get(ctx, client.ObjectKeyFromObject(spare), &v1alpha1.StaticIP{})
		return apierrors.IsNotFound(err), fmt.Sprint(err)
	})
}
