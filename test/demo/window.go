package demo

import "time"

// Window is the night pool's schedule window compressed into the run (UTC, whole minutes).
type Window struct {
	Start, End      time.Time
	Drain           time.Duration
	CrossesMidnight bool
}

// planWindow places a window that opens at the first minute boundary at least lead after
// now, stays open as long as the run allows after keeping room for the drain and some slack,
// at least one minute, and drains for drain. runEnd is when the demo stops.
func planWindow(now, runEnd time.Time, lead, drain, slack time.Duration) Window {
	now = now.UTC()
	start := now.Add(lead).Truncate(time.Minute)
	if start.Before(now.Add(lead)) {
		start = start.Add(time.Minute)
	}
	open := runEnd.Sub(start) - drain - slack
	open = open.Truncate(time.Minute)
	if open < time.Minute {
		open = time.Minute
	}
	end := start.Add(open)
	return Window{Start: start, End: end, Drain: drain, CrossesMidnight: end.Hour()*60+end.Minute() < start.Hour()*60+start.Minute()}
}
