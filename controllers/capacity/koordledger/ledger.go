package koordledger

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

// Koordinator's third-party allocation ledger on the Node. koord-manager subtracts every
// koord-batch allocation in it from the batch allocatable it publishes:
// kubeBatchAllocatable = max(originBatchAllocatable - thirdPartyBatchAllocated, 0)
// (koordinator-sh/koordinator pkg/slo-controller/noderesource/plugins/batchresource/plugin.go,
// a7a1b76bbf81abd26f9c377de1f31a60dd965f6e, lines 133-146), and koordlet exports
// Node.status.allocatable as koordlet_node_resource_allocatable (pkg/koordlet/statesinformer/
// impl/states_node.go recordNodeResources, same commit). So that series, and the Node's
// allocatable, already lack what YARN itself holds.
const (
	AnnotationThirdPartyAllocations = "node.koordinator.sh/thirdPartyAllocations"
	// YARNAllocationName is the allocation the capacity controller writes for YARN.
	YARNAllocationName = "hadoop-yarn"
	// Koordinator's batch resource names (koordinator apis/extension).
	ResourceBatchCPU    = "kubernetes.io/batch-cpu"
	ResourceBatchMemory = "kubernetes.io/batch-memory"
	// Koordinator writes batch-cpu in milli-cores.
	milliCoresPerCore = 1000.0
)

type thirdPartyAllocations struct {
	Allocations []struct {
		Name      string              `json:"name"`
		Resources corev1.ResourceList `json:"resources"`
	} `json:"allocations"`
}

// Batch is an amount of batch resources in cores and bytes.
type Batch struct {
	Cores, MemoryBytes float64
}

// YARNShareOf reads YARN's entry from the Node's thirdPartyAllocations annotation (zero when
// there is none). batch-cpu is an integer count of milli-cores; batch-memory is bytes.
func YARNShareOf(node *corev1.Node) (Batch, error) {
	raw, ok := node.Annotations[AnnotationThirdPartyAllocations]
	if !ok || raw == "" {
		return Batch{}, nil
	}
	var doc thirdPartyAllocations
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return Batch{}, fmt.Errorf("node %s: annotation %s: %w", node.Name, AnnotationThirdPartyAllocations, err)
	}
	var share Batch
	for _, a := range doc.Allocations {
		if a.Name != YARNAllocationName {
			continue
		}
		cpu, mem := a.Resources[corev1.ResourceName(ResourceBatchCPU)], a.Resources[corev1.ResourceName(ResourceBatchMemory)]
		share.Cores += float64(cpu.Value()) / milliCoresPerCore
		share.MemoryBytes += float64(mem.Value())
	}
	if share.Cores < 0 || share.MemoryBytes < 0 {
		return Batch{}, fmt.Errorf("node %s: negative %s allocation", node.Name, YARNAllocationName)
	}
	return share, nil
}

// OriginOf reads koord-manager's originExtendedAllocatable annotation: the batch total before
// any third-party allocation was subtracted, as of its last update. ok is false without it.
func OriginOf(node *corev1.Node) (origin Batch, ok bool, err error) {
	raw, found := node.Annotations[AnnotationOriginExtendedAllocatable]
	if !found {
		return Batch{}, false, nil
	}
	var doc originAllocatable
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return Batch{}, false, fmt.Errorf("node %s: annotation %s: %w", node.Name, AnnotationOriginExtendedAllocatable, err)
	}
	cpu, cpuOK := doc.Resources[corev1.ResourceName(ResourceBatchCPU)]
	mem, memOK := doc.Resources[corev1.ResourceName(ResourceBatchMemory)]
	if !cpuOK || !memOK {
		return Batch{}, false, nil
	}
	return Batch{Cores: float64(cpu.Value()) / milliCoresPerCore, MemoryBytes: float64(mem.Value())}, true, nil
}

// Ledger is what a node's annotations say about the subtraction behind its published batch
// allocatable.
type Ledger struct {
	// YARN is YARN's own allocation (the value the capacity controller wrote last).
	YARN Batch
	// Origin, when OriginKnown, caps the result: never more than koord-manager's total before
	// any subtraction.
	Origin      Batch
	OriginKnown bool
}

// AddBackYARNShare gives YARN the batch resources as Koordinator offers them before YARN's own
// allocation was subtracted: batch memory always (it comes from koordlet_node_resource_
// allocatable), batch CPU only when it does too (BatchAllocatable; koordlet's BE suppress
// figure is computed from non-BE usage and knows nothing of the ledger). The standard
// deviation does not move with a constant.
//
// The value added is the one the capacity controller wrote last, not the one in effect when
// each sample of the window was taken: koord-manager republishes on a move over 10 % or
// after 300 s, so within a window the two differ by at most what YARN's use moved meanwhile.
// koord-manager clamps the published value at zero, so a sum above the origin total is
// brought back to the origin when the node carries it (fail-safe: never more than
// Koordinator's own total).
func AddBackYARNShare(m policy.Metrics, l Ledger, cpuFromAllocatable bool) policy.Metrics {
	capAt := func(v, limit float64) float64 {
		if l.OriginKnown && v > limit {
			return limit
		}
		return v
	}
	if m.MemoryPresent {
		m.MemoryBytes = shift(m.MemoryBytes, l.YARN.MemoryBytes, func(v float64) float64 { return capAt(v, l.Origin.MemoryBytes) })
	}
	if cpuFromAllocatable {
		if m.CPUPresent {
			m.CPUCores = shift(m.CPUCores, l.YARN.Cores, func(v float64) float64 { return capAt(v, l.Origin.Cores) })
		}
		if m.RecentCPUPresent {
			m.RecentCPUCores = capAt(m.RecentCPUCores+l.YARN.Cores, l.Origin.Cores)
		}
	}
	return m
}

func shift(s policy.Stats, by float64, limit func(float64) float64) policy.Stats {
	s.Mean = limit(s.Mean + by)
	s.Min = limit(s.Min + by)
	s.Max = limit(s.Max + by)
	s.Quantile = limit(s.Quantile + by)
	return s
}
