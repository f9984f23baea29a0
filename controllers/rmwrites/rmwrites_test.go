package rmwrites

import (
	"sync"
	"testing"
)

func TestLockSerialisesOneNodeAndForgetsIdleOnes(t *testing.T) {
	var s Serializer
	inside, maxInside := 0, 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Go(func() {
			unlock := s.Lock("nm-a:8041")
			defer unlock()
			mu.Lock()
			inside++
			maxInside = max(maxInside, inside)
			mu.Unlock()
			other := s.Lock("nm-b:8041") // another node is never blocked by nm-a
			other()
			mu.Lock()
			inside--
			mu.Unlock()
		})
	}
	wg.Wait()
	if maxInside != 1 {
		t.Fatalf("%d writers of one node at once, want 1", maxInside)
	}
	if len(s.nodes) != 0 {
		t.Fatalf("%d idle locks kept", len(s.nodes))
	}
}
