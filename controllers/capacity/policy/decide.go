package policy

import (
	"math"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// Decide returns the capacity one NodeManager should advertise and the ordered steps to get
// there. It is pure and deterministic: the same Settings and Input give the same Decision.
func Decide(s Settings, in Input) Decision {
	if !in.RM.Known {
		if in.RM.Unreachable {
			return decideWithoutRM(s, in)
		}
		// Nothing to resize: the node is not (or no longer) registered with the RM.
		return Decision{Reason: ReasonNotRegistered, Direction: DirectionNone}
	}
	base := in.RM.Total
	if in.Previous != nil {
		base = *in.Previous
	}

	var d Decision
	age, stale := staleness(s, in)
	// Stale data never raises anything: not above the base, and not above what the RM
	// advertises now, so neither the floor nor a drift repair (an RM that forgot a larger
	// applied size) grows a node on data nobody can vouch for.
	noRaise := base.Min(in.RM.Total)
	switch {
	case stale && age >= s.ShrinkToFloorAfter:
		d = Decision{Target: noRaise.Min(s.Floor), Reason: ReasonStaleShrinkToFloor, Stale: true}
	case stale:
		d = Decision{Target: noRaise, Reason: ReasonStaleHold, Stale: true}
		if in.Metrics.NewestSample.After(in.Now) {
			d.Adjustments = append(d.Adjustments, ReasonFutureSample)
		}
	default:
		d = decideFresh(s, in, base)
		applyCPUEvictGuard(s, in, &d)
	}
	applySafety(s, in, &d)
	if !stale {
		throttleNotShed(s, in, &d)
	}
	finish(s, in, base, &d)
	return d
}

// staleness is the age of the node's newest sample and whether it is stale. A node with no
// sample at all counts as infinitely old: a node without data is never guessed.
func staleness(s Settings, in Input) (time.Duration, bool) {
	m := in.Metrics
	if m.FromAllocatable && m.CPUPresent && m.MemoryPresent {
		return 0, false
	}
	if m.NewestSample.IsZero() {
		return time.Duration(math.MaxInt64), true
	}
	age := in.Now.Sub(m.NewestSample)
	if age < 0 {
		// Dated in the future: the clocks disagree, so its age is unknown. Hold, never grow;
		// it does not count towards the floor either (that needs a known age).
		return 0, true
	}
	if !m.CPUPresent || !m.MemoryPresent {
		// Samples exist but not in the window (or one resource is missing): stale, aged by
		// the newest sample, so a long gap still ends at the floor.
		return age, true
	}
	return age, age > s.StaleAfter
}

func decideFresh(s Settings, in Input, base Resources) Decision {
	desired, adjustments := desiredFromMetrics(s, in.Now, in.Metrics)
	desired, clamped := clamp(s, desired)
	adjustments = append(adjustments, clamped...)
	target, reason := damp(s, base, desired)
	if in.Metrics.FromAllocatable && (target.VCores > base.VCores || target.MemoryMB > base.MemoryMB) {
		target = target.Min(base)
		reason = ReasonFallbackNoGrow
	}
	// The base itself may lie outside floor/ceiling (settings changed since it was applied).
	target, clamped = clamp(s, target)
	for _, c := range clamped {
		if !contains(adjustments, c) {
			adjustments = append(adjustments, c)
		}
	}
	return Decision{Target: target, Reason: reason, Adjustments: adjustments}
}

// cpuEvictPossible reports whether koordlet's cpuevict could select the NodeManager pod now:
// its satisfaction (BE CPU limit / the BE pods' batch-cpu requests) is at or below
// KoordEvictSatisfactionLowerPercent. A pod that requests no batch CPU (the product's
// resident pod) never qualifies, nor does one whose request is small beside the limit (the
// cpuset policy never goes below two cores). Without a recent limit, a pod with a request
// is assumed at risk.
func cpuEvictPossible(s Settings, in Input) bool {
	if s.BEPodRequestCores <= 0 {
		return false
	}
	if !in.Metrics.RecentCPUPresent {
		return true
	}
	return in.Metrics.RecentCPUCores*100 <= s.BEPodRequestCores*KoordEvictSatisfactionLowerPercent
}

// applyCPUEvictGuard: when the NodeManager pod requests batch CPU, koordlet's cpuevict
// selects it once the BE tier's limit falls to KoordEvictSatisfactionLowerPercent of that
// request while YARN uses KoordEvictUsageThresholdPercent of the limit (or the limit is
// under one core), and the eviction loses every container. Then the target keeps YARN's
// allocation, an upper bound of its use, strictly under that usage threshold of the last
// minutes' limit. Like node safety it skips the tolerance band and overrides the
// floor; the guarder sheds to it.
func applyCPUEvictGuard(s Settings, in Input, d *Decision) {
	m := in.Metrics
	if !m.RecentCPUPresent || !cpuEvictPossible(s, in) {
		return
	}
	limitCores := m.RecentCPUCores
	var keep int64
	if limitCores >= 1 {
		keep = max(0, int64(math.Ceil(limitCores*KoordEvictUsageThresholdPercent/100-1e-9))-1)
	}
	if d.Target.VCores <= keep {
		return
	}
	d.Target.VCores = keep
	if s.MemoryPolicy == v1alpha1.MemoryVCoreRatio {
		d.Target.MemoryMB = min(d.Target.MemoryMB, roundDown(keep*s.MBPerVCore, s.MemoryIncrementMB))
	}
	demote(d, ReasonCPUEvictGuard)
}

// throttleNotShed sets the guarder's own target for a shrink on a node where koordlet cannot
// evict the NodeManager pod for CPU (it requests no batch CPU): koordlet's suppression
// already holds the BE tier to its CPU limit, so shedding for CPU would destroy work that
// throttling only slows. The guarder keeps the vcores YARN holds and sheds only what exceeds
// the batch memory on offer (memory is not throttled: koordlet evicts for it). A node-safety
// shed is not affected: it protects online work from the node's own overload.
func throttleNotShed(s Settings, in Input, d *Decision) {
	if !s.GuarderEnabled || cpuEvictPossible(s, in) || d.Shed || !in.RM.Known || !in.Metrics.MemoryPresent {
		return
	}
	used := in.RM.Used
	batchMB := max(0, int64(math.Floor(Pick(s, in.Metrics.MemoryBytes)/bytesPerMiB))-s.Reserve.MemoryMB)
	g := Resources{
		VCores:   max(d.Target.VCores, used.VCores),
		MemoryMB: max(d.Target.MemoryMB, min(used.MemoryMB, roundDown(batchMB, s.MemoryIncrementMB))),
	}
	if g == d.Target {
		return
	}
	d.GuarderTarget = g
	d.Adjustments = append(d.Adjustments, ReasonThrottleNotShed)
}

// decideWithoutRM: the RM cannot be asked, so nothing is resized and the RM's total is
// unknown; node safety still reaches the guarder, which acts on the containers it sees. The
// shed is sized from the last YARN usage the operator recorded (RM.Used): the guarder keeps
// at most that minus the node's excess.
func decideWithoutRM(s Settings, in Input) Decision {
	d := Decision{Reason: ReasonRMUnreachable, Direction: DirectionNone}
	excess, shed := safetyExcess(s, in.Usage)
	if !shed || in.RM.Used.VCores <= 0 {
		// No overload, or no recorded usage to size a shed from: a target of zero would
		// ask the guarder for everything.
		return d
	}
	d.Target = Resources{VCores: max(0, in.RM.Used.VCores-excess), MemoryMB: in.RM.Used.MemoryMB}
	d.Shed = true
	demote(&d, ReasonNodeSafetyShed)
	if s.GuarderEnabled {
		d.Actions = []Action{{Kind: ActionSetGuarder, Target: d.Target, Deadline: in.Now.Add(s.GuarderGrace)}}
	}
	return d
}

// safetyExcess is the CPU (whole cores) the node uses above the safety threshold, and whether
// the overload lasted ShedAfter (a shed is due).
func safetyExcess(s Settings, u NodeUsage) (int64, bool) {
	if !s.Safety.Enabled || !u.Known || u.CapacityCores <= 0 {
		return 0, false
	}
	threshold := s.Safety.CPUThresholdPercent
	if 100*u.RecentCores/u.CapacityCores <= threshold || 100*u.SustainedMinCores/u.CapacityCores <= threshold {
		return 0, false
	}
	return int64(math.Ceil(u.RecentCores - threshold*u.CapacityCores/100)), true
}

// applySafety stops offering new capacity on an overloaded node and, when the overload has
// lasted ShedAfter, asks for the excess to be shed. It overrides the floor on purpose.
func applySafety(s Settings, in Input, d *Decision) {
	u := in.Usage
	if !s.Safety.Enabled || !u.Known || u.CapacityCores <= 0 {
		return
	}
	threshold := s.Safety.CPUThresholdPercent
	if 100*u.RecentCores/u.CapacityCores <= threshold {
		return
	}
	demote(d, ReasonNodeSafetyBackoff)
	d.Target = d.Target.Min(in.RM.Used)
	excess, shed := safetyExcess(s, u)
	if !shed {
		return
	}
	d.Target.VCores = max(0, min(d.Target.VCores, in.RM.Used.VCores-excess))
	d.Shed = true
	demote(d, ReasonNodeSafetyShed)
}

// demote makes r the main reason and keeps the former one as an adjustment.
func demote(d *Decision, r Reason) {
	if d.Reason != "" && d.Reason != r {
		d.Adjustments = append([]Reason{d.Reason}, d.Adjustments...)
	}
	d.Reason = r
}

// finish detects drift, sets the direction and orders the actions.
func finish(s Settings, in Input, base Resources, d *Decision) {
	rm := in.RM.Total
	switch {
	case d.Target == rm:
		d.Direction = DirectionNone
	case d.Target.LessInAny(rm):
		d.Direction = DirectionShrink
	default:
		d.Direction = DirectionGrow
	}
	if in.Previous != nil && d.Target == base && rm != d.Target {
		// The RM forgot the applied size (NM re-registration or RM failover): re-apply.
		if isHold(d.Reason) {
			demote(d, ReasonDrift)
		} else {
			d.Adjustments = append(d.Adjustments, ReasonDrift)
		}
	}

	writeRM := d.Target != rm
	// The guarder is told when the target moves, on every safety-shed cycle, and on drift:
	// drift means the NodeManager re-registered, usually because its pod restarted with a new
	// guarder that has no target, so containers placed on the configured size would never be
	// shed. A stale shrink to the floor only stops new containers: with no data about the
	// node, killing work would be a guess.
	drift := d.Has(ReasonDrift)
	tellGuarder := s.GuarderEnabled && (d.Shed || drift || (d.Target != base && d.Reason != ReasonStaleShrinkToFloor))
	rmAction := Action{Kind: ActionSetRM, Target: d.Target}
	guarderTarget := d.Target
	if d.GuarderTarget != (Resources{}) {
		guarderTarget = d.GuarderTarget
	}
	guarderAction := Action{Kind: ActionSetGuarder, Target: guarderTarget, Deadline: in.Now.Add(s.GuarderGrace)}

	lowers := d.Target.LessInAny(base) || d.Direction == DirectionShrink || d.Shed
	switch {
	case lowers:
		// RM first, so nothing new lands on capacity the guarder is about to free.
		if writeRM {
			d.Actions = append(d.Actions, rmAction)
		}
		if tellGuarder {
			d.Actions = append(d.Actions, guarderAction)
		}
	default:
		// Guarder first, so it never sheds containers the RM places on the new capacity.
		if tellGuarder {
			d.Actions = append(d.Actions, guarderAction)
		}
		if writeRM {
			d.Actions = append(d.Actions, rmAction)
		}
	}
}

func isHold(r Reason) bool {
	switch r {
	case ReasonWithinTolerance, ReasonBelowScaleUpStep, ReasonUnchanged, ReasonStaleHold:
		return true
	}
	return false
}

func contains(rs []Reason, r Reason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

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

// damp moves from base towards desired only on real changes. VCores lead: grow by at least
// ScaleUpStepVCores, shrink only beyond the tolerance band. When vcores move, memory follows
// the desired value (keeping the ratio coherent in one RM write); when they hold, memory moves
// on its own only beyond the same band (at least one increment), so BatchMemory pools react
// to memory pressure without flapping. Under VCoreRatio memory never grows on its own.
func damp(s Settings, base, desired Resources) (Resources, Reason) {
	vcores, vReason := dampVCores(s, base.VCores, desired.VCores)
	if vcores != base.VCores {
		return Resources{VCores: vcores, MemoryMB: desired.MemoryMB}, vReason
	}
	if s.MemoryPolicy == v1alpha1.MemoryVCoreRatio && desired.MemoryMB > base.MemoryMB {
		// Memory is derived from vcores: it grows only with them.
		desired.MemoryMB = base.MemoryMB
	}
	memory, mReason := dampMemory(s, base.MemoryMB, desired.MemoryMB)
	if memory != base.MemoryMB {
		return Resources{VCores: vcores, MemoryMB: memory}, mReason
	}
	if vReason == ReasonUnchanged {
		return base, mReason
	}
	return base, vReason
}

// dampVCores grows by ScaleUpStepVCores or more, and shrinks beyond the tolerance band.
func dampVCores(s Settings, base, desired int64) (int64, Reason) {
	return dampTo(s, base, desired, s.ScaleUpStepVCores)
}

// dampMemory grows by one YARN memory increment or the tolerance band, whichever is larger
// (so a grow is never undone by the next cycle's shrink band), and shrinks beyond the band.
func dampMemory(s Settings, base, desired int64) (int64, Reason) {
	return dampTo(s, base, desired, max(s.MemoryIncrementMB, base*s.ScaleDownTolerancePercent/100))
}

// dampTo moves from base to desired only for a grow of at least minGrow or a shrink beyond the
// tolerance band; otherwise it keeps base and says why.
func dampTo(s Settings, base, desired, minGrow int64) (int64, Reason) {
	switch {
	case desired > base && desired-base >= minGrow:
		return desired, ReasonGrow
	case desired > base:
		return base, ReasonBelowScaleUpStep
	case desired < base && beyondTolerance(s, base, desired):
		return desired, ReasonShrinkBeyondTolerance
	case desired < base:
		return base, ReasonWithinTolerance
	}
	return base, ReasonUnchanged
}

// beyondTolerance: desired < base * (100 - tolerance) / 100, in integers.
func beyondTolerance(s Settings, base, desired int64) bool {
	return (base-desired)*100 > base*s.ScaleDownTolerancePercent
}
