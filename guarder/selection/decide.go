package selection

import (
	"sort"
	"time"
)

// Decide chooses the containers to remove so that the rest fits target. See the package doc
// for the order. Weights that fail Validate are replaced by DefaultWeights.
func Decide(candidates []Candidate, target Target, now time.Time, w Weights) Plan {
	if w.Validate() != nil {
		w = DefaultWeights()
	}
	plan := Plan{Target: target, Remove: []Choice{}, AlreadyLeaving: []string{}}
	pool := make([]Candidate, 0, len(candidates))
	for _, c := range candidates {
		if c.Leaving {
			plan.AlreadyLeaving = append(plan.AlreadyLeaving, c.ID)
			continue
		}
		plan.Used.VCores += c.VCores
		plan.Used.MemoryMB += c.MemoryMB
		pool = append(pool, c)
	}
	sort.Strings(plan.AlreadyLeaving)

	// The graceful and youth terms do not change between picks; only relief does.
	static := make([]float64, len(pool))
	for i, c := range pool {
		static[i] = staticScore(c, now, w)
	}
	remaining := plan.Used
	var picked []Candidate
	for !remaining.Fits(target) {
		best := -1
		var bestScore float64
		for i, c := range pool {
			if !relieves(c, remaining, target) {
				continue
			}
			s := static[i] + w.Relief*relief(c, remaining, target)
			if best < 0 || before(c, s, pool[best], bestScore) {
				best, bestScore = i, s
			}
		}
		if best < 0 {
			break
		}
		c := pool[best]
		last := len(pool) - 1
		pool[best], static[best] = pool[last], static[last]
		pool, static = pool[:last], static[:last]
		picked = append(picked, c)
		plan.Remove = append(plan.Remove, Choice{ID: c.ID, Tier: tierOf(c), Priority: c.Priority, Score: bestScore, Graceful: c.GracefulCapable})
		remaining = remaining.minus(c)
	}
	plan.Fits = remaining.Fits(target)
	if plan.Fits {
		plan.Remove, remaining = dropUnneeded(plan.Remove, picked, remaining, target)
	}
	plan.Remaining = remaining
	return plan
}

// dropUnneeded un-picks containers whose removal is not needed after all (a later, larger
// pick may have covered the shortfall alone), trying the last-picked, most valuable first.
func dropUnneeded(choices []Choice, picked []Candidate, remaining Usage, target Target) ([]Choice, Usage) {
	keep := make([]bool, len(picked))
	for i := range keep {
		keep[i] = true
	}
	for i := len(picked) - 1; i >= 0; i-- {
		back := Usage{VCores: remaining.VCores + picked[i].VCores, MemoryMB: remaining.MemoryMB + picked[i].MemoryMB}
		if back.Fits(target) {
			keep[i] = false
			remaining = back
		}
	}
	out := choices[:0]
	for i, c := range choices {
		if keep[i] {
			out = append(out, c)
		}
	}
	return out, remaining
}

// relieves reports whether removing c reduces a resource that is over target.
func relieves(c Candidate, u Usage, t Target) bool {
	return (u.VCores > t.VCores && c.VCores > 0) || (u.MemoryMB > t.MemoryMB && c.MemoryMB > 0)
}

// staticScore is the part of the score that does not depend on the shortfall.
func staticScore(c Candidate, now time.Time, w Weights) float64 {
	var s float64
	if c.GracefulCapable {
		s += w.Graceful
	}
	runtime := now.Sub(c.StartedAt)
	if runtime < 0 || c.StartedAt.IsZero() {
		runtime = 0
	}
	s += w.Youth * float64(w.YouthHalfLife) / float64(w.YouthHalfLife+runtime)
	return s
}

// relief is the share of the shortfall c covers, averaged over the short resources.
func relief(c Candidate, u Usage, t Target) float64 {
	var sum float64
	var short int
	if over := u.VCores - t.VCores; over > 0 {
		short++
		sum += float64(min(c.VCores, over)) / float64(over)
	}
	if over := u.MemoryMB - t.MemoryMB; over > 0 {
		short++
		sum += float64(min(c.MemoryMB, over)) / float64(over)
	}
	if short == 0 {
		return 0
	}
	return sum / float64(short)
}

// before reports whether a (with score sa) goes before b (with score sb).
func before(a Candidate, sa float64, b Candidate, sb float64) bool {
	if ta, tb := tierOf(a), tierOf(b); ta != tb {
		return ta < tb
	}
	if a.Priority != b.Priority {
		return a.Priority < b.Priority
	}
	if sa != sb {
		return sa > sb
	}
	if !a.StartedAt.Equal(b.StartedAt) {
		return a.StartedAt.After(b.StartedAt)
	}
	return a.ID < b.ID
}
