package staticip_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	sipctrl "github.com/elasticyarn/elastic-yarn-operator/controllers/staticip"
)

// countingReader counts StaticIP listings.
type countingReader struct {
	client.Reader
	lists atomic.Int64
}

func (c *countingReader) List(ctx context.Context, list client.ObjectList, opts ...client.ListOption) error {
	if _, ok := list.(*v1alpha1.StaticIPList); ok {
		c.lists.Add(1)
	}
	return c.Reader.List(ctx, list, opts...)
}

// TestBindListsThePoolOncePerBurst: creating n pods must not list the pool n times (at 5,000
// nodes that was 25 million StaticIPs decoded and 20 minutes to start a pool).
func TestBindListsThePoolOncePerBurst(t *testing.T) {
	ns := newNamespace(t)
	const n = 30
	createPool(t, env.Client, ns, "burst", n)
	enm := poolObject(ns, "burst")
	reader := &countingReader{Reader: env.Client}
	b := &sipctrl.Binder{Client: env.Client, Reader: reader}
	seen := map[string]bool{}
	for i := range n {
		sip, err := b.Bind(context.Background(), enm, fmt.Sprintf("node-%02d", i), fmt.Sprintf("nm-%02d", i))
		if err != nil {
			t.Fatalf("bind %d: %v", i, err)
		}
		if seen[sip.Name] {
			t.Fatalf("%s handed out twice", sip.Name)
		}
		seen[sip.Name] = true
	}
	if got := reader.lists.Load(); got != 1 {
		t.Errorf("%d pool listings for %d binds, want 1", got, n)
	}
}

// TestBindRechecksARememberedBinding: a binding Bind remembers but another writer released
// meanwhile is not handed out again unwritten; the pod gets an address that is really bound.
func TestBindRechecksARememberedBinding(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	createPool(t, env.Client, ns, "recheck", 2)
	enm := poolObject(ns, "recheck")
	b := &sipctrl.Binder{Client: env.Client}
	first, err := b.Bind(ctx, enm, "node-a", "nm-a")
	if err != nil {
		t.Fatal(err)
	}
	// The StaticIP reconciler releases it (b's listing is not told).
	release(t, newClient(t), first.DeepCopy())
	again, err := b.Bind(ctx, enm, "node-a", "nm-a")
	if err != nil {
		t.Fatal(err)
	}
	var stored v1alpha1.StaticIP
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(again), &stored); err != nil {
		t.Fatal(err)
	}
	if bnd := stored.Status.Binding; bnd == nil || bnd.PodName != "nm-a" || bnd.NodeName != "node-a" {
		t.Fatalf("Bind returned %s but the API server holds binding %+v for it", again.Name, stored.Status.Binding)
	}
	if again.Name != first.Name {
		t.Errorf("pod on node-a got %s, want its released address %s back (sticky)", again.Name, first.Name)
	}
}

// smallPages lists in pages of size, however many the caller asked for, and counts the pages.
type smallPages struct {
	client.Reader
	size  int64
	pages atomic.Int64
}

func (s *smallPages) List(ctx context.Context, list client.ObjectList, opts ...client.ListOption) error {
	if _, ok := list.(*v1alpha1.StaticIPList); ok {
		s.pages.Add(1)
		opts = append(opts, client.Limit(s.size)) // the last Limit given wins
	}
	return s.Reader.List(ctx, list, opts...)
}

// TestPoolIsListedPageByPage: the pool is read from the API server a page at a time, and every
// page is used: binding every address of a pool larger than a page needs the last page.
func TestPoolIsListedPageByPage(t *testing.T) {
	ns := newNamespace(t)
	const n, pageSize = 11, 4
	createPool(t, env.Client, ns, "paged", n)
	enm := poolObject(ns, "paged")
	reader := &smallPages{Reader: env.Client, size: pageSize}
	b := &sipctrl.Binder{Client: env.Client, Reader: reader}
	for i := range n {
		if _, err := b.Bind(context.Background(), enm, fmt.Sprintf("node-%02d", i), fmt.Sprintf("nm-%02d", i)); err != nil {
			t.Fatalf("bind %d of %d: %v", i+1, n, err)
		}
	}
	if got, want := reader.pages.Load(), int64((n+pageSize-1)/pageSize); got != want {
		t.Errorf("%d list requests for %d StaticIPs in pages of %d, want %d (one listing)", got, n, pageSize, want)
	}
	held, err := b.BoundTo(context.Background(), enm, fmt.Sprintf("nm-%02d", n-1))
	if err != nil || held == nil {
		t.Fatalf("BoundTo the last pod: %v, %v", held, err)
	}
	if held.ManagedFields != nil {
		t.Errorf("a listed StaticIP keeps its managedFields: %v", held.ManagedFields)
	}
}
