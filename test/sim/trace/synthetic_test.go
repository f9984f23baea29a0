package trace

import (
	"reflect"
	"testing"
	"time"
)

func TestSyntheticIsDeterministic(t *testing.T) {
	opt := DefaultSyntheticOptions(5, 1, 30*time.Second, 3)
	a, b := Synthetic(opt), Synthetic(opt)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same options, different traces")
	}
	opt.Seed = 4
	if reflect.DeepEqual(a, Synthetic(opt)) {
		t.Fatal("different seeds, same traces")
	}
	// Adding nodes leaves the existing ones unchanged.
	opt.Seed, opt.Nodes = 3, 7
	if more := Synthetic(opt); !reflect.DeepEqual(a, more[:5]) {
		t.Fatal("adding nodes changed existing ones")
	}
	for _, s := range a {
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSyntheticIsTidal(t *testing.T) {
	s := Synthetic(DefaultSyntheticOptions(20, 1, time.Minute, 1))
	var night, day float64
	for _, n := range s {
		night += float64(n.CPU[4*60]) // 04:00
		day += float64(n.CPU[16*60])  // 16:00
	}
	if day <= night*1.5 {
		t.Fatalf("no tide: night %.2f day %.2f", night/20, day/20)
	}
	small := 0
	for _, n := range Synthetic(DefaultSyntheticOptions(200, 0.01, time.Minute, 1)) {
		if n.MemoryMB < 384*1024 {
			small++
		}
	}
	if small < 20 || small > 60 {
		t.Fatalf("%d of 200 small-memory nodes, want about 20 %%", small)
	}
}
