package nodemanager

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmconnect"
)

// RMConnect adapts the operator's per-pool RM client cache to RMFactory.
type RMConnect struct{ Factory *rmconnect.Factory }

// RMFor returns the pool's cached yarnclient.Client.
func (a RMConnect) RMFor(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (RM, error) {
	c, err := a.Factory.For(ctx, enm)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// GuarderShedder adapts the guarder client to Shedder.
type GuarderShedder struct{ Client *guarderclient.Client }

// Shed sends the target to the pod's guarder.
func (g GuarderShedder) Shed(ctx context.Context, pod *corev1.Pod, target v1alpha1.Resources, deadline time.Time, reason string) error {
	return g.Client.SetTarget(ctx, pod, guarderclient.Target{
		VCores: int64(target.VCores), MemoryMB: target.MemoryMB, Deadline: deadline, Reason: reason,
	})
}

// *controllers/staticip.Binder satisfies IdentityBinder as is (Bind, Release); it is not
// imported here so that this package builds whatever state that package is in.
