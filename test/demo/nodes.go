package demo

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/test/localcluster"
)

// Node placement labels, matching config/samples.
const (
	LabelColocation = "koordinator.sh/colocation"    // resident-pool nodes
	LabelOnline     = "node-role.example.com/online" // night-pool nodes
	batchCPU        = "kubernetes.io/batch-cpu"      // milli-cores
	batchMemory     = "kubernetes.io/batch-memory"   // bytes
	nodeCores       = 32                             // every fake node's CPU
	nodeMemoryGiB   = 128                            // every fake node's memory
	nodeBatchCPU    = 24000                          // batch-cpu allocatable, milli-cores
	nodeBatchMemGiB = 100                            // batch-memory allocatable
)

// NodeName is the name of fake node i.
func NodeName(i int) string { return fmt.Sprintf("demo-node-%02d", i) }

// ResidentNode reports whether fake node i carries the resident pool's placement label (the
// first half); the second half carries the night pool's.
func ResidentNode(i, n int) bool { return i < n/2 }

// fakeNode is node i of n: kwok-managed, with Koordinator batch resources in allocatable.
func fakeNode(i, n int) *corev1.Node {
	name := NodeName(i)
	labels := map[string]string{
		"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
		"type": "kwok",
	}
	if ResidentNode(i, n) {
		labels[LabelColocation] = "true"
	} else {
		labels[LabelOnline] = "true"
	}
	res := corev1.ResourceList{
		corev1.ResourceCPU:    *resource.NewQuantity(nodeCores, resource.DecimalSI),
		corev1.ResourceMemory: *resource.NewQuantity(nodeMemoryGiB<<30, resource.BinarySI),
		corev1.ResourcePods:   *resource.NewQuantity(110, resource.DecimalSI),
		batchCPU:              *resource.NewQuantity(nodeBatchCPU, resource.DecimalSI),
		batchMemory:           *resource.NewQuantity(nodeBatchMemGiB<<30, resource.BinarySI),
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels,
			Annotations: map[string]string{localcluster.KwokNodeAnnotation: "fake", "node.alpha.kubernetes.io/ttl": "0"}},
		Status: corev1.NodeStatus{
			Capacity: res, Allocatable: res.DeepCopy(),
			Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "127.0.0.1"}, {Type: corev1.NodeHostName, Address: name}},
		},
	}
}

// createNodes creates n fake nodes. The apiserver may drop status on create and kwok may
// write it at once, so the batch resources are (re)applied on the newest version.
func createNodes(ctx context.Context, c client.Client, n int) error {
	for i := 0; i < n; i++ {
		want := fakeNode(i, n)
		if err := c.Create(ctx, want.DeepCopy()); err != nil {
			return fmt.Errorf("creating node %s: %w", want.Name, err)
		}
		err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
			var node corev1.Node
			if err := c.Get(ctx, client.ObjectKeyFromObject(want), &node); err != nil {
				return err
			}
			if _, ok := node.Status.Allocatable[batchCPU]; ok {
				return nil
			}
			node.Status.Capacity, node.Status.Allocatable = want.Status.Capacity, want.Status.Allocatable
			node.Status.Addresses = want.Status.Addresses
			return c.Status().Update(ctx, &node)
		})
		if err != nil {
			return fmt.Errorf("setting status of node %s: %w", want.Name, err)
		}
	}
	return nil
}
