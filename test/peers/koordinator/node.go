package koordinator

import (
	"math"
	"time"
)

// Input is one step of a node: the online load and the BE (NodeManager) pod.
type Input struct {
	OnlineCPUCores float64
	OnlineMemoryMB float64
	// BEPodPresent is true while the NodeManager pod exists (it is the node's only BE pod).
	BEPodPresent bool
	// BEDemandCores is what the pod's processes (the YARN containers) would use unthrottled.
	BEDemandCores float64
	// BERequestCores is the sum of the BE pods' kubernetes.io/batch-cpu requests: what the
	// NodeManager pod's spec asks for, not what YARN allocated inside it.
	BERequestCores float64
	// BEMemoryMB is the memory the YARN containers use (the NM process is added from Config).
	BEMemoryMB float64
	// ThirdPartyCPUCores and ThirdPartyMemoryMB are the koord-batch entry of the Node's
	// thirdPartyAllocations annotation (what the operator wrote for YARN; zero when nobody
	// writes it).
	ThirdPartyCPUCores float64
	ThirdPartyMemoryMB float64
}

// Observation is what Koordinator shows and does at one step.
type Observation struct {
	// SuppressCores is the BE real limit at the end of the step: the cpuset size (or CFS
	// quota) koordlet applied, koordlet_be_suppress_cpu_cores.
	SuppressCores float64
	// SuppressTargetCores is calculateBESuppressCPU's figure before the policy's floor and
	// step limit.
	SuppressTargetCores float64
	BEUsedCores         float64
	NodeUsedCores       float64
	// BatchCPUCores and BatchMemoryMB are the published batch allocatable (Node.status, which
	// koordlet exports as koordlet_node_resource_allocatable): the origin minus the third-party
	// allocations, floored at zero, as of the last publication.
	BatchCPUCores float64
	BatchMemoryMB float64
	// OriginCPUCores and OriginMemoryMB are the originExtendedAllocatable annotation written
	// with that publication: the batch total before any third-party allocation.
	OriginCPUCores float64
	OriginMemoryMB float64
	// RawBatchCPUCores and RawBatchMemoryMB are the batch formula on this step's usage:
	// no 300 s average, no publication damping, no ledger.
	RawBatchCPUCores float64
	RawBatchMemoryMB float64
	NodeMemoryMB     float64
	// Evict is set when the NM pod is evicted at this step.
	Evict Reason
	// Window is the eviction window as koordlet saw it at this step.
	Window CPUWindow
}

// usage is one step of what the NodeMetric averages.
type usage struct{ cpu, memory float64 }

// Node is one node's Koordinator state.
type Node struct {
	cfg                Config
	cpuCores, memoryMB float64
	step               time.Duration

	cpuset int     // current BE cpuset size (cpuset policy)
	quota  float64 // current BE CFS quota in cores, < 0 while unset (cfsQuota policy)

	window ring[CPUSample]
	metric ring[usage]

	nextReport                    time.Duration
	published                     bool
	pubCPU, pubMemory             float64
	originCPU, originMemory       float64
	publishedAt                   time.Duration
	lastCPUEvict, lastMemoryEvict time.Duration
}

// NewNode sizes the windows for the simulation step (one sample a step).
func NewNode(cfg Config, cpuCores, memoryMB float64, step time.Duration) *Node {
	steps := func(d time.Duration) int { return max(1, int(math.Ceil(float64(d)/float64(step)))) }
	never := -time.Duration(math.MaxInt64 / 2)
	return &Node{cfg: cfg, cpuCores: cpuCores, memoryMB: memoryMB, step: step,
		// The besteffort cgroup starts unsuppressed: every CPU, no quota.
		cpuset: int(cpuCores), quota: -1,
		window: newRing[CPUSample](steps(cfg.EvictWindow)), metric: newRing[usage](steps(cfg.MetricAggregateDuration)),
		lastCPUEvict: never, lastMemoryEvict: never}
}

