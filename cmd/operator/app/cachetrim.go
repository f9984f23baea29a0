package app

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
)

// trimForCache drops what the operator never reads from the objects it caches, before they
// are stored: managedFields (often the larger part of a small object) and a Node's list of
// images (up to 50 names and digests per node, refreshed by the kubelet). The operator
// caches every Node of the cluster, so these are most of its memory at thousands of nodes.
// Safe because no controller uses server-side apply from a cached object; merge patches
// computed from cached copies never touch managedFields.
func trimForCache(in any) (any, error) {
	if obj, err := meta.Accessor(in); err == nil && obj.GetManagedFields() != nil {
		obj.SetManagedFields(nil)
	}
	if node, ok := in.(*corev1.Node); ok {
		node.Status.Images = nil
	}
	return in, nil
}
