package nodemanager

import (
	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/poolstate"
)

// poolSpecHashesSlot remembers, per pool, the pod spec hash each node and StaticIP gets, so
// the rollout's outdated check builds a pod (podspec.Build, then JSON and SHA-256) only when
// the pool's spec or the StaticIP's spec changed. Building every pod each reconcile was three
// quarters of a steady reconcile's allocations (BenchmarkReconcileSteady). The hash depends
// on nothing else: podspec.Build reads the pool's name, namespace and spec (the UID only for
// the owner reference, which is not hashed), the StaticIP's name and spec, the node name and
// the Reconciler's PodOptions, which do not change. A spec change bumps metadata.generation.
// The hashes go with the pool's memory (poolstate): when the pool is gone, or replaced by
// another of the same name.
var poolSpecHashesSlot = poolstate.NewSlot("nodemanager pod spec hashes",
	func(*poolstate.Pool) *specHashMemo { return &specHashMemo{} }, nil)

// specHashMemo is one pool's hashes. A pool is reconciled by one worker at a time, so the
// memo needs no lock of its own.
type specHashMemo struct {
	current *poolSpecHashes
}

// poolSpecHashes are one pool's hashes for one generation of its spec.
type poolSpecHashes struct {
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
	p := m.current
	if p == nil || p.generation != enm.Generation {
		p = &poolSpecHashes{generation: enm.Generation, byIdentity: map[specHashKey]specHashEntry{}}
		m.current = p
	}
	p.cycle++
	return p
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
