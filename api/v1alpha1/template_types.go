package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// NodeManagerTemplate describes the NodeManager pods. The operator adds what every NM needs
// (static IP annotation, hostname and FQDN, keytab and config mounts, pinned ports, the guarder
// sidecar, shareProcessNamespace) on top of it.
type NodeManagerTemplate struct {
	// image of the NodeManager container (Hadoop with this cluster's configuration).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1024
	Image string `json:"image"`

	// imagePullPolicy of the NodeManager container.
	// +kubebuilder:validation:Enum=Always;IfNotPresent;Never
	// +kubebuilder:default=IfNotPresent
	// +optional
	ImagePullPolicy corev1.PullPolicy `json:"imagePullPolicy,omitempty"`

	// imagePullSecrets for the NodeManager and guarder images.
	// +optional
	ImagePullSecrets []corev1.LocalObjectReference `json:"imagePullSecrets,omitempty"`

	// command overrides the image's entrypoint, e.g. ["yarn", "nodemanager"].
	// +optional
	Command []string `json:"command,omitempty"`

	// resources of the NodeManager container. With Koordinator, request batch resources
	// (kubernetes.io/batch-cpu in milli-cores, kubernetes.io/batch-memory in bytes); when
	// empty the operator requests the pool's static capacity as batch resources.
	// +optional
	Resources corev1.ResourceRequirements `json:"resources,omitempty"`

	// env is added to the NodeManager container.
	// +optional
	Env []corev1.EnvVar `json:"env,omitempty"`

	// volumes are added to the pod, e.g. the local disks for yarn.nodemanager.local-dirs.
	// +optional
	Volumes []corev1.Volume `json:"volumes,omitempty"`

	// volumeMounts are added to the NodeManager container.
	// +optional
	VolumeMounts []corev1.VolumeMount `json:"volumeMounts,omitempty"`

	// serviceAccountName of the NodeManager pod.
	// +kubebuilder:validation:MaxLength=253
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`

	// priorityClassName of the NodeManager pod; Koordinator's batch priority by default.
	// +kubebuilder:default=koord-batch
	// +kubebuilder:validation:MaxLength=253
	// +optional
	PriorityClassName string `json:"priorityClassName,omitempty"`

	// qosClass is the Koordinator QoS class label (koordinator.sh/qosClass) of the pod.
	// +kubebuilder:validation:Enum=BE;LS;None
	// +kubebuilder:default=BE
	// +optional
	QoSClass string `json:"qosClass,omitempty"`

	// labels are added to the pod.
	// +optional
	Labels map[string]string `json:"labels,omitempty"`

	// annotations are added to the pod.
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`

	// terminationGracePeriodSeconds of the pod, after a drain has finished.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=3600
	// +kubebuilder:default=60
	// +optional
	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty"`
}

// PlacementSpec chooses the Kubernetes nodes that may run a NodeManager of this pool.
type PlacementSpec struct {
	// nodeSelector a node's labels must match.
	// +optional
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`

	// affinity is merged into each pod; the operator adds a required node affinity for the
	// chosen node so the scheduler still checks that the pod fits.
	// +optional
	Affinity *corev1.Affinity `json:"affinity,omitempty"`

	// tolerations of the NodeManager pods.
	// +optional
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`

	// maxNodes caps how many NodeManagers the pool runs at once; unset means every eligible
	// node (and, in practice, the number of StaticIPs).
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100000
	// +optional
	MaxNodes *int32 `json:"maxNodes,omitempty"`
}

// StaticIPPoolSpec selects the StaticIPs this pool may bind and how the CNI receives one.
type StaticIPPoolSpec struct {
	// selector over StaticIP labels in this namespace.
	Selector metav1.LabelSelector `json:"selector"`

	// annotationKey is the pod annotation through which the CNI takes the address.
	// +kubebuilder:default="cni.projectcalico.org/ipAddrs"
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=317
	// +optional
	AnnotationKey string `json:"annotationKey,omitempty"`

	// annotationFormat is how the address is written: JSONList gives ["10.0.0.5"] (Calico),
	// Plain gives 10.0.0.5.
	// +kubebuilder:validation:Enum=JSONList;Plain
	// +kubebuilder:default=JSONList
	// +optional
	AnnotationFormat string `json:"annotationFormat,omitempty"`
}
