package sim

// Strategy sizes the NMs of a cluster. Control runs once a step, after Koordinator and before
// the RM's scheduler; it reads the nodes and acts through Cluster.SetRM and Cluster.Signal.
// A Strategy value serves one run: per-node state lives in the strategy.
type Strategy interface {
	Name() string
	Control(c *Cluster)
}

// Factory makes a fresh strategy for a run.
type Factory func() Strategy

// Configurer is implemented by a strategy that decides the size NMs register with (their
// yarn-site); the others register with Config.NMConfigured.
type Configurer interface {
	Configured() Resources
}

// NMPodRequester is implemented by a strategy whose NodeManager pod asks Koordinator for
// batch resources: koordlet's BE request is the sum of the BE pods' kubernetes.io/batch-cpu
// requests. The others run an NM pod that requests Config.NMPodRequest.
type NMPodRequester interface {
	NMPodRequest() Resources
}

// EvictionFree is implemented by a strategy whose NMs koordlet does not evict: the oracle (a
// bound), and Caelus, which runs instead of koordlet on its nodes and protects the online
// services itself.
type EvictionFree interface {
	EvictionFree() bool
}

// WithoutKoordlet is implemented by a strategy that runs instead of koordlet (Caelus): no
// koordlet caps its batch tier's CPU, the online services' CFS shares do (Cluster.throttle).
type WithoutKoordlet interface {
	WithoutKoordlet() bool
}
