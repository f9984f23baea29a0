// Package poolstate is the operator's one memory per pool (ElasticNodeManager): everything a
// controller or shared client must remember about a pool between reconciles lives in that
// pool's Pool, and nowhere else. A Pool is created on first use and dropped exactly once, when
// the pool is gone for good; dropping it closes what it holds (the RM client and its Kerberos
// session) and forgets the rest, so the operator's memory follows the pools that exist.
//
// The packages that remember something declare a Slot for it (the RM client in rmconnect, the
// guarder token in guarderclient, the cycle state in capacity, ...); a Slot's value is private
// to its package, so no package has to know the others' types.
//
// Identity. A pool is keyed by namespace/name and guarded by its UID: a pool deleted and
// created again under the same name is a new Pool and inherits nothing. A lookup of a dropped
// incarnation (a reconcile that read the pool from the cache just before it went) gets a
// detached Pool that is never stored, so a late reconcile cannot bring a gone pool back.
package poolstate

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// tombstoneTTL is how long the UID of a dropped pool is remembered, so a reconcile that read
// the pool before it went does not register it again. Informer caches and in-flight
// reconciles are seconds behind; an hour is far past both and still bounded.
const tombstoneTTL = time.Hour

// Pools holds the Pool of every pool in use. The zero value is ready; the operator has one,
// built in cmd/operator/app and shared by every controller.
type Pools struct {
	// Now is the clock of the tombstones; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	pools map[types.NamespacedName]*Pool
	// gone are the UIDs of dropped pools and when they were dropped.
	gone map[types.UID]time.Time
}

// Pool is one pool's memory.
type Pool struct {
	name types.NamespacedName
	uid  types.UID

	mu      sync.Mutex
	dropped bool
	values  map[slotID]slotValue
}

type slotID *struct{ name string }

type slotValue struct {
	value any
	close func()
}

// Name is the pool's namespace/name.
func (p *Pool) Name() types.NamespacedName { return p.name }

// UID is the UID of the pool incarnation this memory belongs to.
func (p *Pool) UID() types.UID { return p.uid }

// Dropped reports whether the pool was dropped (or is a detached lookup of a dropped one):
// nothing stored in it outlives the caller's use.
func (p *Pool) Dropped() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped
}

// For returns the Pool of the pool incarnation (name, uid), creating it on first use. A
// stored Pool of another incarnation of the name is dropped first. A dropped incarnation gets
// a detached, already dropped Pool.
func (ps *Pools) For(name types.NamespacedName, uid types.UID) *Pool {
	ps.mu.Lock()
	if _, gone := ps.gone[uid]; gone && uid != "" {
		ps.mu.Unlock()
		return &Pool{name: name, uid: uid, dropped: true}
	}
	p, ok := ps.pools[name]
	if ok && p.uid == uid {
		ps.mu.Unlock()
		return p
	}
	var stale *Pool
	if ok {
		stale = ps.removeLocked(name)
	}
	if ps.pools == nil {
		ps.pools = map[types.NamespacedName]*Pool{}
	}
	p = &Pool{name: name, uid: uid}
	ps.pools[name] = p
	ps.mu.Unlock()
	if stale != nil {
		stale.drop()
	}
	return p
}

// Lookup returns the stored Pool of name, if any, without creating one.
func (ps *Pools) Lookup(name types.NamespacedName) (*Pool, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.pools[name]
	return p, ok
}

// Drop forgets the pool name (whichever incarnation is stored) and closes what it holds. It
// is called when the pool is gone for good: by the NodeManager controller, which holds the
// pool's finalizer, and by any controller whose read of the pool answers NotFound. Only the
// first call does anything; it reports whether it did.
func (ps *Pools) Drop(name types.NamespacedName) bool {
	ps.mu.Lock()
	p := ps.removeLocked(name)
	ps.mu.Unlock()
	if p == nil {
		return false
	}
	p.drop()
	return true
}

// Len is the number of pools held.
func (ps *Pools) Len() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.pools)
}

// removeLocked takes name out of the map and tombstones its UID. Called with ps.mu held.
func (ps *Pools) removeLocked(name types.NamespacedName) *Pool {
	p, ok := ps.pools[name]
	if !ok {
		return nil
	}
	delete(ps.pools, name)
	now := ps.now()
	for uid, at := range ps.gone {
		if now.Sub(at) > tombstoneTTL {
			delete(ps.gone, uid)
		}
	}
	if p.uid != "" {
		if ps.gone == nil {
			ps.gone = map[types.UID]time.Time{}
		}
		ps.gone[p.uid] = now
	}
	return p
}

func (ps *Pools) now() time.Time {
	if ps.Now != nil {
		return ps.Now()
	}
	return time.Now()
}

// drop marks p dropped and closes its values, once.
func (p *Pool) drop() {
	p.mu.Lock()
	if p.dropped {
		p.mu.Unlock()
		return
	}
	p.dropped = true
	values := p.values
	p.values = nil
	p.mu.Unlock()
	for _, v := range values {
		if v.close != nil {
			v.close()
		}
	}
}

// Slot is one kind of per-pool memory, declared once (a package-level variable) by the
// package that owns it.
type Slot[T any] struct {
	id       slotID
	newValue func(*Pool) T
	close    func(T)
}

// NewSlot declares a kind of per-pool memory: newValue builds a pool's value on first use;
// close, if not nil, releases it when the pool is dropped or the slot cleared.
func NewSlot[T any](name string, newValue func(*Pool) T, close func(T)) *Slot[T] {
	return &Slot[T]{id: &struct{ name string }{name}, newValue: newValue, close: close}
}

// Get returns p's value, building it on first use. On a dropped Pool the value is built
// afresh each time and not kept: the caller uses it for its own work only, and must not
// leave anything in it that needs closing (see Pool.Dropped).
func (s *Slot[T]) Get(p *Pool) T {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.values[s.id]; ok {
		return v.value.(T)
	}
	v := s.newValue(p)
	if p.dropped {
		return v
	}
	if p.values == nil {
		p.values = map[slotID]slotValue{}
	}
	sv := slotValue{value: v}
	if s.close != nil {
		sv.close = func() { s.close(v) }
	}
	p.values[s.id] = sv
	return v
}

// Clear drops p's value (closing it), for a controller that has nothing to remember of a
// pool that still exists (a pool it no longer manages).
func (s *Slot[T]) Clear(p *Pool) {
	p.mu.Lock()
	v, ok := p.values[s.id]
	delete(p.values, s.id)
	p.mu.Unlock()
	if ok && v.close != nil {
		v.close()
	}
}

// Has reports whether p holds a value of s.
func (s *Slot[T]) Has(p *Pool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.values[s.id]
	return ok
}

// Object is what identifies a pool: an ElasticNodeManager (or its owner reference's fields).
type Object interface {
	GetNamespace() string
	GetName() string
	GetUID() types.UID
}

// Of returns the Pool of the pool object, creating it on first use (see For).
func (ps *Pools) Of(pool Object) *Pool {
	return ps.For(types.NamespacedName{Namespace: pool.GetNamespace(), Name: pool.GetName()}, pool.GetUID())
}
