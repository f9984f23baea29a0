package demo

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/elasticyarn/elastic-yarn-operator/test/testkit"
)

// Node placement labels, matching config/samples.
const (
	LabelColocation = "koordinator.sh/colocation"    // resident-pool nodes
	LabelOnline     = "node-role.example.com/online" // night-pool nodes
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
	placement := map[string]string{LabelOnline: "true"}
	if ResidentNode(i, n) {
		placement = map[string]string{LabelColocation: "true"}
	}
	return testkit.Node(testkit.NodeOptions{Name: NodeName(i), Labels: placement, Kwok: true,
		CPUCores: nodeCores, MemoryGiB: nodeMemoryGiB, BatchCPUMilli: nodeBatchCPU, BatchMemoryGiB: nodeBatchMemGiB})
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
			if _, ok := node.Status.Allocatable[testkit.BatchCPU]; ok {
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
