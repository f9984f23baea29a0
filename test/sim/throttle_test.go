package sim

import (
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/test/peers/koordinator"
	"github.com/elasticyarn/elastic-yarn-operator/test/sim/workload"
)

// TestThrottleSlowsContainersToTheBatchLimit: koordlet caps the BE tier at its suppress
// figure, so YARN containers demanding more progress at limit/demand; their work counts once
// (Progress), however long throttling held them.
func TestThrottleSlowsContainersToTheBatchLimit(t *testing.T) {
	const step = 30 * time.Second
	tests := []struct {
		name     string
		strategy Strategy
		suppress float64
		online   float64
		held     time.Duration
	}{
		{"demand within the limit", NewInstantSync(), 12, 20, 0},
		{"half the demand allowed", NewInstantSync(), 5, 20, 15 * time.Second},
		{"limit at zero", NewInstantSync(), 0, 20, step},
		// Caelus runs instead of koordlet: the cap is what online and the host leave,
		// 32 - 25 - 2 = 5 of the 10 cores demanded.
		{"caelus: what the online pods leave", &Caelus{}, 12, 25, 15 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Cluster{Config: DefaultConfig(1), Step: step}
			ct := &Container{Spec: workload.Spec{VCores: 10, CPUUse: 1, Work: time.Hour}, End: time.Hour}
			n := &Node{CPUCores: 32, Containers: []*Container{ct}}
			n.Obs.SuppressCores = tt.suppress
			c.throttle(n, tt.strategy, koordinator.Input{BEDemandCores: 10, OnlineCPUCores: tt.online})
			if ct.Stalled != tt.held || ct.End != time.Hour+tt.held {
				t.Fatalf("stalled %s, end %s; want %s held", ct.Stalled, ct.End, tt.held)
			}
			if got := ct.Progress(step); got != step-tt.held {
				t.Fatalf("progress after one step %s, want %s", got, step-tt.held)
			}
		})
	}
}
