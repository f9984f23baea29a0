package plan

import (
	"sort"
	"time"
)

// Phase is where a pool is in its schedule.
type Phase string

const (
	// PhaseOpen: NodeManagers should run.
	PhaseOpen Phase = "Open"
	// PhaseDraining: a window ended and its drain period has not: running NodeManagers drain,
	// nothing new starts.
	PhaseDraining Phase = "Draining"
	// PhaseClosed: no NodeManager should run.
	PhaseClosed Phase = "Closed"
)

// Action is what happens at the next transition (status.nextTransitionAction).
type Action string

const (
	ActionNone   Action = ""
	ActionStart  Action = "Start"
	ActionDrain  Action = "Drain"
	ActionExpire Action = "Expire"
)

// WindowState is the schedule evaluated at one instant.
type WindowState struct {
	Phase Phase
	// Window is the name of the window that is open or draining.
	Window string
	// DrainDeadline is when pods of the current (open or draining) window must be gone.
	DrainDeadline time.Time
	// Next is the next instant at which the phase changes, NextAction what it does then.
	Next       time.Time
	NextAction Action
}

// occurrence is one concrete instance of a window.
type occurrence struct {
	window              string
	start, end, drainBy time.Time
}

// Windows may start up to a week apart, so looking from two days back (a window that crossed
// midnight and is still draining) to eight days ahead always finds the current and next one.
const (
	lookBackDays  = 2
	lookAheadDays = 8
)

// Evaluate says where the schedule is at now.
//
// Local times follow the zone's DST rules as resolveLocal describes (a start inside the
// spring-forward gap moves later by the gap; a repeated fall-back time is its first instant).
// drainDuration is real elapsed time, so a window that spans a DST change is an hour shorter
// or longer in real time while its wall-clock start and end stay put.
func (s Schedule) Evaluate(now time.Time) WindowState {
	occs := s.occurrences(now)
	// Open wins over Draining: when a window starts right as another ends, pods stay.
	for _, o := range occs {
		if !now.Before(o.start) && now.Before(o.end) {
			return WindowState{Phase: PhaseOpen, Window: o.window, DrainDeadline: o.drainBy, Next: o.end, NextAction: ActionDrain}
		}
	}
	nextStart, hasNext := firstStartAfter(occs, now)
	for _, o := range occs {
		if !now.Before(o.end) && now.Before(o.drainBy) {
			st := WindowState{Phase: PhaseDraining, Window: o.window, DrainDeadline: o.drainBy, Next: o.drainBy, NextAction: ActionExpire}
			if hasNext && nextStart.Before(o.drainBy) {
				st.Next, st.NextAction = nextStart, ActionStart
			}
			return st
		}
	}
	st := WindowState{Phase: PhaseClosed}
	if hasNext {
		st.Next, st.NextAction = nextStart, ActionStart
	}
	return st
}

func firstStartAfter(occs []occurrence, now time.Time) (time.Time, bool) {
	for _, o := range occs { // sorted by start
		if o.start.After(now) {
			return o.start, true
		}
	}
	return time.Time{}, false
}

func (s Schedule) occurrences(now time.Time) []occurrence {
	local := now.In(s.Location)
	y, m, d := local.Date()
	var out []occurrence
	for off := -lookBackDays; off <= lookAheadDays; off++ {
		// The weekday of a civil date does not depend on the zone; computing it at noon UTC
		// keeps DST out of it.
		day := time.Date(y, m, d+off, 12, 0, 0, 0, time.UTC)
		for _, w := range s.Windows {
			if !startsOn(w, day.Weekday()) {
				continue
			}
			start := at(day, w.Start, 0, s.Location)
			endDay := 0
			if w.CrossesMidnight {
				endDay = 1
			}
			end := at(day, w.End, endDay, s.Location)
			out = append(out, occurrence{window: w.Name, start: start, end: end, drainBy: end.Add(w.Drain)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start.Before(out[j].start) })
	return out
}

func startsOn(w Window, wd time.Weekday) bool {
	if len(w.Days) == 0 {
		return true
	}
	for _, d := range w.Days {
		if d == wd {
			return true
		}
	}
	return false
}

// at is the instant of minute-of-day min on the civil date day (+addDays) in loc.
func at(day time.Time, min, addDays int, loc *time.Location) time.Time {
	d := time.Date(day.Year(), day.Month(), day.Day()+addDays, 0, 0, 0, 0, time.UTC)
	return resolveLocal(d.Year(), d.Month(), d.Day(), min/60, min%60, loc)
}

// resolveLocal turns a wall-clock time into an instant with the rules of java.time
// (ZonedDateTime.of), because time.Date leaves gaps and overlaps unspecified (and in practice
// resolves them differently for New York and Berlin):
//   - a wall time that happens twice (fall back) is its earlier instant;
//   - a wall time that never happens (spring forward) moves later by the length of the gap,
//     so 02:30 on the day New York jumps from 02:00 to 03:00 is 03:30 EDT.
func resolveLocal(y int, mo time.Month, d, h, mi int, loc *time.Location) time.Time {
	wall := time.Date(y, mo, d, h, mi, 0, 0, time.UTC)
	_, before := wall.Add(-36 * time.Hour).In(loc).Zone()
	_, after := wall.Add(36 * time.Hour).In(loc).Zone()
	var best time.Time
	for _, off := range []int{before, after} {
		c := wall.Add(-time.Duration(off) * time.Second)
		if sameWall(c.In(loc), wall) && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	if best.IsZero() { // in a gap: keep the offset from before the jump
		best = wall.Add(-time.Duration(before) * time.Second)
	}
	return best.In(loc)
}

func sameWall(t, wall time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := wall.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && t.Hour() == wall.Hour() && t.Minute() == wall.Minute()
}
