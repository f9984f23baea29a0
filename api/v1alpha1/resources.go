package v1alpha1

// Resources is an amount of YARN resources, in YARN's own units.
type Resources struct {
	// vcores is the number of YARN virtual cores.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=4096
	// +optional
	VCores int32 `json:"vcores,omitempty"`

	// memoryMB is YARN memory in MiB (YARN's "memory" field).
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=16777216
	// +optional
	MemoryMB int64 `json:"memoryMB,omitempty"`
}

// PoolResources is an amount of YARN resources summed over a pool, so it is not bounded by
// the size of one NodeManager.
type PoolResources struct {
	// vcores is the number of YARN virtual cores.
	// +kubebuilder:validation:Minimum=0
	// +optional
	VCores int64 `json:"vcores,omitempty"`

	// memoryMB is YARN memory in MiB.
	// +kubebuilder:validation:Minimum=0
	// +optional
	MemoryMB int64 `json:"memoryMB,omitempty"`
}

// SecretKeyRef names one key of a Secret in the object's namespace.
type SecretKeyRef struct {
	// name of the Secret.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// key within the Secret.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key"`
}

// ConfigMapKeyRef names one key of a ConfigMap in the object's namespace.
type ConfigMapKeyRef struct {
	// name of the ConfigMap.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// key within the ConfigMap.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key"`
}
