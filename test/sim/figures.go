package sim

import (
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/sim/koord"
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

	// EvictionLog is filled when Config.RecordEvictions is set.
	EvictionLog []EvictionRecord `json:"-"`
}

// EvictionRecord is Koordinator's view when it evicted an NM.
type EvictionRecord struct {
	Node       string
	At         time.Duration
	Reason     koord.Reason
	Window     koord.CPUWindow
	MemoryMB   float64
	CapacityMB float64
}

// Harvest is the share of the batch CPU YARN used.
func (f Figures) Harvest() float64 { return ratio(f.HarvestedVCoreHours, f.AvailableVCoreHours) }

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
