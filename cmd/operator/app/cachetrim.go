package app

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/koordledger"
)

// nodeResourcesRead are the only Node resources any controller reads: in status.capacity the
// CPU (the capacity controller's node size), in status.allocatable Koordinator's batch
// resources (koordledger.FromNodeAllocatable). A real node lists a dozen (cpu, memory,
// ephemeral-storage, pods, hugepages of each size, device plugins', Koordinator's batch and
// mid resources), each a map entry and a parsed Quantity, twice.
var nodeResourcesRead = struct{ capacity, allocatable []corev1.ResourceName }{
	capacity:    []corev1.ResourceName{corev1.ResourceCPU},
	allocatable: []corev1.ResourceName{koordledger.ResourceBatchCPU, koordledger.ResourceBatchMemory},
}

// nodeAnnotationsRead are the only Node annotations any controller reads: the Koordinator
// ledger the capacity controller reads and writes (controllers/capacity/koordledger ledger.go and
// allocatable.go). A controller that starts reading another Node annotation must add it here,
// or it reads nothing from the cache.
var nodeAnnotationsRead = []string{
	koordledger.AnnotationThirdPartyAllocations,
	koordledger.AnnotationOriginExtendedAllocatable,
}

// trimForCache drops what the operator never reads from the objects it caches, before they
// are stored: managedFields (often the larger part of a small object) on every kind, on
// Nodes everything trimNode drops and on NodeManager pods what trimPod drops. The operator
// caches every Node of the cluster and one pod per NodeManager, so these are most of its
// memory at thousands of nodes.
//
// Safe because no controller uses server-side apply from a cached object, and the one write
// to a Node (the capacity controller's thirdPartyAllocations) is a merge patch computed
// between two copies of the cached Node: fields absent from both are absent from the patch,
// so the trim never deletes anything on the server.
func trimForCache(in any) (any, error) {
	if obj, err := meta.Accessor(in); err == nil && obj.GetManagedFields() != nil {
		obj.SetManagedFields(nil)
	}
	switch obj := in.(type) {
	case *corev1.Node:
		trimNode(obj)
	case *corev1.Pod:
		trimPod(obj)
	}
	return in, nil
}

// trimPod keeps what the controllers read from a NodeManager pod (the only pods cached):
// all of its metadata (labels and annotations carry the drain state, the StaticIP, the YARN
// NodeId and the spec hash that rollouts compare), its status, spec.nodeName and
// spec.affinity (podspec.NodeOf, capacity gather), and each container's name and ports (the
// guarder endpoint, guarderclient.Endpoint). It drops the rest of the spec, which the
// operator only writes (podspec.Build; a rollout compares the hash annotation, not the
// spec): environment, volumes and mounts, probes, resources, security contexts. That is most
// of a NodeManager pod.
//
// No controller updates a pod or patches its spec; a merge patch computed between two copies
// of a trimmed pod carries only what the controller changed (annotations, finalizers).
func trimPod(p *corev1.Pod) {
	containers := make([]corev1.Container, len(p.Spec.Containers))
	for i, c := range p.Spec.Containers {
		containers[i] = corev1.Container{Name: c.Name, Ports: c.Ports}
	}
	p.Spec = corev1.PodSpec{NodeName: p.Spec.NodeName, Affinity: p.Spec.Affinity, Containers: containers}
}

// trimNode keeps what the controllers read from a Node:
//   - all labels: a pool's placement.nodeSelector may name any of them (nodemanager gather
//     and watches);
//   - the annotations in nodeAnnotationsRead;
//   - spec.unschedulable and spec.taints (nodemanager nodeSchedulable and its predicates);
//   - status.capacity's CPU (the capacity controller's node CPU) and status.allocatable's
//     Koordinator batch resources (koordledger.FromNodeAllocatable), the resources in
//     nodeResourcesRead;
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
	n.Status = corev1.NodeStatus{
		Capacity:    onlyResources(n.Status.Capacity, nodeResourcesRead.capacity),
		Allocatable: onlyResources(n.Status.Allocatable, nodeResourcesRead.allocatable),
		Conditions:  ready,
	}
}

// onlyResources is the part of list naming one of names (nil when none).
func onlyResources(list corev1.ResourceList, names []corev1.ResourceName) corev1.ResourceList {
	var kept corev1.ResourceList
	for _, name := range names {
		if q, ok := list[name]; ok {
			if kept == nil {
				kept = make(corev1.ResourceList, len(names))
			}
			kept[name] = q
		}
	}
	return kept
}
