package testkit

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Koordinator's batch resources on a colocated node (koord-manager's batchresource plugin
// publishes them in status.allocatable).
const (
	BatchCPU    corev1.ResourceName = "kubernetes.io/batch-cpu"    // milli-cores
	BatchMemory corev1.ResourceName = "kubernetes.io/batch-memory" // bytes
)

// KwokNodeAnnotation marks the nodes kwok manages (test/localcluster starts kwok with
// --manage-nodes-with-annotation-selector=KwokNodeAnnotation=fake).
const KwokNodeAnnotation = "kwok.x-k8s.io/node"

// NodeOptions are a Kubernetes node's settings; every zero field takes its default.
type NodeOptions struct {
	Name string // "node-a"
	// Labels are added to the kubelet's own (hostname, os, arch).
	Labels      map[string]string
	Annotations map[string]string
	// CPUCores and MemoryGiB are the node's capacity (32 cores, 128 GiB).
	CPUCores, MemoryGiB int64
	// BatchCPUMilli and BatchMemoryGiB are Koordinator's batch allocatable (24000 m, 100 GiB).
	// NoBatch leaves them out: a node Koordinator does not colocate on.
	BatchCPUMilli, BatchMemoryGiB int64
	NoBatch                       bool
	// InternalIP is the node's address (127.0.0.1, where the local test clusters run).
	InternalIP string
	// Kwok marks the node as kwok's (the kwok annotation and type=kwok label) and leaves its
	// conditions to kwok; any other node is Ready.
	Kwok bool
}

// Node builds a Kubernetes node. The API server drops status on create: write it afterwards
// (Status().Update or Patch) from the built object.
func Node(o NodeOptions) *corev1.Node {
	name := or(o.Name, "node-a")
	labels := map[string]string{"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}
	annotations := map[string]string{}
	if o.Kwok {
		labels["type"] = "kwok"
		annotations[KwokNodeAnnotation] = "fake"
		annotations["node.alpha.kubernetes.io/ttl"] = "0"
	}
	for k, v := range o.Labels {
		labels[k] = v
	}
	for k, v := range o.Annotations {
		annotations[k] = v
	}
	res := corev1.ResourceList{
		corev1.ResourceCPU:    *resource.NewQuantity(orInt(o.CPUCores, 32), resource.DecimalSI),
		corev1.ResourceMemory: *resource.NewQuantity(orInt(o.MemoryGiB, 128)<<30, resource.BinarySI),
		corev1.ResourcePods:   *resource.NewQuantity(110, resource.DecimalSI),
	}
	if !o.NoBatch {
		res[BatchCPU] = *resource.NewQuantity(orInt(o.BatchCPUMilli, 24000), resource.DecimalSI)
		res[BatchMemory] = *resource.NewQuantity(orInt(o.BatchMemoryGiB, 100)<<30, resource.BinarySI)
	}
	n := &corev1.Node{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels, Annotations: annotations},
		Status: corev1.NodeStatus{
			Capacity: res, Allocatable: res.DeepCopy(),
			Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: or(o.InternalIP, "127.0.0.1")}, {Type: corev1.NodeHostName, Address: name}},
		},
	}
	if len(annotations) == 0 {
		n.Annotations = nil
	}
	if !o.Kwok {
		now := metav1.Now()
		n.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
			LastHeartbeatTime: now, LastTransitionTime: now}}
	}
	return n
}

func orInt(v, def int64) int64 {
	if v == 0 {
		return def
	}
	return v
}
