package nodemanager

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// syncExcludeFile (YarnGraceful) keeps the pool's hosts in the RM's exclude file equal to
// the hosts of its draining NodeManagers, through one Job at a time (see
// plan.DecideExcludeFile). It returns when to look again for a failed Job's retry.
func (r *Reconciler) syncExcludeFile(ctx context.Context, enm *v1alpha1.ElasticNodeManager, g *gathered, res plan.Result, now time.Time) (time.Time, error) {
	if drainPolicy(enm).Strategy != v1alpha1.DecommissionYarnGraceful {
		return time.Time{}, nil
	}
	pods := map[string]*corev1.Pod{}
	for i := range g.pods {
		pods[g.pods[i].Name] = &g.pods[i]
	}
	var desired []string
	var longest time.Duration
	for _, d := range res.Decisions {
		pod := pods[d.Pod]
		if pod == nil {
			continue
		}
		deadline := d.DrainDeadline
		switch d.Action {
		case plan.ActionStartDrain:
		case plan.ActionContinueDrain, plan.ActionDelete, plan.ActionWaitGone:
			st := drainStateOf(pod, g)
			if st == nil {
				continue
			}
			deadline = st.Deadline
		default:
			continue
		}
		host, _, _ := cutPort(pod.Annotations[v1alpha1.AnnotationYARNNodeID])
		desired = append(desired, host)
		if left := deadline.Sub(now); left > longest {
			longest = left
		}
	}
	var poolHosts []string
	for i := range g.sips {
		poolHosts = append(poolHosts, g.sips[i].Spec.FQDN)
	}
	dec := plan.DecideExcludeFile(desired, poolHosts, g.exclude, now)
	if !dec.Create {
		return dec.RetryAt, nil
	}
	var seq int64 = 1
	if g.exclude != nil {
		seq = g.exclude.Seq + 1
	}
	job := podspec.ExcludeJob(enm, seq, dec.Exclude, dec.Include, longest)
	if err := r.Client.Create(ctx, job); err != nil {
		if apierrors.IsAlreadyExists(err) {
			return time.Time{}, nil
		}
		return time.Time{}, err
	}
	ctrl.LoggerFrom(ctx).Info("Exclude-file Job created", "job", job.Name, "excluded", len(dec.Exclude), "included", len(dec.Include))
	r.event(enm, job, false, EventExcludeJob, "Decommission", "Job %s sets %d host(s) excluded and %d included in %s, then runs yarn rmadmin -refreshNodes",
		job.Name, len(dec.Exclude), len(dec.Include), enm.Spec.Decommission.ExcludeFile)
	return time.Time{}, nil
}
