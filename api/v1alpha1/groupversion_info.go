// Package v1alpha1 holds the elasticyarn.io/v1alpha1 API: ElasticNodeManager, a pool of YARN
// NodeManagers run as pods on chosen Kubernetes nodes, and StaticIP, one prepared network
// identity (address, FQDN, keytab) that such a NodeManager can take.
//
// +kubebuilder:object:generate=true
// +groupName=elasticyarn.io
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of this API.
	GroupVersion = schema.GroupVersion{Group: "elasticyarn.io", Version: "v1alpha1"}

	// SchemeBuilder registers the kinds of this package with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the kinds of this package to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