// Step advances one step ending at now (time since the start). Within the step the online
// load is constant; koordlet's 1 s suppress loop runs step/SuppressInterval times.
func (n *Node) Step(now time.Duration, in Input) Observation {
	var o Observation
	if !in.BEPodPresent {
		in.BEDemandCores, in.BERequestCores, in.BEMemoryMB = 0, 0, 0
	}
	o.SuppressTargetCores = SuppressTarget(n.cfg, n.cpuCores, in.OnlineCPUCores, n.cfg.SystemCPUCores)
	sample := n.suppress(o.SuppressTargetCores, in)
	o.SuppressCores, o.BEUsedCores = sample.LimitCores, sample.UsageCores
	o.NodeUsedCores = in.OnlineCPUCores + n.cfg.SystemCPUCores + o.BEUsedCores
	o.NodeMemoryMB = in.OnlineMemoryMB + n.cfg.SystemMemoryMB + in.BEMemoryMB
	if in.BEPodPresent {
		o.NodeMemoryMB += n.cfg.NMProcessMemoryMB
	}

	now0 := usage{cpu: in.OnlineCPUCores, memory: in.OnlineMemoryMB}
	o.RawBatchCPUCores, o.RawBatchMemoryMB = n.batch(now0)
	n.metric.add(now0)
	if now >= n.nextReport {
		n.report(now, in.ThirdPartyCPUCores, in.ThirdPartyMemoryMB)
		n.nextReport = now + n.cfg.MetricReportInterval
	}
	o.BatchCPUCores, o.BatchMemoryMB = n.pubCPU, n.pubMemory
	o.OriginCPUCores, o.OriginMemoryMB = n.originCPU, n.originMemory

	o.Window.CPUSample = averageCPU(&n.window)
	o.Window.Covered = time.Duration(n.window.filled) * n.step
	o.Window.Latest = CPUSample{UsageCores: o.BEUsedCores, RequestCores: in.BERequestCores, LimitCores: o.SuppressCores}
	switch {
	case !in.BEPodPresent:
	case now-n.lastMemoryEvict >= n.cfg.MemoryEvictCoolTime && MemoryEvictionDue(n.cfg, o.NodeMemoryMB, n.memoryMB):
		o.Evict, n.lastMemoryEvict = EvictMemory, now
	case now-n.lastCPUEvict >= n.cfg.CPUEvictCoolTime && CPUEvictionDue(n.cfg, o.Window):
		o.Evict, n.lastCPUEvict = EvictCPU, now
	}
	return o
}

// suppress runs the suppress loops of one step and records the step's BE sample (the
// averages of the 1 s samples koordlet collected in it) in the eviction window. It returns
// the sample at the end of the step.
func (n *Node) suppress(target float64, in Input) CPUSample {
	loops := max(1, int(n.step/n.cfg.SuppressInterval))
	var sum CPUSample
	var last CPUSample
	for i := 0; i < loops; i++ {
		limit := n.nextLimit(target)
		last = CPUSample{UsageCores: math.Min(in.BEDemandCores, limit), RequestCores: in.BERequestCores, LimitCores: limit}
		sum.UsageCores += last.UsageCores
		sum.LimitCores += last.LimitCores
		if n.settled(target) {
			// The limit no longer moves: the remaining loops repeat the last sample.
			rest := float64(loops - i - 1)
			sum.UsageCores += rest * last.UsageCores
			sum.LimitCores += rest * last.LimitCores
			break
		}
	}
	f := float64(loops)
	n.window.add(CPUSample{UsageCores: sum.UsageCores / f, RequestCores: in.BERequestCores, LimitCores: sum.LimitCores / f})
	return last
}

// nextLimit applies one suppress loop and returns the real limit after it.
func (n *Node) nextLimit(target float64) float64 {
	if n.cfg.SuppressPolicy == PolicyCFSQuota {
		n.quota = NextCFSQuota(n.cpuCores, target, n.quota)
		return math.Min(n.quota, n.cpuCores) // the cpuset is recovered to every CPU
	}
	n.cpuset = NextCPUSet(n.cpuCores, target, n.cpuset)
	return float64(n.cpuset)
}

