package app

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/metrics"
)

// nodeAnnotationsRead are the only Node annotations any controller reads: the Koordinator
// ledger the capacity controller reads and writes (controllers/capacity/metrics ledger.go and
// allocatable.go). A controller that starts reading another Node annotation must add it here,
// or it reads nothing from the cache.
var nodeAnnotationsRead = []string{
	metrics.AnnotationThirdPartyAllocations,
	metrics.AnnotationOriginExtendedAllocatable,
}

// trimForCache drops what the operator never reads from the objects it caches, before they
// are stored: managedFields (often the larger part of a small object) on every kind, and on
// Nodes everything trimNode drops. The operator caches every Node of the cluster, so Nodes
// are most of its memory at thousands of nodes.
//
// Safe because no controller uses server-side apply from a cached object, and the one write
// to a Node (the capacity controller's thirdPartyAllocations) is a merge patch computed
// between two copies of the cached Node: fields absent from both are absent from the patch,
// so the trim never deletes anything on the server.
func trimForCache(in any) (any, error) {
	if obj, err := meta.Accessor(in); err == nil && obj.GetManagedFields() != nil {
		obj.SetManagedFields(nil)
	}
	if node, ok := in.(*corev1.Node); ok {
		trimNode(node)
	}
	return in, nil
}

// trimNode keeps what the controllers read from a Node:
//   - all labels: a pool's placement.nodeSelector may name any of them (nodemanager gather
//     and watches);
//   - the annotations in nodeAnnotationsRead;
//   - spec.unschedulable and spec.taints (nodemanager nodeSchedulable and its predicates);
//   - status.capacity (the capacity controller's node CPU) and status.allocatable (the
//     Koordinator batch resources of FromNodeAllocatable);
//   - the Ready condition (nodemanager nodeReady).
//
// It drops the rest: annotations of the kubelet, CNI, CSI and Koordinator (several KiB a node
// in a real cluster), status.images (up to 50 names and digests), volumes, addresses,
// nodeInfo, daemon endpoints, features and the other conditions.
func trimNode(n *corev1.Node) {
	var kept map[string]string
	for _, k := range nodeAnnotationsRead {
		if v, ok := n.Annotations[k]; ok {
			if kept == nil {
				kept = make(map[string]string, len(nodeAnnotationsRead))
			}
			kept[k] = v
		}
	}
	n.Annotations = kept
	n.Spec = corev1.NodeSpec{Unschedulable: n.Spec.Unschedulable, Taints: n.Spec.Taints}
	var ready []corev1.NodeCondition
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			c.Message = ""
			ready = []corev1.NodeCondition{c}
			break
		}
	}
	n.Status = corev1.NodeStatus{Capacity: n.Status.Capacity, Allocatable: n.Status.Allocatable, Conditions: ready}
}
