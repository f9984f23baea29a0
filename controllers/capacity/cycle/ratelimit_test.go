package cycle

import (
	"reflect"
	"testing"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/controllers/capacity/policy"
)

func TestBucket(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b Bucket
	var got int
	steps := []struct {
		at         time.Duration
		want, gets int
	}{
		{0, 200, 120},                // a fresh bucket grants one minute's budget
		{0, 1, 0},                    // empty
		{30 * time.Second, 100, 60},  // half a minute refills half
		{10 * time.Minute, 500, 120}, // never more than one minute's budget
		{time.Minute + 10*time.Minute + 30*time.Second, 10, 10},
	}
	for i, s := range steps {
		b, got = b.Take(t0.Add(s.at), 120, s.want)
		if got != s.gets {
			t.Fatalf("step %d: granted %d, want %d (bucket %+v)", i, got, s.gets, b)
		}
	}
}

func TestOrderByUrgency(t *testing.T) {
	ds := []policy.Decision{
		{Reason: policy.ReasonGrow, Direction: policy.DirectionGrow},
		{Reason: policy.ReasonDrift, Direction: policy.DirectionGrow},
		{Reason: policy.ReasonShrinkBeyondTolerance, Direction: policy.DirectionShrink},
		{Reason: policy.ReasonNodeSafetyShed, Direction: policy.DirectionShrink, Shed: true},
		{Reason: policy.ReasonGrow, Direction: policy.DirectionGrow},
	}
	if got, want := OrderByUrgency(ds), []int{3, 2, 1, 0, 4}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}
