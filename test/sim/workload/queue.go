package workload

import "time"

// Queue is the YARN backlog one simulated cluster serves: work to re-run first (in the
// order it was lost), then fresh work from the generator, which never runs dry.
//
// The simulated NMs are the elastic part of a larger YARN cluster. A request that finds no
// room here within MaxWait (say an 8-vcore executor while every NM is shrunk to 6) is served
// by the rest of the cluster and leaves the queue; otherwise a few large requests would
// block the head for ever and starve the nodes of the small ones a real scheduler would place.
type Queue struct {
	gen     *Generator
	maxWait time.Duration
	retry   []entry
	pending []entry
	// Elsewhere counts requests handed to the rest of the cluster.
	Elsewhere int
}

type entry struct {
	spec  Spec
	since time.Duration
}

// NewQueue starts a backlog.
func NewQueue(gen *Generator, maxWait time.Duration) *Queue {
	return &Queue{gen: gen, maxWait: maxWait}
}

// Requeue puts work back at now, behind earlier re-runs and ahead of fresh work.
func (q *Queue) Requeue(s Spec, now time.Duration) { q.retry = append(q.retry, entry{s, now}) }

// Retries is the number of re-runs waiting.
func (q *Queue) Retries() int { return len(q.retry) }

// Expire hands requests that waited longer than MaxWait to the rest of the cluster.
func (q *Queue) Expire(now time.Duration) {
	if q.maxWait <= 0 {
		return
	}
	q.retry = q.expire(q.retry, now)
	q.pending = q.expire(q.pending, now)
}

func (q *Queue) expire(es []entry, now time.Duration) []entry {
	kept := es[:0]
	for _, e := range es {
		if now-e.since > q.maxWait {
			q.Elsewhere++
			continue
		}
		kept = append(kept, e)
	}
	return kept
}

// Take removes and returns the first of the next lookahead specs that fits; a scheduler
// looks a little past a head that does not fit, as YARN's many queues and relaxed ordering do.
func (q *Queue) Take(now time.Duration, fits func(*Spec) bool, lookahead int) (Spec, bool) {
	seen := 0
	for i := 0; i < len(q.retry) && seen < lookahead; i++ {
		seen++
		if fits(&q.retry[i].spec) {
			s := q.retry[i].spec
			q.retry = remove(q.retry, i)
			return s, true
		}
	}
	want := lookahead - seen
	for len(q.pending) < want {
		q.pending = append(q.pending, entry{q.gen.Next(), now})
	}
	for i := 0; i < want; i++ {
		if fits(&q.pending[i].spec) {
			s := q.pending[i].spec
			q.pending = remove(q.pending, i)
			return s, true
		}
	}
	return Spec{}, false
}

func remove(s []entry, i int) []entry {
	copy(s[i:], s[i+1:])
	return s[:len(s)-1]
}
