package workload

import (
	"reflect"
	"testing"
	"time"
)

func draw(seed uint64, n int) []Spec {
	g := NewGenerator(DefaultOptions(seed))
	out := make([]Spec, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

func TestGeneratorIsDeterministic(t *testing.T) {
	a, b := draw(7, 2000), draw(7, 2000)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different sequences")
	}
	if reflect.DeepEqual(a, draw(8, 2000)) {
		t.Fatal("different seeds gave the same sequence")
	}
}

func TestGeneratorShapes(t *testing.T) {
	specs := draw(1, 20000)
	count := map[Class]int{}
	var longest time.Duration
	for _, s := range specs {
		count[s.Class]++
		if s.VCores < 1 || s.MemoryMB < 1024 || s.MemoryMB%1024 != 0 {
			t.Fatalf("bad size %+v", s)
		}
		if s.Work <= 0 || s.Decommission <= 0 || s.Terminate <= 0 {
			t.Fatalf("bad times %+v", s)
		}
		if s.Class == MapReduce {
			longest = max(longest, s.Work)
		}
	}
	for _, c := range Classes() {
		if count[c] == 0 {
			t.Errorf("class %s never drawn", c)
		}
	}
	// Heavy tail: the longest MapReduce task is far above the 3-minute median.
	if longest < 30*time.Minute {
		t.Errorf("longest MapReduce task %s: no tail", longest)
	}
}

func TestGeneratorGroupsContainersIntoApplications(t *testing.T) {
	var am uint64
	apps := map[uint64]int{}
	for _, s := range draw(3, 5000) {
		if s.Class == AppMaster {
			am = s.ID
		}
		if s.App != am {
			t.Fatalf("spec %d (%s) in application %d, want %d (the last AM drawn)", s.ID, s.Class, s.App, am)
		}
		apps[s.App]++
	}
	if len(apps) < 100 {
		t.Errorf("%d applications in 5000 containers: the AM share is 7 %%", len(apps))
	}
	// Without AMs in the workload no container claims an application.
	opt := DefaultOptions(3)
	opt.Mix[AppMaster] = 0
	g := NewGenerator(opt)
	for range 1000 {
		if s := g.Next(); s.App != 0 {
			t.Fatalf("spec %d in application %d without AMs", s.ID, s.App)
		}
	}
}

func TestSplitAtKill(t *testing.T) {
	flink := Spec{Work: time.Hour, Checkpoint: 10 * time.Minute}
	if kept, lost := flink.SplitAtKill(25 * time.Minute); kept != 20*time.Minute || lost != 5*time.Minute {
		t.Fatalf("streaming: kept %s lost %s", kept, lost)
	}
	mr := Spec{Work: time.Hour}
	if kept, lost := mr.SplitAtKill(25 * time.Minute); kept != 0 || lost != 25*time.Minute {
		t.Fatalf("batch: kept %s lost %s", kept, lost)
	}
	if rest, ok := flink.Remainder(20 * time.Minute); !ok || rest.Work != 40*time.Minute || rest.Attempt != 1 {
		t.Fatalf("remainder %+v %v", rest, ok)
	}
}

func TestQueueOrderAndExpiry(t *testing.T) {
	q := NewQueue(NewGenerator(DefaultOptions(1)), 5*time.Minute)
	lost := Spec{ID: 999, VCores: 1, MemoryMB: 1024}
	q.Requeue(lost, 0)
	any := func(*Spec) bool { return true }
	if s, ok := q.Take(0, any, 4); !ok || s.ID != 999 {
		t.Fatalf("re-run not first: %+v", s)
	}
	// Nothing fits: the lookahead stays, and expires after MaxWait.
	none := func(*Spec) bool { return false }
	if _, ok := q.Take(0, none, 4); ok {
		t.Fatal("took a spec that does not fit")
	}
	q.Expire(5 * time.Minute)
	if q.Elsewhere != 0 {
		t.Fatalf("expired at exactly MaxWait: %d", q.Elsewhere)
	}
	q.Expire(5*time.Minute + time.Second)
	if q.Elsewhere != 4 {
		t.Fatalf("want the 4 looked-at specs served elsewhere, got %d", q.Elsewhere)
	}
}
