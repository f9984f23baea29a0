package selection

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)

func ago(d time.Duration) time.Time { return now.Add(-d) }

func ids(p Plan) []string {
	out := []string{}
	for _, c := range p.Remove {
		out = append(out, c.ID)
	}
	return out
}

func TestDecideOrder(t *testing.T) {
	hour := time.Hour
	tests := []struct {
		name   string
		cands  []Candidate
		target Target
		want   []string
	}{
		{
			name:   "already fits: nothing to do",
			cands:  []Candidate{{ID: "a", VCores: 2, MemoryMB: 2048, StartedAt: ago(hour)}},
			target: Target{VCores: 2, MemoryMB: 2048},
			want:   []string{},
		},
		{
			name: "ordinary before streaming before AM",
			cands: []Candidate{
				{ID: "am", VCores: 1, MemoryMB: 1024, AM: true, StartedAt: ago(time.Minute), GracefulCapable: true},
				{ID: "stream", VCores: 1, MemoryMB: 1024, Streaming: true, StartedAt: ago(time.Minute), GracefulCapable: true},
				{ID: "old-batch", VCores: 1, MemoryMB: 1024, StartedAt: ago(10 * hour)},
			},
			target: Target{VCores: 2, MemoryMB: 100000},
			want:   []string{"old-batch"},
		},
		{
			name: "streaming before AM when ordinary ones are not enough",
			cands: []Candidate{
				{ID: "am", VCores: 1, MemoryMB: 1024, AM: true},
				{ID: "stream", VCores: 1, MemoryMB: 1024, Streaming: true},
				{ID: "batch", VCores: 1, MemoryMB: 1024},
			},
			target: Target{VCores: 1, MemoryMB: 100000},
			want:   []string{"batch", "stream"},
		},
		{
			name: "graceful-capable before young",
			cands: []Candidate{
				{ID: "young-mr", VCores: 1, MemoryMB: 1024, StartedAt: ago(time.Minute)},
				{ID: "old-spark", VCores: 1, MemoryMB: 1024, StartedAt: ago(5 * hour), GracefulCapable: true},
			},
			target: Target{VCores: 1, MemoryMB: 100000},
			want:   []string{"old-spark"},
		},
		{
			name: "young before old, same framework",
			cands: []Candidate{
				{ID: "old", VCores: 1, MemoryMB: 1024, StartedAt: ago(3 * hour)},
				{ID: "young", VCores: 1, MemoryMB: 1024, StartedAt: ago(2 * time.Minute)},
				{ID: "middle", VCores: 1, MemoryMB: 1024, StartedAt: ago(40 * time.Minute)},
			},
			target: Target{VCores: 1, MemoryMB: 100000},
			want:   []string{"young", "middle"},
		},
		{
			name: "CPU short: the container holding CPU goes, not the memory-heavy one",
			cands: []Candidate{
				{ID: "mem-heavy", VCores: 1, MemoryMB: 16384, StartedAt: ago(hour)},
				{ID: "cpu-heavy", VCores: 4, MemoryMB: 2048, StartedAt: ago(hour)},
			},
			target: Target{VCores: 2, MemoryMB: 100000},
			want:   []string{"cpu-heavy"},
		},
		{
			name: "memory short: the memory-heavy container goes",
			cands: []Candidate{
				{ID: "mem-heavy", VCores: 1, MemoryMB: 16384, StartedAt: ago(hour)},
				{ID: "cpu-heavy", VCores: 4, MemoryMB: 2048, StartedAt: ago(hour)},
			},
			target: Target{VCores: 100, MemoryMB: 4096},
			want:   []string{"mem-heavy"},
		},
		{
			name: "a container without the short resource is never removed",
			cands: []Candidate{
				{ID: "no-mem", VCores: 1, MemoryMB: 0, GracefulCapable: true},
				{ID: "mem", VCores: 1, MemoryMB: 2048},
			},
			target: Target{VCores: 100, MemoryMB: 1024},
			want:   []string{"mem"},
		},
		{
			name: "lower application priority first (debug=0 < P3=1 < P2=2 < P1=3)",
			cands: []Candidate{
				{ID: "p1", VCores: 1, MemoryMB: 1024, Priority: 3, GracefulCapable: true, StartedAt: now},
				{ID: "p3", VCores: 1, MemoryMB: 1024, Priority: 1, StartedAt: ago(5 * hour)},
				{ID: "debug", VCores: 1, MemoryMB: 1024, Priority: 0, StartedAt: ago(9 * hour)},
				{ID: "p2", VCores: 1, MemoryMB: 1024, Priority: 2},
			},
			target: Target{VCores: 1, MemoryMB: 100000},
			want:   []string{"debug", "p3", "p2"},
		},
		{
			name: "priority does not override the AM tier",
			cands: []Candidate{
				{ID: "am-debug", VCores: 1, MemoryMB: 1024, Priority: 0, AM: true},
				{ID: "p1", VCores: 1, MemoryMB: 1024, Priority: 3},
			},
			target: Target{VCores: 1, MemoryMB: 100000},
			want:   []string{"p1"},
		},
		{
			name: "already leaving counts as removed: a repeated target selects nothing new",
			cands: []Candidate{
				{ID: "leaving", VCores: 4, MemoryMB: 4096, Leaving: true},
				{ID: "stay", VCores: 2, MemoryMB: 2048},
			},
			target: Target{VCores: 2, MemoryMB: 2048},
			want:   []string{},
		},
		{
			name: "unneeded small picks are dropped after a large one",
			cands: []Candidate{
				// The graceful small one is picked first, but the big one alone is enough
				// once it is needed; the small one is then un-picked.
				{ID: "small-graceful", VCores: 1, MemoryMB: 1024, GracefulCapable: true, StartedAt: ago(hour)},
				{ID: "big", VCores: 4, MemoryMB: 1024, StartedAt: ago(hour)},
				{ID: "other", VCores: 4, MemoryMB: 1024, StartedAt: ago(2 * hour)},
			},
			target: Target{VCores: 5, MemoryMB: 100000},
			want:   []string{"big"},
		},
		{
			name: "ties broken by younger, then by id",
			cands: []Candidate{
				{ID: "b", VCores: 1, MemoryMB: 1, StartedAt: ago(hour)},
				{ID: "a", VCores: 1, MemoryMB: 1, StartedAt: ago(hour)},
				{ID: "c", VCores: 1, MemoryMB: 1, StartedAt: ago(2 * hour)},
			},
			target: Target{VCores: 1, MemoryMB: 100},
			want:   []string{"a", "b"},
		},
		{
			name: "target zero removes everything, AMs last",
			cands: []Candidate{
				{ID: "am", VCores: 1, MemoryMB: 1, AM: true},
				{ID: "x", VCores: 1, MemoryMB: 1},
			},
			target: Target{},
			want:   []string{"x", "am"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Decide(tt.cands, tt.target, now, DefaultWeights())
			if got := ids(p); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("remove %v, want %v (plan %+v)", got, tt.want, p)
			}
			if !p.Fits || !p.Remaining.Fits(tt.target) {
				t.Fatalf("plan does not fit: %+v", p)
			}
		})
	}
}

