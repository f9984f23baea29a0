package sim

import (
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
)

// Figures are one strategy's results over a run.
type Figures struct {
	Strategy string
	Nodes    int
	Hours    float64

	// AvailableVCoreHours integrates Koordinator's batch allocatable CPU.
	AvailableVCoreHours float64
	// UsedVCoreHours integrates the vcores YARN allocated.
	UsedVCoreHours float64
	// HarvestedVCoreHours integrates min(allocated, available): use the batch tier offered.
	HarvestedVCoreHours float64
	// LowMemoryAvailableVCoreHours and LowMemoryHarvestedVCoreHours are the part of the two
	// figures above on nodes with less than LowMemoryMBPerCore: there the batch memory runs
	// out before the batch CPU, so no strategy can use all the CPU.
	LowMemoryAvailableVCoreHours float64
	LowMemoryHarvestedVCoreHours float64
	// AboveAvailableVCoreHours integrates max(0, allocated - available): the online
	// interference proxy.
	AboveAvailableVCoreHours float64
	// UsefulVCoreHours is the allocation-time of work kept: containers that finished, and
	// the part a decommissioned executor completed before leaving.
	UsefulVCoreHours float64
	// LostVCoreHours is the allocation-time of work thrown away by kills and evictions.
	LostVCoreHours float64
	// LostToEvictionsVCoreHours is the part of LostVCoreHours that Koordinator's evictions
	// threw away (the rest was shed by the strategy).
	LostToEvictionsVCoreHours float64

	CPUEvictions    int
	MemoryEvictions int
	// EmptyEvictions counts evictions of NMs that held no container: the NM pod is a BE pod
	// whatever YARN runs in it, so memory pressure evicts it empty, and a pod that requests
	// batch-cpu can be CPU-evicted empty too (its request does not fall when YARN empties it).
	EmptyEvictions int
	// GracefulExits counts signalled containers that left before a force-kill.
	GracefulExits int
	// DecommissionExits is the part of GracefulExits that kept its work (SIGPWR).
	DecommissionExits int
	ForceKills        int
	RMWrites          int
	Finished          int
	// AMKills and StreamingKills count lost ApplicationMasters and streaming containers.
	AMKills        int
	StreamingKills int

	// ServedElsewhere counts requests that found no room here within Config.MaxWait.
	ServedElsewhere int

	// Probe is Config.ProbeNode's time series.
	Probe []ProbePoint `json:"-"`
	// EvictionLog is filled when Config.RecordEvictions is set.
	EvictionLog []EvictionRecord `json:"-"`
}

// ProbePoint is one step of the probed node.
type ProbePoint struct {
	AvailableCores float64
	SuppressCores  float64
	RMVCores       int64
	UsedVCores     int64
}

// EvictionRecord is Koordinator's view when it evicted an NM.
type EvictionRecord struct {
	Node       string
	At         time.Duration
	Reason     koordinator.Reason
	Window     koordinator.CPUWindow
	MemoryMB   float64
	CapacityMB float64
}

// Harvest is the share of the batch CPU YARN used.
func (f Figures) Harvest() float64 { return ratio(f.HarvestedVCoreHours, f.AvailableVCoreHours) }

// LowMemoryMBPerCore separates RAM-poor nodes (the synthetic 256 GiB / 96-core ones) from
// the 4 GiB-per-core ones.
const LowMemoryMBPerCore = 3.5 * 1024

// HarvestRAMRich is Harvest on nodes with at least LowMemoryMBPerCore.
func (f Figures) HarvestRAMRich() float64 {
	return ratio(f.HarvestedVCoreHours-f.LowMemoryHarvestedVCoreHours, f.AvailableVCoreHours-f.LowMemoryAvailableVCoreHours)
}

// Evictions counts NM evictions of any kind.
func (f Figures) Evictions() int { return f.CPUEvictions + f.MemoryEvictions }

// WritesPerNodeHour is the RM write rate.
func (f Figures) WritesPerNodeHour() float64 {
	return ratio(float64(f.RMWrites), float64(f.Nodes)*f.Hours)
}

// ForcePerGraceful is force-kills per graceful exit.
func (f Figures) ForcePerGraceful() float64 {
	return ratio(float64(f.ForceKills), float64(f.GracefulExits))
}

// LostShare is lost work over all work that ended.
func (f Figures) LostShare() float64 {
	return ratio(f.LostVCoreHours, f.LostVCoreHours+f.UsefulVCoreHours)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// Sum adds the figures of several runs of one strategy (several seeds): counts and
// vcore-hours add up, so the ratios are over the whole.
func Sum(runs ...Figures) Figures {
	var t Figures
	for i, f := range runs {
		if i == 0 {
			t.Strategy, t.Hours = f.Strategy, f.Hours
		}
		t.Nodes += f.Nodes
		t.AvailableVCoreHours += f.AvailableVCoreHours
		t.UsedVCoreHours += f.UsedVCoreHours
		t.HarvestedVCoreHours += f.HarvestedVCoreHours
		t.AboveAvailableVCoreHours += f.AboveAvailableVCoreHours
		t.LowMemoryAvailableVCoreHours += f.LowMemoryAvailableVCoreHours
		t.LowMemoryHarvestedVCoreHours += f.LowMemoryHarvestedVCoreHours
		t.UsefulVCoreHours += f.UsefulVCoreHours
		t.LostVCoreHours += f.LostVCoreHours
		t.LostToEvictionsVCoreHours += f.LostToEvictionsVCoreHours
		t.CPUEvictions += f.CPUEvictions
		t.MemoryEvictions += f.MemoryEvictions
		t.EmptyEvictions += f.EmptyEvictions
		t.GracefulExits += f.GracefulExits
		t.DecommissionExits += f.DecommissionExits
		t.ForceKills += f.ForceKills
		t.RMWrites += f.RMWrites
		t.Finished += f.Finished
		t.AMKills += f.AMKills
		t.StreamingKills += f.StreamingKills
		t.ServedElsewhere += f.ServedElsewhere
	}
	return t
}