// settled reports whether another loop at target would leave the limit where it is.
func (n *Node) settled(target float64) bool {
	if n.cfg.SuppressPolicy == PolicyCFSQuota {
		return NextCFSQuota(n.cpuCores, target, n.quota) == n.quota
	}
	return NextCPUSet(n.cpuCores, target, n.cpuset) == n.cpuset
}

// batch is calculateOnNode with the default "usage" policies
// (pkg/slo-controller/noderesource/plugins/batchresource/plugin.go at a7a1b76b, lines
// 224-318, and resutil.CalculateBatchResourceByPolicy): capacity - safety margin (capacity *
// (100 - reclaimThresholdPercent) %) - system used - HP pods used, at least 0.
func (n *Node) batch(u usage) (cpu, memory float64) {
	cpu = math.Max(0, n.cpuCores*n.cfg.CPUReclaimThresholdPercent/percent-u.cpu-n.cfg.SystemCPUCores)
	memory = math.Max(0, n.memoryMB*n.cfg.MemoryReclaimThresholdPercent/percent-u.memory-n.cfg.SystemMemoryMB)
	return cpu, memory
}

// report is one NodeMetric report and the koord-manager reconcile it triggers. koordlet's
// nodemetric informer (pkg/koordlet/statesinformer/impl/states_nodemetric.go at a7a1b76b,
// lines 63-81 and 341-355) reports every metricReportIntervalSeconds the usage averaged over
// metricAggregateDurationSeconds. koord-manager's batch resource plugin (plugin.go, Prepare,
// lines 109-146) writes originExtendedAllocatable and Node.status = max(origin -
// thirdPartyBatchAllocated, 0), but only when the node needs a sync
// (pkg/slo-controller/noderesource/resource_calculator.go isCommonNodeNeedSync, lines
// 204-213: the last update is more than updateTimeThresholdSeconds old; plugin.go NeedSync
// with pkg/util/resource.go IsQuantityDiff: |new - old| > old * resourceDiffThreshold).
func (n *Node) report(now time.Duration, thirdPartyCPU, thirdPartyMemory float64) {
	avg := averageUsage(&n.metric)
	cpu, memory := n.batch(avg)
	kubeCPU, kubeMemory := math.Max(cpu-thirdPartyCPU, 0), math.Max(memory-thirdPartyMemory, 0)
	moved := func(old, v float64) bool { return math.Abs(v-old) > old*n.cfg.ResourceDiffThreshold }
	if !n.published || now-n.publishedAt > n.cfg.UpdateTimeThreshold || moved(n.pubCPU, kubeCPU) || moved(n.pubMemory, kubeMemory) {
		n.published, n.pubCPU, n.pubMemory, n.publishedAt = true, kubeCPU, kubeMemory, now
		n.originCPU, n.originMemory = cpu, memory
	}
}

// ring keeps the last len(buf) samples.
type ring[T any] struct {
	buf          []T
	next, filled int
}

func newRing[T any](size int) ring[T] { return ring[T]{buf: make([]T, size)} }

func (r *ring[T]) add(v T) {
	r.buf[r.next] = v
	r.next = (r.next + 1) % len(r.buf)
	r.filled = min(r.filled+1, len(r.buf))
}

func (r *ring[T]) items() []T { return r.buf[:r.filled] }

// averageCPU averages the window afresh each time: a running sum would drift over weeks of
// steps. koordlet's query is an average over the samples of the window (helpers.
// GenerateQueryParamsAvg).
func averageCPU(r *ring[CPUSample]) CPUSample {
	var sum CPUSample
	for _, s := range r.items() {
		sum.UsageCores += s.UsageCores
		sum.RequestCores += s.RequestCores
		sum.LimitCores += s.LimitCores
	}
	f := float64(max(1, r.filled))
	return CPUSample{UsageCores: sum.UsageCores / f, RequestCores: sum.RequestCores / f, LimitCores: sum.LimitCores / f}
}

func averageUsage(r *ring[usage]) usage {
	var sum usage
	for _, u := range r.items() {
		sum.cpu += u.cpu
		sum.memory += u.memory
	}
	f := float64(max(1, r.filled))
	return usage{cpu: sum.cpu / f, memory: sum.memory / f}
}
