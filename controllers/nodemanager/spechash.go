package nodemanager

import (
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// specHashMemo remembers, per pool, the pod spec hash each node and StaticIP gets, so the
// rollout's outdated check builds a pod (podspec.Build, then JSON and SHA-256) only when the
// pool's spec or the StaticIP's spec changed. Building every pod each reconcile was three
// quarters of a steady reconcile's allocations (BenchmarkReconcileSteady). The hash depends
// on nothing else: podspec.Build reads the pool's name, namespace and spec (the UID only for
// the owner reference, which is not hashed), the StaticIP's name and spec, the node name and
// the Reconciler's PodOptions, which do not change. A spec change bumps metadata.generation.
// A pool's hashes go when the pool is gone (Reconcile) or replaced (another UID).
type specHashMemo struct {
	mu    sync.Mutex
	pools map[types.NamespacedName]*poolSpecHashes
}

// poolSpecHashes are one pool's hashes for one generation of its spec. A pool is reconciled
// by one worker at a time, so its hashes need no lock of their own.
type poolSpecHashes struct {
	uid        types.UID
	generation int64
	cycle      uint64
	byIdentity map[specHashKey]specHashEntry
}

type specHashKey struct{ node, staticIP string }

type specHashEntry struct {
	staticIPGeneration int64
	hash               string
	cycle              uint64 // the last cycle that used it
}

// of returns the pool's hashes for its current spec and starts a cycle.
func (m *specHashMemo) of(enm *v1alpha1.ElasticNodeManager) *poolSpecHashes {
	key := types.NamespacedName{Namespace: enm.Namespace, Name: enm.Name}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pools == nil {
		m.pools = map[types.NamespacedName]*poolSpecHashes{}
	}
	p := m.pools[key]
	if p == nil || p.uid != enm.UID || p.generation != enm.Generation {
		p = &poolSpecHashes{uid: enm.UID, generation: enm.Generation, byIdentity: map[specHashKey]specHashEntry{}}
		m.pools[key] = p
	}
	p.cycle++
	return p
}

// forget drops the hashes of a pool that no longer exists.
func (m *specHashMemo) forget(pool types.NamespacedName) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.pools, pool)
}

// hash is the spec hash of the pod the pool builds for node and sip.
func (p *poolSpecHashes) hash(enm *v1alpha1.ElasticNodeManager, node string, sip *v1alpha1.StaticIP, opts podspec.Options) string {
	key := specHashKey{node: node, staticIP: sip.Name}
	if e, ok := p.byIdentity[key]; ok && e.staticIPGeneration == sip.Generation {
		e.cycle = p.cycle
		p.byIdentity[key] = e
		return e.hash
	}
	h := podSpecHash(podspec.Build(enm, node, sip, opts))
	p.byIdentity[key] = specHashEntry{staticIPGeneration: sip.Generation, hash: h, cycle: p.cycle}
	return h
}

// prune drops the hashes this cycle did not use once they are a quarter more than the pods,
// so nodes and StaticIPs the pool let go of are not kept.
func (p *poolSpecHashes) prune(pods int) {
	if len(p.byIdentity) <= pods+pods/4+16 {
		return
	}
	for key, e := range p.byIdentity {
		if e.cycle != p.cycle {
			delete(p.byIdentity, key)
		}
	}
}
