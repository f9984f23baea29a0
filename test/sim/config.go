package sim

import (
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/workload"
)

// Resources is a YARN resource vector (the policy's own type, so no conversion is needed).
type Resources = policy.Resources

// Config describes the simulated cluster apart from the traces.
type Config struct {
	// Start is the wall-clock time of step 0 (the policy and the guarder see times).
	Start    time.Time
	Koord    koordinator.Config
	Workload workload.Options
	// NMConfigured is what an NM registers with (its yarn-site size); the RM restores it on
	// every registration. Static strategies bring their own (see Configurer).
	NMConfigured Resources
	// NMPodRequest is the batch request of the NM pod of a strategy that does not say
	// (NMPodRequester): the product's pod template without a ceiling requests nothing.
	NMPodRequest Resources
	// NMRestartDelay is how long an evicted NM pod takes to come back and register.
	NMRestartDelay time.Duration
	// RMApplyDelay is how long a capacity write takes to show in the RM (it is asynchronous).
	RMApplyDelay time.Duration
	// Lookahead is how far past the queue's head the scheduler looks for a container that fits.
	Lookahead int
	// MaxWait is how long a request waits for room here before the rest of the YARN cluster
	// serves it (see workload.Queue).
	MaxWait time.Duration
	// KeepCriticalOff keeps ApplicationMasters and streaming containers off the elastic
	// nodes (a YARN node label): they run elsewhere and are left out of the workload.
	KeepCriticalOff bool
	// ProbeNode, if >= 0, records that node's time series for the chart (ProbeSteps steps).
	ProbeNode  int
	ProbeSteps int
	// RecordEvictions keeps a log of every eviction with Koordinator's view (for tests).
	RecordEvictions bool
}

// DefaultConfig for a seed.
func DefaultConfig(seed uint64) Config {
	return Config{
		Start:          time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
		Koord:          koordinator.DefaultConfig(),
		Workload:       workload.DefaultOptions(seed),
		NMConfigured:   Resources{VCores: 10, MemoryMB: 30 * 1024},
		NMRestartDelay: 5 * time.Minute,
		RMApplyDelay:   2 * time.Second,
		Lookahead:      16,
		MaxWait:        5 * time.Minute,
		ProbeNode:      -1,
	}
}

func (c Config) workloadOptions() workload.Options {
	w := c.Workload
	if c.KeepCriticalOff {
		w.Mix[workload.AppMaster] = 0
		w.Mix[workload.Flink] = 0
	}
	return w
}
