package koord

import (
	"math"
	"time"
)

// Input is one step of a node: the online load from the trace and what YARN holds.
type Input struct {
	OnlineCPUCores float64
	OnlineMemoryMB float64
	// BEDemandCores is what the YARN containers would use unthrottled.
	BEDemandCores float64
	// BERequestCores is the vcores YARN allocated to its running containers.
	BERequestCores float64
	BEMemoryMB     float64
	// ThirdPartyCPUCores and ThirdPartyMemoryMB are the koord-batch entries of the Node's
	// thirdPartyAllocations annotation (what the operator wrote for YARN; zero when nobody
	// writes it).
	ThirdPartyCPUCores float64
	ThirdPartyMemoryMB float64
}

// Observation is what Koordinator shows and does at one step.
type Observation struct {
	// SuppressCores is the BE real limit now (koordlet_be_suppress_cpu_cores).
	SuppressCores float64
	BEUsedCores   float64
	NodeUsedCores float64
	// BatchCPUCores and BatchMemoryMB are the published batch allocatable (Node.status, which
	// koordlet exports as koordlet_node_resource_allocatable): the origin minus the third-party
	// allocations, floored at zero, as of the last publication.
	BatchCPUCores float64
	BatchMemoryMB float64
	// OriginCPUCores and OriginMemoryMB are the originExtendedAllocatable annotation written
	// with that publication: the batch total before any third-party allocation.
	OriginCPUCores float64
	OriginMemoryMB float64
	// RawBatchCPUCores and RawBatchMemoryMB are the origin figures now, before publication
	// damping and before the ledger.
	RawBatchCPUCores float64
	RawBatchMemoryMB float64
	NodeMemoryMB     float64
	// Evict is set when the NM pod is evicted at this step.
	Evict Reason
	// Window is the eviction window as koordlet saw it at this step.
	Window CPUWindow
}

type sample struct{ usage, request, limit float64 }

// Node is one node's Koordinator state.
type Node struct {
	cfg                Config
	cpuCores, memoryMB float64
	step               time.Duration
	ring               []sample
	next, filled       int
	sum                sample
	published          bool
	pubCPU, pubMemory  float64
	originCPU          float64
	originMemory       float64
	publishedAt        time.Duration
}

// NewNode sizes the eviction window for the simulation step.
func NewNode(cfg Config, cpuCores, memoryMB float64, step time.Duration) *Node {
	size := max(1, int(math.Ceil(float64(cfg.EvictWindow)/float64(step))))
	return &Node{cfg: cfg, cpuCores: cpuCores, memoryMB: memoryMB, step: step, ring: make([]sample, size)}
}

// Suppress is suppress(BE) for an online use.
func (n *Node) Suppress(onlineCPU float64) float64 {
	s := n.cpuCores*n.cfg.CPUSuppressThresholdPercent/percent - onlineCPU - n.cfg.SystemCPUCores
	return math.Max(s, math.Max(0, n.cfg.SuppressMinCores))
}

// Step advances one step at now (time since the start).
func (n *Node) Step(now time.Duration, in Input) Observation {
	var o Observation
	o.SuppressCores = n.Suppress(in.OnlineCPUCores)
	o.BEUsedCores = math.Min(in.BEDemandCores, o.SuppressCores)
	o.NodeUsedCores = in.OnlineCPUCores + n.cfg.SystemCPUCores + o.BEUsedCores
	o.NodeMemoryMB = in.OnlineMemoryMB + n.cfg.SystemMemoryMB + in.BEMemoryMB
	o.RawBatchCPUCores = math.Max(0, n.cpuCores*n.cfg.CPUReclaimThresholdPercent/percent-in.OnlineCPUCores-n.cfg.SystemCPUCores)
	o.RawBatchMemoryMB = math.Max(0, n.memoryMB*n.cfg.MemoryReclaimThresholdPercent/percent-in.OnlineMemoryMB-n.cfg.SystemMemoryMB)
	n.publish(now, o.RawBatchCPUCores, o.RawBatchMemoryMB, in.ThirdPartyCPUCores, in.ThirdPartyMemoryMB)
	o.BatchCPUCores, o.BatchMemoryMB = n.pubCPU, n.pubMemory
	o.OriginCPUCores, o.OriginMemoryMB = n.originCPU, n.originMemory

	n.record(sample{usage: o.BEUsedCores, request: in.BERequestCores, limit: o.SuppressCores})
	o.Window = n.window()
	switch {
	case in.BERequestCores > 0 && MemoryEvictionDue(n.cfg, o.NodeMemoryMB, n.memoryMB):
		o.Evict = EvictMemory
	case CPUEvictionDue(n.cfg, o.Window):
		o.Evict = EvictCPU
	}
	if o.Evict != NoEviction {
		n.resetWindow() // the BE pods are gone: koordlet's averages start over
	}
	return o
}

// publish is koord-manager's batch resource plugin: kubeBatchAllocatable =
// max(origin - thirdPartyBatchAllocated, 0), with the origin kept in an annotation
// (koordinator pkg/slo-controller/noderesource/plugins/batchresource/plugin.go, a7a1b76b,
// lines 115-146), written only when it moved more than AllocatableChangePercent or is stale.
func (n *Node) publish(now time.Duration, cpu, memory, thirdPartyCPU, thirdPartyMemory float64) {
	kubeCPU, kubeMemory := math.Max(cpu-thirdPartyCPU, 0), math.Max(memory-thirdPartyMemory, 0)
	moved := func(old, v float64) bool {
		return math.Abs(v-old) > old*n.cfg.AllocatableChangePercent/percent
	}
	if !n.published || now-n.publishedAt >= n.cfg.AllocatableMaxAge || moved(n.pubCPU, kubeCPU) || moved(n.pubMemory, kubeMemory) {
		n.published, n.pubCPU, n.pubMemory, n.publishedAt = true, kubeCPU, kubeMemory, now
		n.originCPU, n.originMemory = cpu, memory
	}
}

func (n *Node) record(s sample) {
	n.ring[n.next] = s
	n.next = (n.next + 1) % len(n.ring)
	n.filled = min(n.filled+1, len(n.ring))
}

// window averages the ring afresh each time: a running sum would drift over weeks of steps.
func (n *Node) window() CPUWindow {
	if n.filled == 0 {
		return CPUWindow{}
	}
	var sum sample
	for _, s := range n.ring[:n.filled] {
		sum.usage += s.usage
		sum.request += s.request
		sum.limit += s.limit
	}
	f := float64(n.filled)
	return CPUWindow{UsageCores: sum.usage / f, RequestCores: sum.request / f, LimitCores: sum.limit / f,
		Covered: time.Duration(n.filled) * n.step}
}

func (n *Node) resetWindow() {
	n.next, n.filled = 0, 0
}
