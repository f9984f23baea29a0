package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// UpdateStrategyType says how running NodeManagers take a new pod spec.
// +kubebuilder:validation:Enum=RollingUpdate;OnDelete
type UpdateStrategyType string

const (
	// UpdateRollingUpdate replaces outdated NodeManagers a few at a time: drain, delete,
	// start again on the same node (with the same StaticIP when it is still free).
	UpdateRollingUpdate UpdateStrategyType = "RollingUpdate"
	// UpdateOnDelete replaces a NodeManager only when asked: annotate its pod
	// elasticyarn.io/drain-requested (a plain delete of a running one is refused).
	UpdateOnDelete UpdateStrategyType = "OnDelete"
)

// UpdateStrategy is how a change to anything that shapes the NodeManager pods (template, NM
// image, guarder image, spec.guarder, ...) reaches running NodeManagers.
type UpdateStrategy struct {
	// type of the update.
	// +kubebuilder:default=RollingUpdate
	// +optional
	Type UpdateStrategyType `json:"type,omitempty"`

	// maxUnavailable is how many of the pool's NodeManagers may be unavailable (draining,
	// starting or not registered) while a rolling update replaces them: a count, or a percent
	// of the desired NodeManagers rounded up (never below 1). 10 % by default: one at a time
	// would take a 2,000-node pool with hour-long drains months; 10 % keeps nine tenths of the
	// capacity and finishes in about ten drain periods.
	// +kubebuilder:default="10%"
	// +kubebuilder:validation:XIntOrString
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 1 : self.matches('^[1-9][0-9]?%$|^100%$')",message="maxUnavailable is a count of at least 1 or a percent from 1% to 100%"
	// +optional
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`

	// progressDeadline is how long a new NodeManager may take to run, be ready and register
	// with the RM; past it the rollout pauses (condition RolloutPaused) until the pod becomes
	// available or the spec changes again.
	// +kubebuilder:default="10m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=32
	// +optional
	ProgressDeadline *metav1.Duration `json:"progressDeadline,omitempty"`
}
