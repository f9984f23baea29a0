package plan

import (
	"sort"
	"time"
)

// ExcludeRetryAfter is how long a failed exclude Job is left before the next try.
const ExcludeRetryAfter = 5 * time.Minute

// ExcludeJob is the latest exclude-file Job of a pool (YarnGraceful): what it put in the
// file and whether it has finished.
type ExcludeJob struct {
	Seq        int64
	Hosts      []string
	Finished   bool
	Failed     bool
	FinishedAt time.Time
}

// ExcludeDecision says whether to start a Job that sets the pool's hosts in the exclude file
// to exactly Exclude (removing Include), and when to look again.
type ExcludeDecision struct {
	Create           bool
	Exclude, Include []string
	RetryAt          time.Time
	// Seq numbers the Job to create (one more than the latest's).
	Seq int64
	// Timeout bounds the Job: the longest drain left of the excluded hosts.
	Timeout time.Duration
}

// ExcludeFileInput is what the exclude-file decision looks at besides the pool's decisions.
type ExcludeFileInput struct {
	// PoolHosts are the FQDNs of the pool's StaticIPs: the hosts the pool may have put in
	// the file.
	PoolHosts []string
	// Latest is the pool's newest exclude Job, nil when it never wrote the file.
	Latest *ExcludeJob
}

// excludedHosts collects, decision by decision, the hosts that belong in the exclude file:
// those of NodeManagers that start or go on draining, and of drained ones until their pod is
// gone. Longest is the longest drain left among them.
type excludedHosts struct {
	now     time.Time
	hosts   []string
	longest time.Duration
}

func (e *excludedHosts) add(p Pod, d Decision) {
	var deadline time.Time
	switch d.Action {
	case ActionStartDrain:
		deadline = d.DrainDeadline
	case ActionContinueDrain, ActionDelete, ActionWaitGone:
		if p.Drain == nil {
			return
		}
		deadline = p.Drain.Deadline
	default:
		return
	}
	e.hosts = append(e.hosts, p.YARNHost)
	if left := deadline.Sub(e.now); left > e.longest {
		e.longest = left
	}
}

// decide is DecideExcludeFile for the collected hosts, with the Job's number and bound.
func (e *excludedHosts) decide(in ExcludeFileInput) ExcludeDecision {
	d := DecideExcludeFile(e.hosts, in.PoolHosts, in.Latest, e.now)
	if !d.Create {
		return d
	}
	d.Seq, d.Timeout = 1, e.longest
	if in.Latest != nil {
		d.Seq = in.Latest.Seq + 1
	}
	return d
}

// DecideExcludeFile keeps the RM's exclude file level-triggered: the pool's hosts in it
// are exactly the hosts of NodeManagers draining with YarnGraceful. One Job at a time per
// pool, so two Jobs never rewrite the file at once; a failed Job is retried after
// ExcludeRetryAfter. A pool that never wrote the file and has nothing to exclude writes
// nothing.
func DecideExcludeFile(desired, poolHosts []string, latest *ExcludeJob, now time.Time) ExcludeDecision {
	desired = sortedUnique(desired)
	include := minus(sortedUnique(poolHosts), desired)
	switch {
	case latest == nil && len(desired) == 0:
		return ExcludeDecision{}
	case latest == nil:
	case !latest.Finished:
		return ExcludeDecision{}
	case latest.Failed && now.Before(latest.FinishedAt.Add(ExcludeRetryAfter)):
		return ExcludeDecision{RetryAt: latest.FinishedAt.Add(ExcludeRetryAfter)}
	case !latest.Failed && equalSets(desired, sortedUnique(latest.Hosts)):
		return ExcludeDecision{}
	}
	return ExcludeDecision{Create: true, Exclude: desired, Include: include}
}

// Excluded says whether host is among the hosts the latest Job put in the file.
func (j *ExcludeJob) Excluded(host string) bool {
	if j == nil {
		return false
	}
	for _, h := range j.Hosts {
		if h == host {
			return true
		}
	}
	return false
}

func sortedUnique(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func minus(a, b []string) []string {
	drop := map[string]bool{}
	for _, x := range b {
		drop[x] = true
	}
	var out []string
	for _, x := range a {
		if !drop[x] {
			out = append(out, x)
		}
	}
	return out
}

func equalSets(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
