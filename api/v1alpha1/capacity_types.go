package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// CapacitySource says where each NodeManager's YARN capacity comes from.
// +kubebuilder:validation:Enum=Static;Koordinator
type CapacitySource string

const (
	// CapacityStatic gives every NodeManager the same fixed capacity.
	CapacityStatic CapacitySource = "Static"
	// CapacityKoordinator resizes every NodeManager to what Koordinator's batch tier offers
	// on its node over a window (resident mode).
	CapacityKoordinator CapacitySource = "Koordinator"
)

// CapacitySpec is the YARN capacity each NodeManager advertises.
// +kubebuilder:validation:XValidation:rule="(has(self.source) && self.source != 'Static') || has(self.static)",message="capacity.static is required when capacity.source is Static"
// +kubebuilder:validation:XValidation:rule="!has(self.source) || self.source != 'Koordinator' || has(self.dynamic)",message="capacity.dynamic is required when capacity.source is Koordinator"
type CapacitySpec struct {
	// source of the capacity.
	// +kubebuilder:default=Static
	// +optional
	Source CapacitySource `json:"source,omitempty"`

	// static capacity of every NodeManager (iQIYI's first stage ran 10 vcores / 30 GiB).
	// +optional
	Static *Resources `json:"static,omitempty"`

	// dynamic capacity from Koordinator's batch tier, measured through Prometheus.
	// +optional
	Dynamic *DynamicCapacity `json:"dynamic,omitempty"`
}

// BatchCPUMetric is the koordlet series that says how much CPU the batch tier may use.
// +kubebuilder:validation:Enum=BESuppressCPU;BatchAllocatable
type BatchCPUMetric string

const (
	// BESuppressCPU is koordlet_be_suppress_cpu_cores: what the BE tier may use right now.
	BESuppressCPU BatchCPUMetric = "BESuppressCPU"
	// BatchAllocatable is koordlet_node_resource_allocatable{resource="kubernetes.io/batch-cpu"}.
	BatchAllocatable BatchCPUMetric = "BatchAllocatable"
)

// Statistic is how a window of samples becomes one figure.
// +kubebuilder:validation:Enum=Mean;Min;Max;Quantile
type Statistic string

const (
	StatisticMean     Statistic = "Mean"
	StatisticMin      Statistic = "Min"
	StatisticMax      Statistic = "Max"
	StatisticQuantile Statistic = "Quantile"
)

// DynamicCapacity is resident mode's policy: a window statistic of what the node can give,
// damped so YARN is resized only on real changes.
// +kubebuilder:validation:XValidation:rule="!has(self.statistic) || self.statistic != 'Quantile' || has(self.quantilePercent)",message="quantilePercent is required when statistic is Quantile"
// +kubebuilder:validation:XValidation:rule="!has(self.floor) || !has(self.ceiling) || ((!has(self.floor.vcores) || (has(self.ceiling.vcores) && self.floor.vcores <= self.ceiling.vcores)) && (!has(self.floor.memoryMB) || (has(self.ceiling.memoryMB) && self.floor.memoryMB <= self.ceiling.memoryMB)))",message="floor must not exceed ceiling"
type DynamicCapacity struct {
	// prometheusURL is the Prometheus that scrapes koordlet, e.g. http://prometheus.monitoring:9090.
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="isURL(self) && (url(self).getScheme() == 'http' || url(self).getScheme() == 'https')",message="prometheusURL must be an http:// or https:// URL"
	PrometheusURL string `json:"prometheusURL"`

	// cpuMetric is the koordlet series for batch CPU.
	// +kubebuilder:default=BESuppressCPU
	// +optional
	CPUMetric BatchCPUMetric `json:"cpuMetric,omitempty"`

	// window over which samples are summarised.
	// +kubebuilder:default="10m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1m') && duration(self) <= duration('24h')",message="window must be between 1m and 24h"
	// +optional
	Window *metav1.Duration `json:"window,omitempty"`

	// statistic that turns the window into one figure. Mean follows the load; Min or a low
	// Quantile is more conservative.
	// +kubebuilder:default=Mean
	// +optional
	Statistic Statistic `json:"statistic,omitempty"`

	// quantilePercent is the quantile for statistic Quantile, e.g. 10 for the 10th percentile.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=99
	// +optional
	QuantilePercent *int32 `json:"quantilePercent,omitempty"`

	// interval between two resize decisions.
	// +kubebuilder:default="1m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('10s')",message="interval must be at least 10s"
	// +optional
	Interval *metav1.Duration `json:"interval,omitempty"`

	// scaleUpStepVCores: grow only when at least this many more vcores are available.
	// +kubebuilder:default=3
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=256
	// +optional
	ScaleUpStepVCores int32 `json:"scaleUpStepVCores,omitempty"`

	// scaleDownTolerancePercent: ignore shrinks within this percentage of the current size.
	// A CPU shrink only stops new containers (koordlet throttles the running ones), so the band
	// trades RM writes against placing a little above the offer; see docs/operations.md.
	// +kubebuilder:default=20
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=90
	// +optional
	ScaleDownTolerancePercent int32 `json:"scaleDownTolerancePercent,omitempty"`

	// reserve is kept back from what the node offers, for the NodeManager itself.
	// +optional
	Reserve Resources `json:"reserve,omitempty"`

	// floor is the smallest capacity ever advertised (0 is allowed: no new containers).
	// +optional
	Floor *Resources `json:"floor,omitempty"`

	// ceiling is the largest capacity ever advertised.
	// +optional
	Ceiling *Resources `json:"ceiling,omitempty"`

	// memory says how YARN memory follows the batch tier.
	// +kubebuilder:default={}
	// +optional
	Memory MemoryPolicy `json:"memory,omitempty"`

	// overcommit profiles raise or lower the target at times of day, e.g. 120 % at night.
	// +kubebuilder:validation:MaxItems=24
	// +listType=atomic
	// +optional
	Overcommit []OvercommitProfile `json:"overcommit,omitempty"`

	// staleAfter: a node whose newest sample is older than this is stale and never grows.
	// +kubebuilder:default="3m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +optional
	StaleAfter *metav1.Duration `json:"staleAfter,omitempty"`

	// shrinkToFloorAfter: a node stale for this long is shrunk to floor, so an outage of the
	// metrics pipeline cannot leave YARN advertising capacity the node no longer has.
	// +kubebuilder:default="15m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +optional
	ShrinkToFloorAfter *metav1.Duration `json:"shrinkToFloorAfter,omitempty"`

	// maxRMWritesPerMinute rate-limits capacity writes to the RM for this pool. The default,
	// 3000, sizes 5,000 NodeManagers in two cycles; each write costs the RM one scheduler
	// event that recomputes every queue's limits under the scheduler's write lock, the same
	// work as one NodeManager registration (docs/benchmarks.md, "Scale").
	// +kubebuilder:default=3000
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=6000
	// +optional
	MaxRMWritesPerMinute int32 `json:"maxRMWritesPerMinute,omitempty"`
}

