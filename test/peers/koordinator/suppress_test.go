package koordinator

import "testing"

// Expected figures follow cpu_suppress.go at a7a1b76b: cpus = ceil(target), at least
// beMinCPUSetCores (2), growing by at most ceil(CPUs * beMaxIncreaseCPUPercent (0.1)).
func TestNextCPUSet(t *testing.T) {
	tests := []struct {
		name            string
		cores, target   float64
		current, expect int
	}{
		{"negative target floors at 2 cores", 96, -12, 40, 2},
		{"target under one core floors at 2", 96, 0.3, 2, 2},
		{"fraction rounds up", 96, 7.01, 7, 8},
		{"growth limited to ceil(9.6) = 10 cores a loop", 96, 40.2, 10, 20},
		{"growth within the step applies", 96, 19.5, 10, 20},
		{"a shrink applies at once", 96, 5, 50, 5},
		{"small node: step ceil(1.6) = 2", 16, 10, 2, 4},
		{"never more than the node's CPUs", 16, 40, 16, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextCPUSet(tt.cores, tt.target, tt.current); got != tt.expect {
				t.Errorf("NextCPUSet(%g, %g, %d) = %d, want %d", tt.cores, tt.target, tt.current, got, tt.expect)
			}
		})
	}
}

// adjustByCfsQuota: quota = max(target, 2000 us / 100 ms); moves under 1 % of the node are
// skipped unless to the minimum; rises limited to 10 % of the node once a quota is set.
func TestNextCFSQuota(t *testing.T) {
	tests := []struct {
		name                   string
		cores, target, current float64
		expect                 float64
	}{
		{"first write is not step-limited", 96, 40, -1, 40},
		{"rise limited to 9.6 cores", 96, 40, 10, 19.6},
		{"move under 0.96 cores is skipped", 96, 10.5, 10, 10},
		{"move of exactly 0.96 cores is written", 96, 10.96, 10, 10.96},
		{"negative target: the minimum quota", 96, -3, 0.5, 0.02},
		{"minimum is written even when close", 96, -3, 0.03, 0.02},
		{"a fall applies at once", 96, 3, 40, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextCFSQuota(tt.cores, tt.target, tt.current); !near(got, tt.expect) {
				t.Errorf("NextCFSQuota(%g, %g, %g) = %g, want %g", tt.cores, tt.target, tt.current, got, tt.expect)
			}
		})
	}
}

func TestSuppressTarget(t *testing.T) {
	cfg := DefaultConfig()
	// 100 * 65 % - 30 - 2 = 33.
	if got := SuppressTarget(cfg, 100, 30, 2); !near(got, 33) {
		t.Fatalf("target %g, want 33", got)
	}
	// cpuSuppressMinPercent raises it to 5 % of 100 cores.
	cfg.CPUSuppressMinPercent = 5
	if got := SuppressTarget(cfg, 100, 90, 2); !near(got, 5) {
		t.Fatalf("target with min percent %g, want 5", got)
	}
}
