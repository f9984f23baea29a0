package policy

import (
	"cmp"
	"slices"
	"time"
)

// Bucket is a token bucket for RM writes of one pool, as a value: the caller keeps it
// (in memory; losing it on restart only grants one fresh burst) and passes the time in,
// so the simulator replays it exactly. golang.org/x/time/rate would hide the clock.
type Bucket struct {
	Tokens  float64
	Updated time.Time
}

// Take refills the bucket at perMinute tokens a minute (holding at most perMinute) and
// grants up to want writes.
func (b Bucket) Take(now time.Time, perMinute, want int) (Bucket, int) {
	capacity := float64(perMinute)
	if b.Updated.IsZero() {
		b.Tokens = capacity
	} else if elapsed := now.Sub(b.Updated); elapsed > 0 {
		b.Tokens = min(capacity, b.Tokens+elapsed.Minutes()*capacity)
	}
	b.Updated = now
	granted := min(want, int(b.Tokens))
	b.Tokens -= float64(granted)
	return b, granted
}

// Urgency ranks decisions for a limited write budget: protecting the node first, then
// shrinks, repairs, and growth last (a delayed grow only wastes capacity for a cycle).
func Urgency(d Decision) int {
	switch {
	case d.Has(ReasonNodeSafetyShed), d.Has(ReasonNodeSafetyBackoff):
		return 0
	case d.Direction == DirectionShrink:
		return 1
	case d.Has(ReasonDrift):
		return 2
	default:
		return 3
	}
}

// OrderByUrgency sorts indices of decisions, most urgent first, stable within a rank.
func OrderByUrgency(ds []Decision) []int {
	idx := make([]int, len(ds))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(Urgency(ds[a]), Urgency(ds[b])) })
	return idx
}
