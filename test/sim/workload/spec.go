package workload

import "time"

// Spec is one container request as the queue holds it.
type Spec struct {
	// ID identifies the work; a re-run keeps it and increments Attempt.
	ID      uint64
	Attempt int
	Class   Class
	// VCores and MemoryMB are what YARN allocates.
	VCores   int64
	MemoryMB int64
	// Work is the run time needed to finish.
	Work time.Duration
	// Decommission is how long the container takes to leave after SIGPWR (graceful-capable
	// classes): finishing its running tasks and migrating blocks.
	Decommission time.Duration
	// Terminate is how long it takes to exit after SIGTERM (shutdown hooks).
	Terminate time.Duration
	// CPUUse and MemoryUse are the shares of its allocation it keeps busy.
	CPUUse    float64
	MemoryUse float64
}

// Rerun is the same work queued again from scratch after a kill.
func (s Spec) Rerun() Spec {
	s.Attempt++
	return s
}

// Remainder is what is left of the work after a graceful exit at done, queued as a new
// attempt (a decommissioned Spark executor's future tasks run elsewhere).
func (s Spec) Remainder(done time.Duration) (Spec, bool) {
	left := s.Work - done
	if left <= 0 {
		return Spec{}, false
	}
	s.Attempt++
	s.Work = left
	return s, true
}
