package koordledger

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// AnnotationOriginExtendedAllocatable is koord-manager's batch total before third-party
// allocations (ours included) are subtracted, e.g.
// {"resources":{"kubernetes.io/batch-cpu":"60646","kubernetes.io/batch-memory":"256Gi"}}.
const AnnotationOriginExtendedAllocatable = "node.koordinator.sh/originExtendedAllocatable"

type originAllocatable struct {
	Resources corev1.ResourceList `json:"resources,omitempty"`
}

// FromNodeAllocatable is the fallback source: the batch resources koord-manager wrote on the
// Node. It prefers the origin annotation, because status.allocatable already has YARN's own
// third-party allocation subtracted (using it would make YARN shrink by what it uses); without
// the origin, YARN's share is added back to status.allocatable. It is a point value with no
// window and no age, so the policy never grows on it (policy.Metrics.FromAllocatable).
func FromNodeAllocatable(node *corev1.Node) (policy.Metrics, bool, error) {
	list := node.Status.Allocatable
	_, fromOrigin := node.Annotations[AnnotationOriginExtendedAllocatable]
	if raw, ok := node.Annotations[AnnotationOriginExtendedAllocatable]; ok {
		var origin originAllocatable
		if err := json.Unmarshal([]byte(raw), &origin); err != nil {
			return policy.Metrics{}, false, fmt.Errorf("node %s: annotation %s: %w", node.Name, AnnotationOriginExtendedAllocatable, err)
		}
		list = origin.Resources
	}
	cpu, cpuOK := list[corev1.ResourceName(ResourceBatchCPU)]
	mem, memOK := list[corev1.ResourceName(ResourceBatchMemory)]
	if !cpuOK || !memOK {
		return policy.Metrics{}, false, nil
	}
	// batch-cpu is an integer count of milli-cores ("60646" = 60.646 cores), not a CPU quantity.
	cores := float64(cpu.Value()) / milliCoresPerCore
	bytes := float64(mem.Value())
	if cores < 0 || bytes < 0 {
		return policy.Metrics{}, false, fmt.Errorf("node %s: negative batch resources %s / %s", node.Name, cpu.String(), mem.String())
	}
	m := policy.Metrics{
		CPUPresent: true, MemoryPresent: true, FromAllocatable: true,
		CPUCores:    flat(cores),
		MemoryBytes: flat(bytes),
	}
	if !fromOrigin {
		share, err := YARNShareOf(node)
		if err != nil {
			return policy.Metrics{}, false, err
		}
		m = AddBackYARNShare(m, Ledger{YARN: share}, true)
	}
	return m, true, nil
}

func flat(v float64) policy.Stats { return policy.Stats{Mean: v, Min: v, Max: v, Quantile: v} }
