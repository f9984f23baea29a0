package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// ElasticNodeManagerSpec is the desired pool of NodeManagers.
// +kubebuilder:validation:XValidation:rule="self.mode != 'Scheduled' || has(self.schedule)",message="schedule is required when mode is Scheduled"
// +kubebuilder:validation:XValidation:rule="self.mode != 'OnDemand' || has(self.onDemand)",message="onDemand is required when mode is OnDemand"
// +kubebuilder:validation:XValidation:rule="self.mode == 'Scheduled' || !has(self.schedule)",message="schedule is only allowed when mode is Scheduled"
// +kubebuilder:validation:XValidation:rule="self.mode == 'OnDemand' || !has(self.onDemand)",message="onDemand is only allowed when mode is OnDemand"
// +kubebuilder:validation:XValidation:rule="!has(self.capacity.source) || self.capacity.source != 'Koordinator' || self.mode == 'Resident'",message="capacity.source Koordinator needs mode Resident: scheduled and on-demand pools use static capacity"
type ElasticNodeManagerSpec struct {
	// yarn is the YARN cluster the NodeManagers join.
	YARN YARNSpec `json:"yarn"`

	// template of the NodeManager pods.
	Template NodeManagerTemplate `json:"template"`

	// placement chooses the eligible Kubernetes nodes.
	// +optional
	Placement PlacementSpec `json:"placement,omitempty"`

	// staticIPs selects the StaticIPs (address, FQDN, keytab) the NodeManagers take.
	StaticIPs StaticIPPoolSpec `json:"staticIPs"`

	// mode says when NodeManagers run: in Scheduled windows, OnDemand, or Resident (always).
	Mode Mode `json:"mode"`

	// schedule of a Scheduled pool.
	// +optional
	Schedule *ScheduleSpec `json:"schedule,omitempty"`

	// onDemand request of an OnDemand pool.
	// +optional
	OnDemand *OnDemandSpec `json:"onDemand,omitempty"`

	// capacity each NodeManager advertises to YARN.
	Capacity CapacitySpec `json:"capacity"`

	// decommission is how NodeManagers leave YARN.
	// +kubebuilder:default={}
	// +optional
	Decommission DecommissionSpec `json:"decommission,omitempty"`

	// guarder configures the sidecar that sheds containers when capacity shrinks.
	// +kubebuilder:default={}
	// +optional
	Guarder GuarderSpec `json:"guarder,omitempty"`

	// updateStrategy is how a pod-shaping change reaches running NodeManagers.
	// +kubebuilder:default={}
	// +optional
	UpdateStrategy UpdateStrategy `json:"updateStrategy,omitempty"`

	// nodeSafety is the node-utilisation backoff.
	// +kubebuilder:default={}
	// +optional
	NodeSafety NodeSafetySpec `json:"nodeSafety,omitempty"`
}

// ElasticNodeManagerStatus is a bounded summary of the pool: counts and conditions, never a
// per-node list, so it stays small at thousands of nodes. Per-node state lives on the pods.
type ElasticNodeManagerStatus struct {
	// observedGeneration is the spec generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions: Ready, SpecValid, RMReachable, MetricsFresh, WindowOpen, StaticIPsAvailable,
	// RolloutPaused.
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// eligibleNodes is how many Kubernetes nodes match the placement.
	// +optional
	EligibleNodes int32 `json:"eligibleNodes,omitempty"`

	// desiredNodeManagers is how many NodeManagers should run now.
	// +optional
	DesiredNodeManagers int32 `json:"desiredNodeManagers,omitempty"`

	// runningNodeManagers is how many are running and registered.
	// +optional
	RunningNodeManagers int32 `json:"runningNodeManagers,omitempty"`

	// drainingNodeManagers is how many are leaving YARN.
	// +optional
	DrainingNodeManagers int32 `json:"drainingNodeManagers,omitempty"`

	// updatedNodeManagers is how many NodeManager pods run the current pod spec.
	// +optional
	UpdatedNodeManagers int32 `json:"updatedNodeManagers,omitempty"`

	// availableNodeManagers is how many NodeManager pods are running, ready, registered and
	// not draining.
	// +optional
	AvailableNodeManagers int32 `json:"availableNodeManagers,omitempty"`

	// totalNodeManagers is how many NodeManager pods exist and are not terminating.
	// +optional
	TotalNodeManagers int32 `json:"totalNodeManagers,omitempty"`

	// offered is the capacity advertised to YARN by the pool's running NodeManagers.
	// +optional
	Offered PoolResources `json:"offered,omitempty"`

	// nextTransition is when the schedule next opens or closes a window, or an on-demand
	// burst expires.
	// +optional
	NextTransition *metav1.Time `json:"nextTransition,omitempty"`

	// nextTransitionAction is what happens at nextTransition: Start, Drain or Expire.
	// +kubebuilder:validation:MaxLength=16
	// +optional
	NextTransitionAction string `json:"nextTransitionAction,omitempty"`
}

// ElasticNodeManager is a pool of YARN NodeManagers run as pods on chosen Kubernetes nodes,
// each with a StaticIP identity, brought up and drained on a schedule or on demand, or kept
// resident and resized to what Koordinator's batch tier can give.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=enm;enms,categories=elasticyarn
// +kubebuilder:printcolumn:name="Mode",type=string,JSONPath=`.spec.mode`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Desired",type=integer,JSONPath=`.status.desiredNodeManagers`
// +kubebuilder:printcolumn:name="Running",type=integer,JSONPath=`.status.runningNodeManagers`
// +kubebuilder:printcolumn:name="Draining",type=integer,JSONPath=`.status.drainingNodeManagers`
// +kubebuilder:printcolumn:name="Updated",type=integer,JSONPath=`.status.updatedNodeManagers`,priority=1,description="pods with the current pod spec"
// +kubebuilder:printcolumn:name="Available",type=integer,JSONPath=`.status.availableNodeManagers`,priority=1,description="running, ready, registered, not draining"
// +kubebuilder:printcolumn:name="Total",type=integer,JSONPath=`.status.totalNodeManagers`,priority=1
// +kubebuilder:printcolumn:name="Paused",type=string,JSONPath=`.status.conditions[?(@.type=="RolloutPaused")].status`,priority=1
// +kubebuilder:printcolumn:name="VCores",type=integer,JSONPath=`.status.offered.vcores`,description="vcores advertised to YARN"
// +kubebuilder:printcolumn:name="Next",type=string,JSONPath=`.status.nextTransitionAction`
// +kubebuilder:printcolumn:name="At",type=date,JSONPath=`.status.nextTransition`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type ElasticNodeManager struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ElasticNodeManagerSpec   `json:"spec"`
	Status ElasticNodeManagerStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ElasticNodeManagerList is a list of ElasticNodeManagers.
type ElasticNodeManagerList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ElasticNodeManager `json:"items"`
}

func init() {
	SchemeBuilder.Register(&ElasticNodeManager{}, &ElasticNodeManagerList{})
}
