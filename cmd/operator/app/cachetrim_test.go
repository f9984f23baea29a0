package app

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestTrimForCache(t *testing.T) {
	managed := []metav1.ManagedFieldsEntry{{Manager: "kubelet", Operation: metav1.ManagedFieldsOperationUpdate}}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "n1", Labels: map[string]string{"a": "b"}, ManagedFields: managed},
		Status: corev1.NodeStatus{Images: []corev1.ContainerImage{{Names: []string{"registry.example.com/app:1"}, SizeBytes: 1}},
			Allocatable: corev1.ResourceList{corev1.ResourceCPU: *mustQuantity(t, "32")}},
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", ManagedFields: managed}, Spec: corev1.PodSpec{NodeName: "n1"}}

	out, err := trimForCache(node)
	if err != nil {
		t.Fatal(err)
	}
	n := out.(*corev1.Node)
	if n.ManagedFields != nil || n.Status.Images != nil {
		t.Errorf("node keeps managedFields %v or images %v", n.ManagedFields, n.Status.Images)
	}
	if n.Labels["a"] != "b" || n.Status.Allocatable.Cpu().Value() != 32 {
		t.Errorf("node lost what the controllers read: labels %v allocatable %v", n.Labels, n.Status.Allocatable)
	}
	out, err = trimForCache(pod)
	if err != nil {
		t.Fatal(err)
	}
	if p := out.(*corev1.Pod); p.ManagedFields != nil || p.Spec.NodeName != "n1" {
		t.Errorf("pod: managedFields %v nodeName %q", p.ManagedFields, p.Spec.NodeName)
	}
	// Not an object (a tombstone, say): passed through untouched.
	if out, err := trimForCache("x"); err != nil || out != "x" {
		t.Errorf("non-object: %v, %v", out, err)
	}
}

func mustQuantity(t *testing.T, s string) *resource.Quantity {
	t.Helper()
	q, err := resource.ParseQuantity(s)
	if err != nil {
		t.Fatal(err)
	}
	return &q
}
