package policy

import (
	"math"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

const bytesPerMiB = 1 << 20

// desiredFromMetrics is what the node offers now, before damping: the chosen statistic
// minus the reserve, in whole vcores and YARN memory units, scaled by the active overcommit
// profile.
func desiredFromMetrics(s Settings, now time.Time, m Metrics) (Resources, []Reason) {
	cpu := Pick(s, m.CPUCores) - float64(s.Reserve.VCores)
	// Whole vcores, rounded down: a fraction of a core cannot host a container. The epsilon
	// keeps 6.9999999 (float noise from averaging) at 7.
	vcores := int64(math.Floor(math.Max(0, cpu) + 1e-9))

	batchMB := int64(math.Floor(Pick(s, m.MemoryBytes)/bytesPerMiB)) - s.Reserve.MemoryMB
	batchMB = max(0, batchMB)
	memory := batchMB
	if s.MemoryPolicy == v1alpha1.MemoryVCoreRatio {
		memory = min(vcores*s.MBPerVCore, batchMB)
	}

	var adjustments []Reason
	if p, ok := ActiveOvercommit(s.Overcommit, now); ok {
		vcores = vcores * p.CPUPercent / 100
		memory = memory * p.MemoryPercent / 100
		adjustments = append(adjustments, ReasonOvercommit)
	}
	return Resources{VCores: vcores, MemoryMB: roundDown(memory, s.MemoryIncrementMB)}, adjustments
}

// Pick is the configured statistic of st (the mean unless Settings.Statistic says otherwise).
func Pick(s Settings, st Stats) float64 {
	switch s.Statistic {
	case v1alpha1.StatisticMin:
		return st.Min
	case v1alpha1.StatisticMax:
		return st.Max
	case v1alpha1.StatisticQuantile:
		return st.Quantile
	default:
		return st.Mean
	}
}

func roundDown(v, unit int64) int64 {
	if unit <= 1 {
		return v
	}
	return v / unit * unit
}

// ActiveOvercommit returns the first profile covering now's time of day (in now's location;
// the controller passes UTC for resident pools). A profile whose end is before its start
// crosses midnight: 22:00-06:00 covers 23:30 and 05:59, not 06:00.
func ActiveOvercommit(profiles []Overcommit, now time.Time) (Overcommit, bool) {
	minute := now.Hour()*60 + now.Minute()
	for _, p := range profiles {
		if p.StartMinute < p.EndMinute {
			if minute >= p.StartMinute && minute < p.EndMinute {
				return p, true
			}
		} else if minute >= p.StartMinute || minute < p.EndMinute {
			return p, true
		}
	}
	return Overcommit{}, false
}

// clamp bounds r by floor and ceiling (a zero ceiling dimension is unbounded).
func clamp(s Settings, r Resources) (Resources, []Reason) {
	var reasons []Reason
	if r.VCores < s.Floor.VCores || r.MemoryMB < s.Floor.MemoryMB {
		r.VCores = max(r.VCores, s.Floor.VCores)
		r.MemoryMB = max(r.MemoryMB, s.Floor.MemoryMB)
		reasons = append(reasons, ReasonClampedToFloor)
	}
	over := false
	if s.Ceiling.VCores > 0 && r.VCores > s.Ceiling.VCores {
		r.VCores, over = s.Ceiling.VCores, true
	}
	if s.Ceiling.MemoryMB > 0 && r.MemoryMB > s.Ceiling.MemoryMB {
		r.MemoryMB, over = s.Ceiling.MemoryMB, true
	}
	if over {
		reasons = append(reasons, ReasonClampedToCeiling)
	}
	return r, reasons
}
