package staticip_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	sipctrl "github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

// TestBindersRacingNeverDoubleBind plays two operator replicas (two clients, two Binders)
// binding 20 pods over 10 addresses at once: exactly 10 win, each address once, and the
// others are told the pool is exhausted.
func TestBindersRacingNeverDoubleBind(t *testing.T) {
	ns := newNamespace(t)
	createPool(t, env.Client, ns, "race", 10)
	enm := poolObject(ns, "race")
	replicas := []*sipctrl.Binder{{Client: newClient(t)}, {Client: newClient(t)}}

	type result struct {
		pod string
		sip *v1alpha1.StaticIP
		err error
	}
	results := make(chan result, 20)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range 20 {
		done.Add(1)
		go func() {
			defer done.Done()
			pod := fmt.Sprintf("nm-%02d", i)
			start.Wait()
			sip, err := replicas[i%2].Bind(context.Background(), enm, fmt.Sprintf("node-%02d", i), pod)
			results <- result{pod, sip, err}
		}()
	}
	start.Done()
	done.Wait()
	close(results)

	holder := map[string]string{}
	for r := range results {
		switch {
		case r.err == nil:
			if other, taken := holder[r.sip.Name]; taken {
				t.Fatalf("%s bound twice: to %s and %s", r.sip.Name, other, r.pod)
			}
			holder[r.sip.Name] = r.pod
		case !errors.Is(r.err, staticippolicy.ErrPoolExhausted):
			t.Errorf("pod %s: unexpected error %v", r.pod, r.err)
		}
	}
	if len(holder) != 10 {
		t.Fatalf("%d binds succeeded, want 10: %v", len(holder), holder)
	}
	var list v1alpha1.StaticIPList
	if err := env.Client.List(context.Background(), &list); err != nil {
		t.Fatal(err)
	}
	for _, sip := range list.Items {
		if sip.Namespace != ns {
			continue
		}
		if b := sip.Status.Binding; b == nil || b.PodName != holder[sip.Name] || sip.Status.Phase != v1alpha1.StaticIPBound {
			t.Errorf("%s: stored binding %+v phase %s, Bind returned it to %q", sip.Name, b, sip.Status.Phase, holder[sip.Name])
		}
	}
}

func TestBindIsIdempotentAndReleaseIsSticky(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	createPool(t, env.Client, ns, "sticky", 3)
	enm := poolObject(ns, "sticky")
	now := time.Now()
	b := &sipctrl.Binder{Client: env.Client, Now: func() time.Time { return now }}

	first, err := b.Bind(ctx, enm, "node-a", "nm-node-a")
	if err != nil {
		t.Fatal(err)
	}
	again, err := b.Bind(ctx, enm, "node-a", "nm-node-a")
	if err != nil || again.Name != first.Name {
		t.Fatalf("second Bind: %v, %v; want %s", again, err, first.Name)
	}
	held, err := b.BoundTo(ctx, enm, "nm-node-a")
	if err != nil || held == nil || held.Name != first.Name {
		t.Fatalf("BoundTo: %v, %v", held, err)
	}

	release(t, env.Client, held)
	// The StaticIP reconciler released it; the next window comes later than the Binder's
	// remembered listing lives, so the Binder sees the release.
	now = now.Add(time.Minute)
	if held.Status.Binding != nil || held.Status.LastNodeName != "node-a" || held.Status.Phase != v1alpha1.StaticIPAvailable {
		t.Fatalf("after release: %+v", held.Status)
	}
	if none, err := b.BoundTo(ctx, enm, "nm-node-a"); err != nil || none != nil {
		t.Fatalf("BoundTo after release: %v, %v", none, err)
	}

	// Another node does not take node-a's address while fresh ones are left ...
	other, err := b.Bind(ctx, enm, "node-b", "nm-node-b")
	if err != nil || other.Name == first.Name {
		t.Fatalf("node-b got %v (%v); node-a's %s should be kept for it", other, err, first.Name)
	}
	// ... and node-a gets its own back: same FQDN, same YARN NodeId.
	back, err := b.Bind(ctx, enm, "node-a", "nm-node-a-2")
	if err != nil || back.Name != first.Name {
		t.Fatalf("node-a got %v (%v), want sticky %s", back, err, first.Name)
	}
}

// TestBindRenewsBindingOfVanishedPod: a pod re-created under the same name asks again; its
// binding loses the old UID and restarts the pending grace, so it is not garbage-collected
// before the new pod exists.
func TestBindRenewsBindingOfVanishedPod(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	createPool(t, env.Client, ns, "renew", 1)
	enm := poolObject(ns, "renew")
	b := &sipctrl.Binder{Client: env.Client}
	sip, err := b.Bind(ctx, enm, "node-a", "nm-node-a")
	if err != nil {
		t.Fatal(err)
	}
	// Simulate the reconciler having adopted a pod that has since been deleted.
	patch := clientMergeFrom(sip)
	sip.Status.Binding.PodUID = "old-uid"
	if err := env.Client.Status().Patch(ctx, sip, patch); err != nil {
		t.Fatal(err)
	}
	again, err := b.Bind(ctx, enm, "node-a", "nm-node-a")
	if err != nil || again.Name != sip.Name {
		t.Fatalf("rebind: %v, %v", again, err)
	}
	if again.Status.Binding.PodUID != "" {
		t.Fatalf("binding still names the vanished pod: %+v", again.Status.Binding)
	}

	// With the pod alive, Bind writes nothing.
	pod := testkit.NodeManagerPod(testkit.NodeManagerPodOptions{Pool: enm, Node: "node-a", Name: "nm-node-a"})
	if err := env.Client.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
	patch = clientMergeFrom(again)
	again.Status.Binding.PodUID = pod.UID
	if err := env.Client.Status().Patch(ctx, again, patch); err != nil {
		t.Fatal(err)
	}
	rv := again.ResourceVersion
	third, err := b.Bind(ctx, enm, "node-a", "nm-node-a")
	if err != nil || third.ResourceVersion != rv {
		t.Fatalf("Bind for a live pod rewrote the binding: %v (rv %s, was %s)", err, third.ResourceVersion, rv)
	}
}
