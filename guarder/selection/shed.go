package selection

import "time"

// Staged is one guarder cycle's decision: the plan, and its removals split into those to
// signal now and the ApplicationMasters held back (Stage).
type Staged struct {
	Plan Plan
	// Signal are the removals to signal now, in the plan's order.
	Signal []Choice
	// Held are ApplicationMasters chosen but held back while their tasks leave.
	Held []Choice
}

// Shed decides which containers leave so that the rest fits target, and stages them. A held
// ApplicationMaster waits no later than deadline minus grace (the time a signalled container
// gets before it is killed), so it is still gone by the deadline; a zero deadline sets no
// limit. The guarder worker and the simulator's guarder model both decide through Shed.
func Shed(cands []Candidate, target Target, now, deadline time.Time, grace time.Duration, w Weights) Staged {
	plan := Decide(cands, target, now, w)
	var amLatest time.Time
	if !deadline.IsZero() {
		amLatest = deadline.Add(-grace)
	}
	signal, held := Stage(plan, cands, now, amLatest)
	return Staged{Plan: plan, Signal: signal, Held: held}
}
