package staticip

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
	"github.com/elasticyarn/elastic-yarn-operator/staticippolicy"
)

// minBindAttempts bounds Bind's retry loop. Every conflict means another writer changed one
// StaticIP, so Bind also allows one attempt per StaticIP in the pool: a burst of binds over a
// pool converges instead of failing early.
const minBindAttempts = 16

// maxConcurrentBinds bounds the Binds of one pool in flight at once: the NodeManager
// controller's create workers (nodemanager.DefaultCreateWorkers, 8) each bind before they
// create, so this lets all of them write at once and no more.
const maxConcurrentBinds = 8

// ErrTooManyConflicts is returned when Bind lost every optimistic-concurrency race it tried.
var ErrTooManyConflicts = errors.New("static IP binding: too many concurrent updates")

// Binder hands StaticIPs to NodeManager pods. The NodeManager controller calls Bind before it
// creates a pod (the address goes into the pod's CNI annotation and the pod must carry the
// label elasticyarn.io/static-ip=<StaticIP name>) and BoundTo to find what a pod holds.
// Releasing an address is the StaticIP reconciler's alone (docs/development.md): the Binder
// sees a release through its conditional writes and, at the latest, listingMaxAge later.
//
// Every write is a status patch with a resourceVersion precondition
// (MergeFromWithOptimisticLock), so two operator replicas, or two workers of one, can never
// bind one StaticIP twice: the API server rejects the second write with 409 and the loser
// re-reads and chooses again. Within one process, binds of one pool choose under a short
// per-pool lock and mark their choice in the remembered listing, then write outside the
// lock: up to maxConcurrentBinds distinct addresses are written at once, and the marks keep
// them from racing each other for one address (the precondition still decides).
type Binder struct {
	// Client writes StaticIP status.
	Client client.Client
	// Reader lists StaticIPs and reads pods. Use the manager's API reader (uncached): a
	// cache a moment behind would make a retried Bind miss the binding it just wrote and
	// take a second address. Nil means Client.
	Reader client.Reader
	// Now is the clock for binding timestamps; nil means time.Now.
	Now func() time.Time

	// Pools is the operator's per-pool memory, where each pool's remembered listing is kept
	// (a pool deleted and created again under the same name starts with nothing); nil gives
	// the Binder its own.
	Pools *poolstate.Pools

	poolsOnce sync.Once
}

func (b *Binder) pools() *poolstate.Pools {
	b.poolsOnce.Do(func() {
		if b.Pools == nil {
			b.Pools = &poolstate.Pools{}
		}
	})
	return b.Pools
}

func (b *Binder) reader() client.Reader {
	if b.Reader != nil {
		return b.Reader
	}
	return b.Client
}

func (b *Binder) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

// Bind gives the pod podName (to run on nodeName) a StaticIP of the pool enm and returns it
// with the binding in its status. It is idempotent: a pod that already holds an address gets
// the same one back. Errors wrap staticippolicy.ErrPoolExhausted (with counts) when nothing is
// free, staticippolicy.ErrHeldElsewhere for a stale binding of a same-named pod on another node,
// and ErrTooManyConflicts when every attempt lost a race.
func (b *Binder) Bind(ctx context.Context, enm *v1alpha1.ElasticNodeManager, nodeName, podName string) (*v1alpha1.StaticIP, error) {
	req := staticippolicy.Request{Pool: enm.Name, Node: nodeName, Pod: podName, RequireKeytab: enm.Spec.YARN.Kerberos != nil}
	listing := poolListings.Get(b.pools().Of(enm))
	leave, err := listing.enter(ctx, podName)
	if err != nil {
		return nil, err
	}
	defer leave()
	maxAttempts := minBindAttempts
	for attempt := 0; attempt < maxAttempts; attempt++ {
		listing.mu.Lock()
		remembered := listing.current(b.now())
		if !remembered {
			// Listed under the lock: a burst of Binds lists the pool once, not once each. The
			// old listing is let go first, so the two are never held together.
			listing.invalidate()
			pool, err := listPool(ctx, b.reader(), enm)
			if err != nil {
				listing.mu.Unlock()
				return nil, err
			}
			listing.replace(pool, b.now())
		}
		maxAttempts = max(maxAttempts, len(listing.items)+1)
		alloc, err := staticippolicy.Allocate(req, listing.items)
		if err != nil {
			if remembered {
				listing.invalidate() // say so only on what the API server says now
				listing.mu.Unlock()
				continue
			}
			listing.mu.Unlock()
			return nil, err
		}
		// The copy keeps the listed resourceVersion and status: the write is conditional on
		// exactly what Allocate saw.
		sip := find(listing.items, alloc.Name).DeepCopy()
		bnd := v1alpha1.StaticIPBinding{Pool: req.Pool, PodName: req.Pod, NodeName: req.Node, Since: metav1.NewTime(b.now())}
		if !alloc.Existing {
			listing.reserve(sip.Name, bnd)
		}
		listing.mu.Unlock()

		if alloc.Existing {
			err = b.confirmHeld(ctx, sip, remembered)
			if err == nil {
				err = b.renewIfPodMissing(ctx, sip)
			}
		} else {
			err = b.writeBinding(ctx, sip, bnd)
		}

		listing.mu.Lock()
		if !alloc.Existing {
			listing.unreserve(sip.Name, err == nil)
		}
		switch {
		case err == nil:
			listing.store(sip)
			listing.mu.Unlock()
			return sip, nil
		case apierrors.IsConflict(err) || apierrors.IsNotFound(err):
			listing.invalidate() // someone else changed (or deleted) it first: look again
			listing.mu.Unlock()
		default:
			listing.mu.Unlock()
			return nil, fmt.Errorf("binding StaticIP %s to pod %s: %w", sip.Name, podName, err)
		}
	}
	return nil, fmt.Errorf("%w: pod %s in pool %s after %d attempts", ErrTooManyConflicts, podName, enm.Name, maxAttempts)
}

