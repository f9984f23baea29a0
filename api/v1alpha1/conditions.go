package v1alpha1

// Condition types of ElasticNodeManager.
const (
	// ConditionReady: the pool runs what it should, with nothing blocking it.
	ConditionReady = "Ready"
	// ConditionSpecValid: the spec passed the checks CEL cannot make (time zone, ...).
	ConditionSpecValid = "SpecValid"
	// ConditionRMReachable: the active ResourceManager answers.
	ConditionRMReachable = "RMReachable"
	// ConditionMetricsFresh: every resident node has a recent Koordinator sample.
	ConditionMetricsFresh = "MetricsFresh"
	// ConditionWindowOpen: a schedule window (or on-demand burst) is open now.
	ConditionWindowOpen = "WindowOpen"
	// ConditionStaticIPsAvailable: the pool has enough valid StaticIPs for its desired size.
	ConditionStaticIPsAvailable = "StaticIPsAvailable"
	// ConditionGuardersReady: every NodeManager pod's guarder is ready and provides what the
	// pool needs (controllers/guardercontract).
	ConditionGuardersReady = "GuardersReady"
	// ConditionRolloutPaused: a NodeManager started with the current pod spec has not become
	// available within updateStrategy.progressDeadline, so no further one is replaced.
	ConditionRolloutPaused = "RolloutPaused"
)

// Condition types of StaticIP.
const (
	// ConditionKeytabValid: the keytab parses and holds the required principals.
	ConditionKeytabValid = "KeytabValid"
)
