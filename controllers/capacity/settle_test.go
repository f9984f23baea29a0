package capacity

import (
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

func TestSettledTotal(t *testing.T) {
	sentAt := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	old, grown := policy.Resources{VCores: 1, MemoryMB: 4096}, policy.Resources{VCores: 12, MemoryMB: 49152}
	cases := []struct {
		name     string
		inFlight bool
		shown    policy.Resources
		now      time.Time
		want     policy.Resources
		wantKept bool
	}{
		{"nothing sent", false, old, sentAt.Add(time.Second), old, false},
		{"sent, not shown yet", true, old, sentAt.Add(time.Second), grown, true},
		{"sent and shown", true, grown, sentAt.Add(time.Second), grown, false},
		{"not shown after resizeSettle: drift again", true, old, sentAt.Add(resizeSettle), old, false},
		{"clock before the send", true, old, sentAt.Add(-time.Second), old, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			state := &poolState{inFlight: map[string]sentResize{}}
			if c.inFlight {
				state.inFlight["nm:8041"] = sentResize{target: grown, at: sentAt}
			}
			if got := settledTotal(state, "nm:8041", c.shown, c.now); got != c.want {
				t.Errorf("total %+v, want %+v", got, c.want)
			}
			if _, kept := state.inFlight["nm:8041"]; kept != c.wantKept {
				t.Errorf("in flight afterwards: %t, want %t", kept, c.wantKept)
			}
		})
	}
}
