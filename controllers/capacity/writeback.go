package capacity

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/cycle"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// writeAllocations tells Koordinator what YARN uses on each node (thirdPartyAllocations),
// patching only that annotation and only when the value changes. The patch carries the
// resourceVersion, so a concurrent writer of another allocation is never overwritten: the
// conflict is retried next cycle. The plan says what to record (cycle.Plan.Ledger); a failed
// write is logged and tried again at the next cycle.
func (r *Reconciler) writeAllocations(ctx context.Context, c *gathered, p cycle.Plan) {
	type job struct {
		node *corev1.Node
		used policy.Resources
	}
	var jobs []job
	for _, e := range p.Ledger {
		if node := c.nms[e.Node].node; node != nil {
			jobs = append(jobs, job{node, e.Used})
		}
	}
	r.parallel(ctx, len(jobs), func(ctx context.Context, k int) {
		j := jobs[k]
		value, changed, err := MergeYARNAllocation(j.node.Annotations[AnnotationThirdPartyAllocations], j.used)
		if err == nil && changed {
			patched := j.node.DeepCopy()
			if patched.Annotations == nil {
				patched.Annotations = map[string]string{}
			}
			patched.Annotations[AnnotationThirdPartyAllocations] = value
			err = r.Client.Patch(ctx, patched, client.MergeFromWithOptions(j.node, client.MergeFromWithOptimisticLock{}))
		}
		if err != nil {
			log.FromContext(ctx).Info("thirdPartyAllocations not written", "node", j.node.Name, "error", err.Error())
		}
	})
}
