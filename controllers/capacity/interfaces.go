package capacity

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// RM is the part of the ResourceManager client this controller uses; *yarnclient.Client
// satisfies it. UpdateNodeResource sends overCommitTimeout -1 and waits until the RM shows
// the new total, so a shrink is in force before the guarder is asked.
type RM interface {
	ListNodes(ctx context.Context, states ...yarnclient.NodeState) ([]yarnclient.Node, error)
	UpdateNodeResource(ctx context.Context, nodeID string, r yarnclient.Resource) (yarnclient.Node, error)
}

// ResizeSender is optionally implemented by an RM (as *yarnclient.Client does): it sends a
// resize and returns without waiting for the RM to show it (see resize).
type ResizeSender interface {
	SetNodeResource(ctx context.Context, nodeID string, r yarnclient.Resource) (yarnclient.Resource, error)
}

// RMProvider hands out the RM client of a pool (rmconnect.Factory through RMFactory).
type RMProvider interface {
	RMFor(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (RM, error)
}

// Shedder gives a NodeManager's guarder sidecar the capacity its running containers must
// fit in by deadline (POST /v1/target with the pool's bearer token).
type Shedder interface {
	SetTarget(ctx context.Context, pod *corev1.Pod, vcores, memoryMB int, deadline time.Time, reason string) error
}

// MetricsSource fetches a pool's window statistics; *promquery.Source satisfies it.
type MetricsSource interface {
	Fetch(ctx context.Context, req promquery.Request) (*promquery.Result, error)
}

// MetricsSourceFor returns the source for a Prometheus URL (NewMetricsSources caches one per
// URL).
type MetricsSourceFor func(prometheusURL string) (MetricsSource, error)

// AppLister is optionally implemented by an RM (as *yarnclient.Client does): with
// nodeSafety.shedOrder ApplicationPriority the running applications' priorities are read
// once per cycle in which something is shed.
type AppLister interface {
	ListApps(ctx context.Context, states ...string) ([]yarnclient.App, error)
}

// PriorityShedder is optionally implemented by a Shedder that can pass YARN application
// priorities to the guarder (lower priorities are shed first).
type PriorityShedder interface {
	SetTargetWithPriorities(ctx context.Context, pod *corev1.Pod, vcores, memoryMB int, deadline time.Time, reason string, appPriorities map[string]int) error
}
