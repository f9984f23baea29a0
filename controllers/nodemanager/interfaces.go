package nodemanager

import (
	"context"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// RM is the part of the ResourceManager REST API this controller uses. *yarnclient.Client
// satisfies it as is.
type RM interface {
	// ListNodes lists NodeManagers; without states every node, inactive ones included.
	ListNodes(ctx context.Context, states ...yarnclient.NodeState) ([]yarnclient.Node, error)
	// SetNodeResource sends a resize (overCommitTimeout -1: nothing running is killed). It
	// is asynchronous; the next reconcile reads the node back and re-sends on drift.
	SetNodeResource(ctx context.Context, nodeID string, r yarnclient.Resource) (yarnclient.Resource, error)
	ListNodeLabels(ctx context.Context) ([]yarnclient.NodeLabel, error)
	AddNodeLabels(ctx context.Context, labels ...yarnclient.NodeLabel) error
	ReplaceNodeLabels(ctx context.Context, nodeID string, labels ...string) error
}

// RMFactory hands out the RM client of a pool (the operator's is backed by
// controllers/rmconnect, which keeps one client in each pool's memory).
type RMFactory interface {
	RMFor(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (RM, error)
}

// Shedder asks a NodeManager pod's guarder sidecar to bring the running containers under
// the target by its deadline, gracefully first (POST /v1/target on the guarder API). The
// capacity controller's Shedder has the same signature; *guarderclient.Client satisfies both.
type Shedder interface {
	SetTarget(ctx context.Context, pod *corev1.Pod, target guarderclient.Target) error
}

// IdentityBinder hands StaticIPs to NodeManager pods. *controllers/staticip.Binder satisfies
// it: Bind is idempotent per pod name. Releasing an address is the StaticIP controller's.
type IdentityBinder interface {
	Bind(ctx context.Context, enm *v1alpha1.ElasticNodeManager, nodeName, podName string) (*v1alpha1.StaticIP, error)
}
