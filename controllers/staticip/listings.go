package staticip

import (
	"strings"
	"sync"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// listingMaxAge bounds how long a remembered pool listing is used. Other writers (the
// StaticIP reconciler releasing addresses) are seen at the latest this late; they never
// cause a wrong binding, only a less sticky choice, because every write is conditional.
const listingMaxAge = 10 * time.Second

// poolListings remembers, per pool, the StaticIP listing Bind last read from the API server,
// kept current with Bind's own writes. Without it, creating n pods lists the pool n times:
// 25 million StaticIPs decoded for a 5,000-node pool (measured in test/scale). A remembered
// listing is safe because
//   - a new binding is written with a resourceVersion precondition: if the StaticIP changed
//     since it was listed, the write fails with 409 and Bind lists again;
//   - a binding the listing says the pod already holds is read back from the API server
//     before it is returned (a single GET);
//   - an allocation that fails on a remembered listing (pool exhausted, held elsewhere) is
//     retried on a fresh one before the error is returned.
type poolListings struct {
	mu    sync.Mutex
	pools map[string]*poolListing
}

// poolListing is one pool's listing. Its lock is held for a whole Bind, so binds of one pool
// are serial (the NodeManager controller never reconciles one pool twice at once anyway).
type poolListing struct {
	mu     sync.Mutex
	items  []v1alpha1.StaticIP
	listed time.Time
}

func (l *poolListings) of(key string) *poolListing {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pools == nil {
		l.pools = map[string]*poolListing{}
	}
	p, ok := l.pools[key]
	if !ok {
		p = &poolListing{}
		l.pools[key] = p
	}
	return p
}

// forgetPrefix drops the listings of every pool key starting with prefix.
func (l *poolListings) forgetPrefix(prefix string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for key := range l.pools {
		if strings.HasPrefix(key, prefix) {
			delete(l.pools, key)
		}
	}
}

// current reports whether the listing may be used at now. Called with p.mu held.
func (p *poolListing) current(now time.Time) bool {
	return p.items != nil && now.Sub(p.listed) < listingMaxAge
}

// invalidate makes the next Bind list again. Called with p.mu held.
func (p *poolListing) invalidate() { p.items = nil }

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