func TestDecideReportsLeavingAndUsage(t *testing.T) {
	p := Decide([]Candidate{
		{ID: "l2", VCores: 1, MemoryMB: 1, Leaving: true},
		{ID: "l1", VCores: 1, MemoryMB: 1, Leaving: true},
		{ID: "x", VCores: 3, MemoryMB: 300},
	}, Target{VCores: 1, MemoryMB: 1000}, now, DefaultWeights())
	if !reflect.DeepEqual(p.AlreadyLeaving, []string{"l1", "l2"}) || p.Used != (Usage{3, 300}) || p.Remaining != (Usage{}) {
		t.Fatalf("%+v", p)
	}
}

func TestWeightsChangeTheOrder(t *testing.T) {
	cands := []Candidate{
		{ID: "young-mr", VCores: 1, MemoryMB: 1, StartedAt: ago(time.Minute)},
		{ID: "old-spark", VCores: 1, MemoryMB: 1, StartedAt: ago(10 * time.Hour), GracefulCapable: true},
	}
	target := Target{VCores: 1, MemoryMB: 100}
	if got := ids(Decide(cands, target, now, DefaultWeights())); got[0] != "old-spark" {
		t.Fatalf("defaults: %v", got)
	}
	w := DefaultWeights()
	w.Graceful, w.Youth = 0.1, 5
	if got := ids(Decide(cands, target, now, w)); got[0] != "young-mr" {
		t.Fatalf("youth-heavy weights: %v", got)
	}
	bad := Weights{Graceful: -1, YouthHalfLife: time.Minute}
	if bad.Validate() == nil {
		t.Fatal("negative weight must be rejected")
	}
	// Invalid weights fall back to the defaults rather than inverting the order.
	if got := ids(Decide(cands, target, now, bad)); got[0] != "old-spark" {
		t.Fatalf("invalid weights: %v", got)
	}
}

func TestDecideIsDeterministic(t *testing.T) {
	cands := benchCandidates(200)
	target := Target{VCores: 100, MemoryMB: 200000}
	first := Decide(cands, target, now, DefaultWeights())
	for i := 0; i < 5; i++ {
		// Reverse input order: the result must not depend on it.
		rev := make([]Candidate, len(cands))
		for j := range cands {
			rev[len(cands)-1-j] = cands[j]
		}
		if got := Decide(rev, target, now, DefaultWeights()); !reflect.DeepEqual(ids(got), ids(first)) {
			t.Fatal("order depends on input order")
		}
	}
}

func benchCandidates(n int) []Candidate {
	out := make([]Candidate, n)
	for i := range out {
		out[i] = Candidate{
			ID:              fmt.Sprintf("container_e17_1410901177871_%04d_01_%06d", i%37, i),
			VCores:          int64(1 + i%4),
			MemoryMB:        int64(1024 * (1 + i%8)),
			GracefulCapable: i%3 == 0,
			StartedAt:       now.Add(-time.Duration(i*7%600) * time.Minute),
			AM:              i%50 == 1,
			Streaming:       i%23 == 0,
			Priority:        i % 4,
			Leaving:         i%41 == 0,
		}
	}
	return out
}

// BenchmarkDecide500 measures one decision over 500 containers shedding about half.
func BenchmarkDecide500(b *testing.B) {
	cands := benchCandidates(500)
	target := Target{VCores: 600, MemoryMB: 1_000_000}
	b.ReportAllocs()
	for b.Loop() {
		Decide(cands, target, now, DefaultWeights())
	}
}