// confirmHeld re-reads a binding found in a remembered listing; a binding released since
// (by the StaticIP reconciler) answers as a conflict, so Bind lists again.
func (b *Binder) confirmHeld(ctx context.Context, sip *v1alpha1.StaticIP, remembered bool) error {
	if !remembered {
		return nil
	}
	want := *sip.Status.Binding
	if err := b.reader().Get(ctx, client.ObjectKeyFromObject(sip), sip); err != nil {
		return err
	}
	if !sameHolder(sip.Status.Binding, &want) {
		return apierrors.NewConflict(v1alpha1.GroupVersion.WithResource("staticips").GroupResource(), sip.Name,
			errors.New("binding changed since the pool was listed"))
	}
	return nil
}

func (b *Binder) writeBinding(ctx context.Context, sip *v1alpha1.StaticIP, bnd v1alpha1.StaticIPBinding) error {
	patch := client.MergeFromWithOptions(sip.DeepCopy(), client.MergeFromWithOptimisticLock{})
	sip.Status.Binding = &bnd
	sip.Status.Phase = v1alpha1.StaticIPBound
	return b.Client.Status().Patch(ctx, sip, patch)
}

// renewIfPodMissing handles a Bind for a pod whose binding names a pod UID that no longer
// exists: the NodeManager controller is about to re-create a pod of the same name. Clearing
// the UID and restarting the clock gives that creation the reconciler's pending grace, so the
// address is not released under the new pod's feet.
func (b *Binder) renewIfPodMissing(ctx context.Context, sip *v1alpha1.StaticIP) error {
	bnd := sip.Status.Binding
	if bnd.PodUID == "" {
		return nil
	}
	var pod corev1.Pod
	err := b.reader().Get(ctx, types.NamespacedName{Namespace: sip.Namespace, Name: bnd.PodName}, &pod)
	switch {
	case err == nil && pod.UID == bnd.PodUID:
		return nil
	case err != nil && !apierrors.IsNotFound(err):
		return err
	}
	patch := client.MergeFromWithOptions(sip.DeepCopy(), client.MergeFromWithOptimisticLock{})
	sip.Status.Binding.PodUID = ""
	sip.Status.Binding.Since = metav1.NewTime(b.now())
	sip.Status.Phase = v1alpha1.StaticIPBound
	return b.Client.Status().Patch(ctx, sip, patch)
}

// BoundTo returns the StaticIP of pool enm held by podName, or nil when it holds none.
func (b *Binder) BoundTo(ctx context.Context, enm *v1alpha1.ElasticNodeManager, podName string) (*v1alpha1.StaticIP, error) {
	pool, err := listPool(ctx, b.reader(), enm)
	if err != nil {
		return nil, err
	}
	for i := range pool {
		if bnd := pool[i].Status.Binding; bnd != nil && bnd.Pool == enm.Name && bnd.PodName == podName {
			return &pool[i], nil
		}
	}
	return nil, nil
}

func find(pool []v1alpha1.StaticIP, name string) *v1alpha1.StaticIP {
	for i := range pool {
		if pool[i].Name == name {
			return &pool[i]
		}
	}
	return nil
}

// sameHolder reports whether cur still names the holder want names. A UID recorded on one side
// only (the reconciler adopted the pod meanwhile) is still the same pod.
func sameHolder(cur, want *v1alpha1.StaticIPBinding) bool {
	if cur == nil || cur.Pool != want.Pool || cur.PodName != want.PodName {
		return false
	}
	return cur.PodUID == "" || want.PodUID == "" || cur.PodUID == want.PodUID
}
