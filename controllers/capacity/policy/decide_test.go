package policy

import (
	"reflect"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

const gib = float64(1 << 30)

var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func baseSettings() Settings {
	return Settings{
		Statistic:                 v1alpha1.StatisticMean,
		QuantilePercent:           10,
		ScaleUpStepVCores:         3,
		ScaleDownTolerancePercent: 10,
		MemoryPolicy:              v1alpha1.MemoryVCoreRatio,
		MBPerVCore:                4096,
		MemoryIncrementMB:         1024,
		StaleAfter:                3 * time.Minute,
		ShrinkToFloorAfter:        15 * time.Minute,
		Safety:                    Safety{Enabled: true, CPUThresholdPercent: 90, ShedAfter: 5 * time.Minute},
		GuarderEnabled:            true,
		GuarderGrace:              5 * time.Minute,
	}
}

// fresh is a node offering cpu cores (all statistics equal) and 256 GiB, sampled 30 s ago,
// whose NM advertises 10 vcores / 40 GiB (previously applied) and runs 6 / 24 GiB.
func fresh(cpu float64) Input {
	return Input{
		Now: now,
		Metrics: Metrics{
			CPUPresent: true, MemoryPresent: true,
			CPUCores:     Stats{Mean: cpu, Min: cpu, Max: cpu, Quantile: cpu},
			MemoryBytes:  Stats{Mean: 256 * gib, Min: 256 * gib, Max: 256 * gib, Quantile: 256 * gib},
			NewestSample: now.Add(-30 * time.Second),
		},
		Usage:    NodeUsage{Known: true, RecentCores: 20, SustainedMinCores: 15, CapacityCores: 64},
		RM:       RMState{Known: true, Total: Resources{10, 40960}, Used: Resources{6, 24576}},
		Previous: &Resources{10, 40960},
	}
}

// withRequest gives the NodeManager pod a 16-core batch-cpu request: koordlet's cpuevict can
// select it once the BE limit is at or below 9.6 cores.
func withRequest(s *Settings) { s.BEPodRequestCores = 16 }

func recent(in *Input, cores float64) {
	in.Metrics.RecentCPUPresent, in.Metrics.RecentCPUCores = true, cores
}

func rm(r Resources) Action { return Action{Kind: ActionSetRM, Target: r} }
func guard(r Resources) Action {
	return Action{Kind: ActionSetGuarder, Target: r, Deadline: now.Add(5 * time.Minute)}
}

func TestDecide(t *testing.T) {
	type tc struct {
		name     string
		settings func(*Settings)
		input    func(*Input)
		want     Decision
	}
	cases := []tc{
		{
			name:  "not registered with the RM: nothing to do",
			input: func(in *Input) { in.RM = RMState{} },
			want:  Decision{Reason: ReasonNotRegistered, Direction: DirectionNone},
		},
		{
			name:  "grow: guarder raised before the RM",
			input: func(in *Input) { *in = fresh(20.4) },
			want: Decision{Target: Resources{20, 81920}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{20, 81920}), rm(Resources{20, 81920})}},
		},
		{
			name:  "grow by exactly the step",
			input: func(in *Input) { *in = fresh(13) },
			want: Decision{Target: Resources{13, 53248}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{13, 53248}), rm(Resources{13, 53248})}},
		},
		{
			name:  "grow below the step holds",
			input: func(in *Input) { *in = fresh(12.9) },
			want:  Decision{Target: Resources{10, 40960}, Reason: ReasonBelowScaleUpStep, Direction: DirectionNone},
		},
		{
			name:     "custom step of 1 grows by one",
			settings: func(s *Settings) { s.ScaleUpStepVCores = 1 },
			input:    func(in *Input) { *in = fresh(11) },
			want: Decision{Target: Resources{11, 45056}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{11, 45056}), rm(Resources{11, 45056})}},
		},
		{
			name:  "shrink of exactly 10 % stays inside the band",
			input: func(in *Input) { *in = fresh(9.99) },
			want:  Decision{Target: Resources{10, 40960}, Reason: ReasonWithinTolerance, Direction: DirectionNone},
		},
		{
			name:  "shrink beyond the band: RM first, then guarder",
			input: func(in *Input) { *in = fresh(8.5) },
			want: Decision{Target: Resources{8, 32768}, Reason: ReasonShrinkBeyondTolerance, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{8, 32768}), guard(Resources{8, 32768})}},
		},
		{
			name:     "tolerance 0 shrinks on any drop",
			settings: func(s *Settings) { s.ScaleDownTolerancePercent = 0 },
			input:    func(in *Input) { *in = fresh(9) },
			want: Decision{Target: Resources{9, 36864}, Reason: ReasonShrinkBeyondTolerance, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{9, 36864}), guard(Resources{9, 36864})}},
		},
		{
			name:     "reserve is subtracted before rounding",
			settings: func(s *Settings) { s.Reserve = Resources{VCores: 2, MemoryMB: 0} },
			input:    func(in *Input) { *in = fresh(20.5) },
			want: Decision{Target: Resources{18, 73728}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{18, 73728}), rm(Resources{18, 73728})}},
		},
		{
			name:     "reserve above the offer gives zero, not a negative size",
			settings: func(s *Settings) { s.Reserve = Resources{VCores: 30}; s.ScaleDownTolerancePercent = 10 },
			input:    func(in *Input) { *in = fresh(20) },
			want: Decision{Target: Resources{0, 0}, Reason: ReasonShrinkBeyondTolerance, Adjustments: []Reason{ReasonThrottleNotShed}, Direction: DirectionShrink, GuarderTarget: Resources{6, 24576},
				Actions: []Action{rm(Resources{0, 0}), guard(Resources{6, 24576})}},
		},
		{
			name:     "statistic Min",
			settings: func(s *Settings) { s.Statistic = v1alpha1.StatisticMin },
			input: func(in *Input) {
				*in = fresh(0)
				in.Metrics.CPUCores = Stats{Mean: 30, Min: 16, Max: 40, Quantile: 18}
			},
			want: Decision{Target: Resources{16, 65536}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{16, 65536}), rm(Resources{16, 65536})}},
		},
		{
			name:     "statistic Max",
			settings: func(s *Settings) { s.Statistic = v1alpha1.StatisticMax },
			input: func(in *Input) {
				*in = fresh(0)
				in.Metrics.CPUCores = Stats{Mean: 30, Min: 16, Max: 40, Quantile: 18}
			},
			want: Decision{Target: Resources{40, 163840}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{40, 163840}), rm(Resources{40, 163840})}},
		},
		{
			name:     "statistic Quantile",
			settings: func(s *Settings) { s.Statistic = v1alpha1.StatisticQuantile },
			input: func(in *Input) {
				*in = fresh(0)
				in.Metrics.CPUCores = Stats{Mean: 30, Min: 16, Max: 40, Quantile: 18}
			},
			want: Decision{Target: Resources{18, 73728}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{18, 73728}), rm(Resources{18, 73728})}},
		},
		{
			name: "VCoreRatio memory is capped at batch memory, rounded to 1024",
			input: func(in *Input) {
				*in = fresh(20)
				in.Metrics.MemoryBytes = Stats{Mean: 50.7 * gib}
			},
			want: Decision{Target: Resources{20, 50 * 1024}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{20, 51200}), rm(Resources{20, 51200})}},
		},
		{
			name:     "BatchMemory follows batch memory minus the reserve",
			settings: func(s *Settings) { s.MemoryPolicy = v1alpha1.MemoryBatch; s.Reserve.MemoryMB = 2048 },
			input: func(in *Input) {
				*in = fresh(20)
				in.Metrics.MemoryBytes = Stats{Mean: 100.5 * gib}
			},
			// 100.5 GiB = 102912 MiB - 2048 = 100864 -> 100352 (98 x 1024)
			want: Decision{Target: Resources{20, 100352}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{20, 100352}), rm(Resources{20, 100352})}},
		},
		{
			name:     "memory increment is a parameter",
			settings: func(s *Settings) { s.MemoryPolicy = v1alpha1.MemoryBatch; s.MemoryIncrementMB = 512 },
			input: func(in *Input) {
				*in = fresh(20)
				in.Metrics.MemoryBytes = Stats{Mean: 100.5 * gib}
			},
			want: Decision{Target: Resources{20, 102912}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{20, 102912}), rm(Resources{20, 102912})}},
		},
		{
			name:     "BatchMemory: memory alone shrinks beyond the band",
			settings: func(s *Settings) { s.MemoryPolicy = v1alpha1.MemoryBatch },
			input: func(in *Input) {
				*in = fresh(10)
				in.Metrics.MemoryBytes = Stats{Mean: 30 * gib}
			},
			want: Decision{Target: Resources{10, 30720}, Reason: ReasonShrinkBeyondTolerance, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{10, 30720}), guard(Resources{10, 30720})}},
		},
		{
			name:     "BatchMemory: a small memory rise holds",
			settings: func(s *Settings) { s.MemoryPolicy = v1alpha1.MemoryBatch },
			input: func(in *Input) {
				*in = fresh(10)
				in.Metrics.MemoryBytes = Stats{Mean: 43 * gib}
			},
			want: Decision{Target: Resources{10, 40960}, Reason: ReasonBelowScaleUpStep, Direction: DirectionNone},
		},
		{
			name: "overcommit profile crossing midnight is active at 23:30",
			settings: func(s *Settings) {
				s.Overcommit = []Overcommit{{StartMinute: 22 * 60, EndMinute: 6 * 60, CPUPercent: 150, MemoryPercent: 100}}
			},
			input: func(in *Input) {
				*in = fresh(20)
				in.Now = time.Date(2026, 11, 21, 23, 30, 0, 0, time.UTC)
				in.Metrics.NewestSample = in.Now.Add(-time.Minute)
			},
			want: Decision{Target: Resources{30, 81920}, Reason: ReasonGrow, Adjustments: []Reason{ReasonOvercommit}, Direction: DirectionGrow,
				Actions: []Action{
					{Kind: ActionSetGuarder, Target: Resources{30, 81920}, Deadline: time.Date(2026, 11, 21, 23, 35, 0, 0, time.UTC)},
					rm(Resources{30, 81920})}},
		},
		{
			name: "overcommit profile crossing midnight is active at 05:59, memory too",
			settings: func(s *Settings) {
				s.Overcommit = []Overcommit{{StartMinute: 22 * 60, EndMinute: 6 * 60, CPUPercent: 150, MemoryPercent: 120}}
			},
			input: func(in *Input) {
				*in = fresh(20)
				in.Now = time.Date(2026, 11, 21, 5, 59, 0, 0, time.UTC)
				in.Metrics.NewestSample = in.Now.Add(-time.Minute)
			},
			// 81920 * 1.2 = 98304
			want: Decision{Target: Resources{30, 98304}, Reason: ReasonGrow, Adjustments: []Reason{ReasonOvercommit}, Direction: DirectionGrow,
				Actions: []Action{
					{Kind: ActionSetGuarder, Target: Resources{30, 98304}, Deadline: time.Date(2026, 11, 21, 6, 4, 0, 0, time.UTC)},
					rm(Resources{30, 98304})}},
		},
		{
			name: "overcommit profile ends at 06:00",
			settings: func(s *Settings) {
				s.Overcommit = []Overcommit{{StartMinute: 22 * 60, EndMinute: 6 * 60, CPUPercent: 150, MemoryPercent: 100}}
			},
			input: func(in *Input) {
				*in = fresh(20)
				in.Now = time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
				in.Metrics.NewestSample = in.Now.Add(-time.Minute)
			},
			want: Decision{Target: Resources{20, 81920}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{
					{Kind: ActionSetGuarder, Target: Resources{20, 81920}, Deadline: time.Date(2026, 11, 21, 6, 5, 0, 0, time.UTC)},
					rm(Resources{20, 81920})}},
		},
		{
			name: "under-commit during the day lowers the target",
			settings: func(s *Settings) {
				s.Overcommit = []Overcommit{{StartMinute: 9 * 60, EndMinute: 18 * 60, CPUPercent: 50, MemoryPercent: 100}}
			},
			input: func(in *Input) { *in = fresh(40) },
			// memoryPercent 100 leaves memory at what 40 vcores would get: only CPU is under-committed.
			want: Decision{Target: Resources{20, 163840}, Reason: ReasonGrow, Adjustments: []Reason{ReasonOvercommit}, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{20, 163840}), rm(Resources{20, 163840})}},
		},
		{
			name:     "clamped to the floor",
			settings: func(s *Settings) { s.Floor = Resources{4, 16384} },
			input:    func(in *Input) { *in = fresh(1) },
			want: Decision{Target: Resources{4, 16384}, Reason: ReasonShrinkBeyondTolerance, Adjustments: []Reason{ReasonClampedToFloor, ReasonThrottleNotShed}, Direction: DirectionShrink, GuarderTarget: Resources{6, 24576},
				Actions: []Action{rm(Resources{4, 16384}), guard(Resources{6, 24576})}},
		},
		{
			name:     "clamped to the ceiling",
			settings: func(s *Settings) { s.Ceiling = Resources{32, 131072} },
			input:    func(in *Input) { *in = fresh(50) },
			want: Decision{Target: Resources{32, 131072}, Reason: ReasonGrow, Adjustments: []Reason{ReasonClampedToCeiling}, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{32, 131072}), rm(Resources{32, 131072})}},
		},
		{
			name:     "a base above a lowered ceiling is brought down even inside the band",
			settings: func(s *Settings) { s.Ceiling = Resources{VCores: 9} },
			input:    func(in *Input) { *in = fresh(10) },
			want: Decision{Target: Resources{9, 40960}, Reason: ReasonWithinTolerance, Adjustments: []Reason{ReasonClampedToCeiling}, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{9, 40960}), guard(Resources{9, 40960})}},
		},
		{
			name: "stale: never grows, holds",
			input: func(in *Input) {
				*in = fresh(40)
				in.Metrics.NewestSample = now.Add(-4 * time.Minute)
			},
			want: Decision{Target: Resources{10, 40960}, Reason: ReasonStaleHold, Stale: true, Direction: DirectionNone},
		},
		{
			name: "stale exactly at staleAfter is still fresh",
			input: func(in *Input) {
				*in = fresh(20)
				in.Metrics.NewestSample = now.Add(-3 * time.Minute)
			},
			want: Decision{Target: Resources{20, 81920}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{20, 81920}), rm(Resources{20, 81920})}},
		},
		{
			name: "missing memory samples count as stale, never guessed",
			input: func(in *Input) {
				*in = fresh(40)
				in.Metrics.MemoryPresent = false
			},
			want:     Decision{Target: Resources{10, 40960}, Reason: ReasonStaleHold, Stale: true, Direction: DirectionNone},
			settings: func(s *Settings) { s.Floor = Resources{2, 8192} },
		},
		{
			name: "samples only outside the window, 20 minutes old: shrink to the floor",
			input: func(in *Input) {
				*in = fresh(40)
				in.Metrics.CPUPresent, in.Metrics.MemoryPresent = false, false
				in.Metrics.NewestSample = now.Add(-20 * time.Minute)
			},
			want: Decision{Target: Resources{0, 0}, Reason: ReasonStaleShrinkToFloor, Stale: true, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{0, 0})}},
		},
		{
			name:     "stale beyond shrinkToFloorAfter: RM to the floor, guarder not asked to kill on a guess",
			settings: func(s *Settings) { s.Floor = Resources{2, 8192} },
			input: func(in *Input) {
				*in = fresh(40)
				in.Metrics.NewestSample = now.Add(-15 * time.Minute)
			},
			want: Decision{Target: Resources{2, 8192}, Reason: ReasonStaleShrinkToFloor, Stale: true, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{2, 8192})}},
		},
		{
			name: "no samples at all: shrink to a zero floor",
			input: func(in *Input) {
				*in = fresh(0)
				in.Metrics = Metrics{}
			},
			want: Decision{Target: Resources{0, 0}, Reason: ReasonStaleShrinkToFloor, Stale: true, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{0, 0})}},
		},
		{
			name:     "stale never raises a base below the floor",
			settings: func(s *Settings) { s.Floor = Resources{16, 65536} },
			input: func(in *Input) {
				*in = fresh(40)
				in.Metrics.NewestSample = time.Time{}
			},
			want: Decision{Target: Resources{10, 40960}, Reason: ReasonStaleShrinkToFloor, Stale: true, Direction: DirectionNone},
		},
		{
			name: "node safety: above the threshold, no new capacity (target = YARN's use)",
			input: func(in *Input) {
				*in = fresh(20)
				in.Usage = NodeUsage{Known: true, RecentCores: 60.8, SustainedMinCores: 40, CapacityCores: 64}
			},
			want: Decision{Target: Resources{6, 24576}, Reason: ReasonNodeSafetyBackoff, Adjustments: []Reason{ReasonGrow}, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{6, 24576}), guard(Resources{6, 24576})}},
		},
		{
			name: "node safety: above the threshold for shedAfter sheds the excess",
			input: func(in *Input) {
				*in = fresh(20)
				in.Usage = NodeUsage{Known: true, RecentCores: 60.8, SustainedMinCores: 58, CapacityCores: 64}
			},
			// excess = ceil(60.8 - 57.6) = 4 cores -> 6 - 4 = 2 vcores
			want: Decision{Target: Resources{2, 24576}, Reason: ReasonNodeSafetyShed,
				Adjustments: []Reason{ReasonNodeSafetyBackoff, ReasonGrow}, Direction: DirectionShrink, Shed: true,
				Actions: []Action{rm(Resources{2, 24576}), guard(Resources{2, 24576})}},
		},
		{
			name:     "node safety overrides the floor",
			settings: func(s *Settings) { s.Floor = Resources{8, 32768} },
			input: func(in *Input) {
				*in = fresh(10)
				in.Usage = NodeUsage{Known: true, RecentCores: 64, SustainedMinCores: 64, CapacityCores: 64}
			},
			want: Decision{Target: Resources{0, 24576}, Reason: ReasonNodeSafetyShed,
				Adjustments: []Reason{ReasonNodeSafetyBackoff, ReasonUnchanged}, Direction: DirectionShrink, Shed: true,
				Actions: []Action{rm(Resources{0, 24576}), guard(Resources{0, 24576})}},
		},
		{
			name:     "node safety disabled",
			settings: func(s *Settings) { s.Safety.Enabled = false },
			input: func(in *Input) {
				*in = fresh(20)
				in.Usage = NodeUsage{Known: true, RecentCores: 64, SustainedMinCores: 64, CapacityCores: 64}
			},
			want: Decision{Target: Resources{20, 81920}, Reason: ReasonGrow, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{20, 81920}), rm(Resources{20, 81920})}},
		},
		{
			name: "node safety also applies to stale nodes",
			input: func(in *Input) {
				*in = fresh(20)
				in.Metrics.NewestSample = now.Add(-5 * time.Minute)
				in.Usage = NodeUsage{Known: true, RecentCores: 60, SustainedMinCores: 10, CapacityCores: 64}
			},
			want: Decision{Target: Resources{6, 24576}, Reason: ReasonNodeSafetyBackoff, Adjustments: []Reason{ReasonStaleHold}, Stale: true, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{6, 24576}), guard(Resources{6, 24576})}},
		},
		{
			name: "drift: RM failover restored a larger configured size, re-apply and re-tell the guarder",
			input: func(in *Input) {
				*in = fresh(10)
				in.RM.Total = Resources{64, 262144}
			},
			want: Decision{Target: Resources{10, 40960}, Reason: ReasonDrift, Adjustments: []Reason{ReasonUnchanged}, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{10, 40960}), guard(Resources{10, 40960})}},
		},
		{
			name: "drift: NM re-registered smaller, re-apply",
			input: func(in *Input) {
				*in = fresh(11)
				in.RM.Total = Resources{4, 8192}
			},
			want: Decision{Target: Resources{10, 40960}, Reason: ReasonDrift, Adjustments: []Reason{ReasonBelowScaleUpStep}, Direction: DirectionGrow,
				Actions: []Action{guard(Resources{10, 40960}), rm(Resources{10, 40960})}},
		},
		{
			name: "drift while stale: the held size is re-applied",
			input: func(in *Input) {
				*in = fresh(11)
				in.Metrics.NewestSample = now.Add(-5 * time.Minute)
				in.RM.Total = Resources{64, 262144}
			},
			want: Decision{Target: Resources{10, 40960}, Reason: ReasonDrift, Adjustments: []Reason{ReasonStaleHold}, Stale: true, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{10, 40960}), guard(Resources{10, 40960})}},
		},
		{
			name:     "cpu-evict guard: the limit collapsed within the window, keep YARN under 90 % of it and shed",
			settings: withRequest,
			input:    func(in *Input) { *in = fresh(10); recent(in, 5.5) },
			// ceil(5.5*0.9)-1 = 4: strictly under the usage threshold.
			want: Decision{Target: Resources{4, 16384}, Reason: ReasonCPUEvictGuard, Adjustments: []Reason{ReasonUnchanged}, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{4, 16384}), guard(Resources{4, 16384})}},
		},
		{
			name:     "cpu-evict guard skips the tolerance band",
			settings: withRequest,
			input:    func(in *Input) { *in = fresh(10); recent(in, 9.5) },
			want: Decision{Target: Resources{8, 32768}, Reason: ReasonCPUEvictGuard, Adjustments: []Reason{ReasonUnchanged}, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{8, 32768}), guard(Resources{8, 32768})}},
		},
		{
			name:     "cpu-evict guard idle while satisfaction is above koordlet's lower percent",
			settings: withRequest,
			input:    func(in *Input) { *in = fresh(10); recent(in, 9.7) },
			want:     Decision{Target: Resources{10, 40960}, Reason: ReasonUnchanged, Direction: DirectionNone},
		},
		{
			name:     "cpu-evict guard overrides the floor",
			settings: func(s *Settings) { withRequest(s); s.Floor = Resources{8, 8192} },
			input:    func(in *Input) { *in = fresh(11); recent(in, 3.1) },
			want: Decision{Target: Resources{2, 8192}, Reason: ReasonCPUEvictGuard, Adjustments: []Reason{ReasonBelowScaleUpStep}, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{2, 8192}), guard(Resources{2, 8192})}},
		},
		{
			name:     "cpu-evict guard: a limit under one core keeps nothing",
			settings: withRequest,
			input:    func(in *Input) { *in = fresh(10); recent(in, 0.5) },
			want: Decision{Target: Resources{0, 0}, Reason: ReasonCPUEvictGuard, Adjustments: []Reason{ReasonUnchanged}, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{0, 0}), guard(Resources{0, 0})}},
		},
		{
			name:     "cpu-evict guard never acts without a recent sample",
			settings: withRequest,
			input:    func(in *Input) { *in = fresh(10) },
			want:     Decision{Target: Resources{10, 40960}, Reason: ReasonUnchanged, Direction: DirectionNone},
		},
		{
			name:  "no batch-cpu request: cpuevict cannot select the pod, no guard",
			input: func(in *Input) { *in = fresh(10); recent(in, 1) },
			want:  Decision{Target: Resources{10, 40960}, Reason: ReasonUnchanged, Direction: DirectionNone},
		},
		{
			name:     "a small request (yarn-copilot's 1 core) beside the limit: no guard, throttle not shed",
			settings: func(s *Settings) { s.BEPodRequestCores = 1 },
			input:    func(in *Input) { *in = fresh(5); recent(in, 5) },
			want: Decision{Target: Resources{5, 20480}, Reason: ReasonShrinkBeyondTolerance, Adjustments: []Reason{ReasonThrottleNotShed}, Direction: DirectionShrink,
				GuarderTarget: Resources{6, 24576},
				Actions:       []Action{rm(Resources{5, 20480}), guard(Resources{6, 24576})}},
		},
		{
			name:     "a request with the limit near it: the guarder sheds the CPU shrink",
			settings: withRequest,
			input:    func(in *Input) { *in = fresh(5); recent(in, 9) },
			want: Decision{Target: Resources{5, 20480}, Reason: ReasonShrinkBeyondTolerance, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{5, 20480}), guard(Resources{5, 20480})}},
		},
		{
			name: "throttle not shed: memory above the batch memory on offer is still shed",
			input: func(in *Input) {
				*in = fresh(5)
				in.Metrics.MemoryBytes = Stats{Mean: 20 * gib, Min: 20 * gib, Max: 20 * gib, Quantile: 20 * gib}
			},
			want: Decision{Target: Resources{5, 20480}, Reason: ReasonShrinkBeyondTolerance, Adjustments: []Reason{ReasonThrottleNotShed}, Direction: DirectionShrink,
				GuarderTarget: Resources{6, 20480},
				Actions:       []Action{rm(Resources{5, 20480}), guard(Resources{6, 20480})}},
		},
		{
			name: "throttle not shed does not soften a node-safety shed",
			input: func(in *Input) {
				*in = fresh(5)
				in.Usage = NodeUsage{Known: true, RecentCores: 62, SustainedMinCores: 60, CapacityCores: 64}
			},
			want: Decision{Target: Resources{1, 20480}, Reason: ReasonNodeSafetyShed, Shed: true, Direction: DirectionShrink,
				Adjustments: []Reason{ReasonNodeSafetyBackoff, ReasonShrinkBeyondTolerance},
				Actions:     []Action{rm(Resources{1, 20480}), guard(Resources{1, 20480})}},
		},
		{
			name: "a shrink that also repairs drift",
			input: func(in *Input) {
				*in = fresh(5)
				in.RM.Total = Resources{64, 262144}
			},
			want: Decision{Target: Resources{5, 20480}, Reason: ReasonShrinkBeyondTolerance, Adjustments: []Reason{ReasonThrottleNotShed}, Direction: DirectionShrink, GuarderTarget: Resources{6, 24576},
				Actions: []Action{rm(Resources{5, 20480}), guard(Resources{6, 24576})}},
		},
		{
			name: "no previous target (operator restart): the RM total is the base, no drift",
			input: func(in *Input) {
				*in = fresh(21)
				in.Previous = nil
				in.RM.Total = Resources{20, 81920}
			},
			want: Decision{Target: Resources{20, 81920}, Reason: ReasonBelowScaleUpStep, Direction: DirectionNone},
		},
		{
			name: "fallback source (node allocatable) never grows",
			input: func(in *Input) {
				*in = fresh(30)
				in.Metrics.FromAllocatable, in.Metrics.NewestSample = true, time.Time{}
			},
			want: Decision{Target: Resources{10, 40960}, Reason: ReasonFallbackNoGrow, Direction: DirectionNone},
		},
		{
			name: "fallback source shrinks",
			input: func(in *Input) {
				*in = fresh(5)
				in.Metrics.FromAllocatable, in.Metrics.NewestSample = true, time.Time{}
			},
			want: Decision{Target: Resources{5, 20480}, Reason: ReasonShrinkBeyondTolerance, Adjustments: []Reason{ReasonThrottleNotShed}, Direction: DirectionShrink, GuarderTarget: Resources{6, 24576},
				Actions: []Action{rm(Resources{5, 20480}), guard(Resources{6, 24576})}},
		},
		{
			name:     "guarder disabled: a shrink only writes the RM",
			settings: func(s *Settings) { s.GuarderEnabled = false },
			input:    func(in *Input) { *in = fresh(5) },
			want: Decision{Target: Resources{5, 20480}, Reason: ReasonShrinkBeyondTolerance, Direction: DirectionShrink,
				Actions: []Action{rm(Resources{5, 20480})}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := baseSettings()
			if c.settings != nil {
				c.settings(&s)
			}
			in := fresh(10)
			if c.input != nil {
				c.input(&in)
			}
			got := Decide(s, in)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Decide:\n got %+v\nwant %+v", got, c.want)
			}
			// Invariant: stale data never raises the RM's advertised size above the base.
			if got.Stale && in.Previous != nil && !got.Has(ReasonNodeSafetyShed) {
				if got.Target.VCores > in.Previous.VCores || got.Target.MemoryMB > in.Previous.MemoryMB {
					t.Errorf("stale decision grew: %+v over %+v", got.Target, *in.Previous)
				}
			}
		})
	}
}

func TestDecideIsDeterministic(t *testing.T) {
	in := fresh(20)
	a, b := Decide(baseSettings(), in), Decide(baseSettings(), in)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same input, different decisions: %+v vs %+v", a, b)
	}
}
