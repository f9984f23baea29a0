package nodemanager

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/plan"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/nodemanager/podspec"
)

// createExcludeJob (YarnGraceful) starts the Job the plan chose: it sets the pool's hosts in
// the RM's exclude file and refreshes the RM's nodes (see plan.DecideExcludeFile).
func (r *Reconciler) createExcludeJob(ctx context.Context, enm *v1alpha1.ElasticNodeManager, dec plan.ExcludeDecision) error {
	if !dec.Create {
		return nil
	}
	job := podspec.ExcludeJob(enm, dec.Seq, dec.Exclude, dec.Include, dec.Timeout)
	if err := r.Client.Create(ctx, job); err != nil {
		if apierrors.IsAlreadyExists(err) {
			return nil
		}
		return err
	}
	ctrl.LoggerFrom(ctx).Info("Exclude-file Job created", "job", job.Name, "excluded", len(dec.Exclude), "included", len(dec.Include))
	r.event(enm, job, false, EventExcludeJob, "Decommission", "Job %s sets %d host(s) excluded and %d included in %s, then runs yarn rmadmin -refreshNodes",
		job.Name, len(dec.Exclude), len(dec.Include), enm.Spec.Decommission.ExcludeFile)
	return nil
}
