package workload

import "time"

// Spec is one container request as the queue holds it.
type Spec struct {
	// ID identifies the work; a re-run keeps it and increments Attempt.
	ID      uint64
	Attempt int
	Class   Class
	// App is the YARN application the container belongs to: the ID of its ApplicationMaster's
	// spec (an AM's App is its own ID); 0 when the application's AM is not part of the
	// workload. The guarder holds an AM back while its application's tasks on the same node
	// leave (guarder/selection.Stage).
	App uint64
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
	// Checkpoint is the interval of a streaming job's checkpoints: a kill loses only the work
	// since the last one, and the job resumes from it. Zero: a kill loses everything.
	Checkpoint time.Duration
	// CPUUse and MemoryUse are the shares of its allocation it keeps busy.
	CPUUse    float64
	MemoryUse float64
}

// Rerun is the same work queued again from scratch after a kill.
func (s Spec) Rerun() Spec {
	s.Attempt++
	return s
}

// SplitAtKill divides runtime r at a kill into the work kept (up to the last checkpoint) and
// the work lost.
func (s Spec) SplitAtKill(r time.Duration) (kept, lost time.Duration) {
	if s.Checkpoint <= 0 || r <= 0 {
		return 0, max(r, 0)
	}
	lost = r % s.Checkpoint
	return r - lost, lost
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