// DefaultMaxRMWritesPerMinute is maxRMWritesPerMinute when the field is unset (the
// +kubebuilder:default above; also what the capacity controller assumes for a zero value).
const DefaultMaxRMWritesPerMinute = 3000

// MemoryPolicyType says how YARN memory is derived.
// +kubebuilder:validation:Enum=BatchMemory;VCoreRatio
type MemoryPolicyType string

const (
	// MemoryBatch follows the window statistic of the node's batch memory.
	MemoryBatch MemoryPolicyType = "BatchMemory"
	// MemoryVCoreRatio gives mbPerVCore for every vcore, capped at the batch memory.
	MemoryVCoreRatio MemoryPolicyType = "VCoreRatio"
)

// MemoryPolicy says how YARN memory follows the batch tier. Evictions on nodes with little RAM
// per core are memory evictions, so both policies are capped at what the node gives.
type MemoryPolicy struct {
	// policy for memory. BatchMemory (the default) offers the batch memory Koordinator
	// gives, independent of the vcores, as YARN's scheduler packs both; VCoreRatio caps it at
	// mbPerVCore per vcore.
	// +kubebuilder:default=BatchMemory
	// +optional
	Policy MemoryPolicyType `json:"policy,omitempty"`

	// mbPerVCore for policy VCoreRatio.
	// +kubebuilder:default=4096
	// +kubebuilder:validation:Minimum=256
	// +kubebuilder:validation:Maximum=262144
	// +optional
	MBPerVCore int32 `json:"mbPerVCore,omitempty"`
}

// OvercommitProfile scales the target during a time of day (in the pool's time zone, UTC
// for non-scheduled pools).
// +kubebuilder:validation:XValidation:rule="self.start != self.end",message="overcommit start and end must differ"
type OvercommitProfile struct {
	// start (HH:MM).
	// +kubebuilder:validation:Pattern=`^([01][0-9]|2[0-3]):[0-5][0-9]$`
	// +kubebuilder:validation:MaxLength=5
	Start string `json:"start"`

	// end (HH:MM); earlier than start means the profile crosses midnight.
	// +kubebuilder:validation:Pattern=`^([01][0-9]|2[0-3]):[0-5][0-9]$`
	// +kubebuilder:validation:MaxLength=5
	End string `json:"end"`

	// cpuPercent of the computed vcores target.
	// +kubebuilder:validation:Minimum=10
	// +kubebuilder:validation:Maximum=300
	CPUPercent int32 `json:"cpuPercent"`

	// memoryPercent of the computed memory target; memory over-commit is risky, so the
	// default leaves it alone.
	// +kubebuilder:default=100
	// +kubebuilder:validation:Minimum=10
	// +kubebuilder:validation:Maximum=150
	// +optional
	MemoryPercent int32 `json:"memoryPercent,omitempty"`
}
