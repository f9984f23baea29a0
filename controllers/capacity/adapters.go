package capacity

import (
	"context"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/promquery"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/guarderclient"
	"github.com/elasticyarn/elastic-yarn-operator/controllers/rmconnect"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient"
)

// RMFactory adapts rmconnect.Factory to RMProvider.
type RMFactory struct{ Factory *rmconnect.Factory }

// RMFor returns the pool's shared RM client.
func (f RMFactory) RMFor(ctx context.Context, enm *v1alpha1.ElasticNodeManager) (RM, error) {
	c, err := f.Factory.For(ctx, enm)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// GuarderShedder adapts guarderclient.Client to Shedder.
type GuarderShedder struct{ Client *guarderclient.Client }

// SetTarget sends the target to the pod's guarder.
func (g GuarderShedder) SetTarget(ctx context.Context, pod *corev1.Pod, vcores, memoryMB int, deadline time.Time, reason string) error {
	return g.Client.SetTarget(ctx, pod, guarderclient.Target{VCores: int64(vcores), MemoryMB: int64(memoryMB), Deadline: deadline, Reason: reason})
}

// NewMetricsSources returns a MetricsSourceFor that builds one Prometheus source per URL and
// reuses it (connection pooling across cycles).
func NewMetricsSources() MetricsSourceFor {
	var mu sync.Mutex
	sources := map[string]MetricsSource{}
	return func(url string) (MetricsSource, error) {
		mu.Lock()
		defer mu.Unlock()
		if s, ok := sources[url]; ok {
			return s, nil
		}
		s, err := promquery.New(url, nil)
		if err != nil {
			return nil, err
		}
		sources[url] = s
		return s, nil
	}
}

// SetTargetWithPriorities sends the target with application priorities (shedOrder
// ApplicationPriority).
func (g GuarderShedder) SetTargetWithPriorities(ctx context.Context, pod *corev1.Pod, vcores, memoryMB int, deadline time.Time, reason string, appPriorities map[string]int) error {
	return g.Client.SetTarget(ctx, pod, guarderclient.Target{VCores: int64(vcores), MemoryMB: int64(memoryMB), Deadline: deadline,
		Reason: reason, AppPriorities: appPriorities})
}

// The real clients satisfy the narrow interfaces.
var (
	_ RM              = (*yarnclient.Client)(nil)
	_ AppLister       = (*yarnclient.Client)(nil)
	_ PriorityShedder = GuarderShedder{}
)

// The operator's RM client sends grows without waiting (see resize).
var _ ResizeSender = (*yarnclient.Client)(nil)
