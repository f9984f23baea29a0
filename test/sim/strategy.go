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
