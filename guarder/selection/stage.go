package selection

import "time"

// Stage splits a plan's removals into those to signal now and ApplicationMasters held back.
// Killing an AM fails its whole application and takes its tasks with it, so an AM whose
// application still has other containers on this node (running, leaving, or chosen in the
// same plan) waits until they are gone: the next cycle selects it again if the node still
// does not fit. It waits no later than amLatest (zero: no limit), so a target's deadline is
// still met; the caller passes the deadline minus the grace period.
func Stage(p Plan, cands []Candidate, now, amLatest time.Time) (signal, held []Choice) {
	byID := make(map[string]Candidate, len(cands))
	others := map[string]int{} // containers per application that are not its AM
	for _, c := range cands {
		byID[c.ID] = c
		if !c.AM && c.App != "" {
			others[c.App]++
		}
	}
	deadlineReached := !amLatest.IsZero() && !now.Before(amLatest)
	for _, ch := range p.Remove {
		c := byID[ch.ID]
		if c.AM && c.App != "" && others[c.App] > 0 && !deadlineReached {
			held = append(held, ch)
			continue
		}
		signal = append(signal, ch)
	}
	return signal, held
}
