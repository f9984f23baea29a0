package rmemulator

import (
	"strings"
	"sync"
	"time"
)

// faults lets tests make RMs misbehave (5xx, slowness) and count what reached them.
type faults struct {
	mu       sync.Mutex
	failures []failure
	delay    map[int]time.Duration
	requests map[string]int // "METHOD path" -> count, for /ws/v1 requests
}

type failure struct {
	method, pathPrefix string
	status, remaining  int
}

func (f *faults) init() {
	f.delay = map[int]time.Duration{}
	f.requests = map[string]int{}
}

// FailNext makes the next n requests matching method and path prefix (on any RM, after
// authentication) answer status with a RemoteException; method "" matches all.
func (e *Emulator) FailNext(method, pathPrefix string, status, n int) {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	e.faults.failures = append(e.faults.failures, failure{method, pathPrefix, status, n})
}

// SetDelay makes RM i wait d before answering /ws/v1 requests (a slow RM, for timeouts).
func (e *Emulator) SetDelay(i int, d time.Duration) {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	e.faults.delay[i] = d
}

// Requests counts /ws/v1 requests by method and exact path that reached the RM layer
// (after authentication, including ones answered by a standby or an injected failure).
func (e *Emulator) Requests(method, path string) int {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	return e.faults.requests[method+" "+path]
}

// RequestsUnder sums Requests over every path that starts with prefix, e.g. all node
// resource writes: RequestsUnder("POST", "/ws/v1/cluster/nodes/").
func (e *Emulator) RequestsUnder(method, prefix string) int {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	n := 0
	for key, count := range e.faults.requests {
		if strings.HasPrefix(key, method+" "+prefix) {
			n += count
		}
	}
	return n
}

func (f *faults) record(method, path string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests[method+" "+path]++
}

func (f *faults) take(method, path string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.failures {
		fl := &f.failures[i]
		if fl.remaining > 0 && (fl.method == "" || fl.method == method) && strings.HasPrefix(path, fl.pathPrefix) {
			fl.remaining--
			return fl.status, true
		}
	}
	return 0, false
}

func (f *faults) delayFor(i int) time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.delay[i]
}
