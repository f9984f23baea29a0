package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// StaticIPSpec is one prepared identity for a NodeManager. YARN whitelists hosts and secure
// clusters authenticate them, so the address, its DNS name and its keytab are made ahead of
// time and handed to whichever node runs the NodeManager.
type StaticIPSpec struct {
	// address is the IPv4 or IPv6 address the CNI gives the pod.
	// +kubebuilder:validation:MaxLength=45
	// +kubebuilder:validation:XValidation:rule="isIP(self)",message="address must be a valid IPv4 or IPv6 address"
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="address is immutable; create a new StaticIP instead"
	Address string `json:"address"`

	// fqdn is the fully qualified name that resolves to address; the NodeManager registers
	// with YARN under it and its keytab principals contain it.
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="fqdn is immutable; create a new StaticIP instead"
	FQDN string `json:"fqdn"`

	// keytabSecret holds the keytab with the NodeManager principals for fqdn. Required on
	// Kerberos clusters; mounted read-only into the pod and never copied or logged.
	// +optional
	KeytabSecret *SecretKeyRef `json:"keytabSecret,omitempty"`
}

// StaticIPPhase is where a StaticIP is in its life.
// +kubebuilder:validation:Enum=Available;Bound;Releasing;Invalid
type StaticIPPhase string

const (
	StaticIPAvailable StaticIPPhase = "Available"
	StaticIPBound     StaticIPPhase = "Bound"
	StaticIPReleasing StaticIPPhase = "Releasing"
	StaticIPInvalid   StaticIPPhase = "Invalid"
)

// StaticIPBinding records who holds a StaticIP. It lives in status and is written with the
// API server's optimistic concurrency, so two operator replicas can never bind one address twice.
type StaticIPBinding struct {
	// pool is the name of the ElasticNodeManager that holds the address.
	// +kubebuilder:validation:MaxLength=253
	Pool string `json:"pool"`

	// podName of the NodeManager pod.
	// +kubebuilder:validation:MaxLength=253
	PodName string `json:"podName"`

	// podUID of the NodeManager pod, once it exists; a new pod of the same name is another pod.
	// +optional
	PodUID types.UID `json:"podUID,omitempty"`

	// nodeName of the Kubernetes node the NodeManager runs on.
	// +kubebuilder:validation:MaxLength=253
	NodeName string `json:"nodeName"`

	// since is when the binding was made.
	Since metav1.Time `json:"since"`
}

// StaticIPStatus is the observed state of a StaticIP.
type StaticIPStatus struct {
	// observedGeneration is the spec generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// phase of the address.
	// +optional
	Phase StaticIPPhase `json:"phase,omitempty"`

	// binding, when the address is Bound or Releasing.
	// +optional
	Binding *StaticIPBinding `json:"binding,omitempty"`

	// lastNodeName is the node that last held the address, so a returning node gets the same
	// address and FQDN back and YARN sees the same NodeId.
	// +kubebuilder:validation:MaxLength=253
	// +optional
	LastNodeName string `json:"lastNodeName,omitempty"`

	// conditions: KeytabValid, Ready.
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=8
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// StaticIP is a prepared NodeManager identity: an address, the FQDN that resolves to it and
// a keytab for that FQDN. It is namespaced because the keytab Secret must live in the
// namespace of the pod that mounts it; addresses are unique across namespaces, which the
// operator enforces by marking later duplicates Invalid.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=sip,categories=elasticyarn
// +kubebuilder:validation:XValidation:rule="self.metadata.name.size() <= 63",message="StaticIP names must be at most 63 characters: the name is a label value on the NodeManager pod that holds it"
// +kubebuilder:printcolumn:name="Address",type=string,JSONPath=`.spec.address`
// +kubebuilder:printcolumn:name="FQDN",type=string,JSONPath=`.spec.fqdn`
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Node",type=string,JSONPath=`.status.binding.nodeName`
// +kubebuilder:printcolumn:name="Pool",type=string,JSONPath=`.status.binding.pool`
// +kubebuilder:printcolumn:name="Keytab",type=string,JSONPath=`.status.conditions[?(@.type=="KeytabValid")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type StaticIP struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   StaticIPSpec   `json:"spec"`
	Status StaticIPStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// StaticIPList is a list of StaticIPs.
type StaticIPList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []StaticIP `json:"items"`
}

func init() {
	SchemeBuilder.Register(&StaticIP{}, &StaticIPList{})
}
