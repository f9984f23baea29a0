package staticip

import (
	"context"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// ActiveNodes tells which NodeManager FQDNs a pool's ResourceManager lists in an active state
// (NEW, RUNNING, UNHEALTHY, DECOMMISSIONING: see staticippolicy.IsActiveNodeState). It is the
// Reconciler's only view of YARN and the injection point for the RM client: cmd/operator
// wires an implementation backed by yarnclient (ListNodes, keyed by node host name); tests
// pass a fake with the same contract.
//
// Contract: the map holds the FQDNs of active nodes (absent or false means not active). An
// error means the RM could not be asked; the Reconciler then releases nothing. Called at most
// once per reconcile and only for a StaticIP whose pod is gone, but possibly for many
// StaticIPs of one pool in a row, so an implementation may cache a pool's answer for a few
// seconds.
type ActiveNodes interface {
	ActiveNodes(ctx context.Context, pool *v1alpha1.ElasticNodeManager) (map[string]bool, error)
}
