// Package cachecheck catches a controller that changes the objects of its informer cache in
// place: controllers that read with client.UnsafeDisableDeepCopy are handed the cache's own
// objects, and a write to one would corrupt what every other reader sees.
package cachecheck

import (
	"context"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
	toolscache "k8s.io/client-go/tools/cache"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// MutationDetector keeps a deep copy of every object the informers put in the cache, next to
// the cache's own pointer, the way client-go's cache mutation detector does. An informer
// replaces an object in its store, it never changes one in place, so any difference between
// a pointer and its copy is a write by someone who was handed the cache's object.
type MutationDetector struct {
	mu   sync.Mutex
	seen []seenObject
}

type seenObject struct {
	cached, copied runtime.Object
}

func (d *MutationDetector) record(obj any) {
	o, ok := obj.(runtime.Object)
	if !ok {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seen = append(d.seen, seenObject{cached: o, copied: o.DeepCopyObject()})
}

// Watch records every object informers of these types add or update.
func (d *MutationDetector) Watch(t *testing.T, ctx context.Context, mgr ctrl.Manager, objs ...client.Object) {
	t.Helper()
	for _, obj := range objs {
		inf, err := mgr.GetCache().GetInformer(ctx, obj)
		if err != nil {
			t.Fatal(err)
		}
		_, err = inf.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
			AddFunc:    d.record,
			UpdateFunc: func(_, cur any) { d.record(cur) },
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Check fails the test for every cached object that changed since the informer stored it.
func (d *MutationDetector) Check(t *testing.T, step string) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.seen) == 0 {
		t.Fatalf("%s: the detector saw no object", step)
	}
	for _, s := range d.seen {
		if !equality.Semantic.DeepEqual(s.cached, s.copied) {
			key := client.ObjectKeyFromObject(s.cached.(client.Object))
			t.Errorf("%s: the reconciler mutated the cache's %T %s in place", step, s.cached, key)
		}
	}
}
