package staticip

import (
	"context"
	"sync"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
)

// listingMaxAge bounds how long a remembered pool listing is used. Other writers (the
// StaticIP reconciler releasing addresses) are seen at the latest this late; they never
// cause a wrong binding, only a less sticky choice, because every write is conditional.
const listingMaxAge = 10 * time.Second

// poolListings remembers, in each pool's memory (poolstate), the StaticIP listing Bind last read from the API server,
// kept current with Bind's own writes. Without it, creating n pods lists the pool n times:
// 25 million StaticIPs decoded for a 5,000-node pool (measured in test/scale). A remembered
// listing is safe because
//   - a new binding is written with a resourceVersion precondition: if the StaticIP changed
//     since it was listed, the write fails with 409 and Bind lists again;
//   - a binding the listing says the pod already holds is read back from the API server
//     before it is returned (a single GET);
//   - an allocation that fails on a remembered listing (pool exhausted, held elsewhere) is
//     retried on a fresh one before the error is returned.
var poolListings = poolstate.NewSlot("staticip listing", func(*poolstate.Pool) *poolListing {
	return &poolListing{
		pending:      map[string]v1alpha1.StaticIPBinding{},
		podsInFlight: map[string]chan struct{}{},
		slots:        make(chan struct{}, maxConcurrentBinds),
	}
}, nil)

// poolListing is one pool's listing. Its lock is held only while Bind reads or changes the
// listing and chooses an address, never across a request to the API server, so binds of
// distinct addresses of one pool are in flight together (up to maxConcurrentBinds).
type poolListing struct {
	mu     sync.Mutex
	items  []v1alpha1.StaticIP
	listed time.Time
	// pending are the bindings this process is writing, by StaticIP name. They are marked
	// in items (and again after every listing) so that concurrent Binds choose other
	// addresses instead of racing for the same one; the API server's conditional write,
	// not the mark, is what rules out a double binding.
	pending map[string]v1alpha1.StaticIPBinding
	// podsInFlight are the pods a Bind is working for; a second Bind for the same pod waits
	// for the first (its channel is closed when the first returns).
	podsInFlight map[string]chan struct{}
	// slots bounds the Binds of this pool in flight.
	slots chan struct{}
}

// current reports whether the listing may be used at now. Called with p.mu held.
func (p *poolListing) current(now time.Time) bool {
	return p.items != nil && now.Sub(p.listed) < listingMaxAge
}

// invalidate makes the next Bind list again. Called with p.mu held.
func (p *poolListing) invalidate() { p.items = nil }

// replace installs a fresh listing and marks the bindings still being written in it.
// Called with p.mu held.
//
// The listing is a copy of every StaticIP of the pool (14 MB at 5,000), useful only while
// binds follow each other; once it is too old to be used it is dropped, so a pool that is
// not creating pods holds none.
func (p *poolListing) replace(items []v1alpha1.StaticIP, at time.Time) {
	p.items, p.listed = items, at
	time.AfterFunc(listingMaxAge, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.listed.Equal(at) {
			p.invalidate()
		}
	})
	for name, bnd := range p.pending {
		if sip := find(p.items, name); sip != nil && sip.Status.Binding == nil {
			sip.Status.Binding = bnd.DeepCopy()
			sip.Status.Phase = v1alpha1.StaticIPBound
		}
	}
}

// reserve marks name as being bound to bnd by this process. Called with p.mu held.
func (p *poolListing) reserve(name string, bnd v1alpha1.StaticIPBinding) {
	p.pending[name] = bnd
	if sip := find(p.items, name); sip != nil {
		sip.Status.Binding = bnd.DeepCopy()
		sip.Status.Phase = v1alpha1.StaticIPBound
	}
}

// unreserve drops the mark of a binding whose write ended. A failed write also invalidates
// the listing (the mark in items is not the API server's state). Called with p.mu held.
func (p *poolListing) unreserve(name string, written bool) {
	delete(p.pending, name)
	if !written {
		p.invalidate()
	}
}

// enter waits until no other Bind works for pod, then claims it; the returned func releases
// it. It also takes one of the pool's slots.
func (p *poolListing) enter(ctx context.Context, pod string) (func(), error) {
	for {
		p.mu.Lock()
		busy, ok := p.podsInFlight[pod]
		if !ok {
			done := make(chan struct{})
			p.podsInFlight[pod] = done
			p.mu.Unlock()
			select {
			case p.slots <- struct{}{}:
			case <-ctx.Done():
				p.leave(pod, done)
				return nil, ctx.Err()
			}
			return func() { <-p.slots; p.leave(pod, done) }, nil
		}
		p.mu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (p *poolListing) leave(pod string, done chan struct{}) {
	p.mu.Lock()
	delete(p.podsInFlight, pod)
	p.mu.Unlock()
	close(done)
}

// store replaces the StaticIP of the same name with sip, as this process just wrote it.
// Called with p.mu held.
func (p *poolListing) store(sip *v1alpha1.StaticIP) {
	for i := range p.items {
		if p.items[i].Name == sip.Name {
			sip.DeepCopyInto(&p.items[i])
			return
		}
	}
}
