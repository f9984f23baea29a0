package plan

import (
	"fmt"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// DefaultDrainDuration applies when a window does not say (the CRD default is the same).
const DefaultDrainDuration = time.Hour

// Schedule is a parsed v1alpha1.ScheduleSpec.
type Schedule struct {
	Location *time.Location
	Windows  []Window
}

// Window is one parsed recurring window. Start and End are minutes after local midnight.
type Window struct {
	Name string
	// Days on which the window starts; empty means every day.
	Days            []time.Weekday
	Start, End      int
	CrossesMidnight bool
	Drain           time.Duration
}

var weekdays = map[v1alpha1.Weekday]time.Weekday{
	"Sun": time.Sunday, "Mon": time.Monday, "Tue": time.Tuesday, "Wed": time.Wednesday,
	"Thu": time.Thursday, "Fri": time.Friday, "Sat": time.Saturday,
}

// InvalidScheduleError is a spec problem CEL cannot catch (an unknown time zone); the
// reconciler reports it as SpecValid=False instead of retrying.
type InvalidScheduleError struct {
	Reason  string
	Message string
}

func (e *InvalidScheduleError) Error() string { return e.Message }

// Reasons of InvalidScheduleError, used as condition reasons.
const (
	ReasonInvalidTimeZone = "InvalidTimeZone"
	ReasonInvalidWindow   = "InvalidWindow"
)

// ParseSchedule checks and converts a schedule. Time zones come from the system tz database
// (or Go's embedded copy when the binary imports time/tzdata).
func ParseSchedule(spec *v1alpha1.ScheduleSpec) (Schedule, error) {
	if spec == nil {
		return Schedule{}, &InvalidScheduleError{Reason: ReasonInvalidWindow, Message: "mode Scheduled needs a schedule"}
	}
	zone := spec.TimeZone
	if zone == "" {
		zone = "UTC"
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return Schedule{}, &InvalidScheduleError{Reason: ReasonInvalidTimeZone, Message: fmt.Sprintf("time zone %q: %v", zone, err)}
	}
	s := Schedule{Location: loc}
	for i, w := range spec.Windows {
		pw, err := parseWindow(w)
		if err != nil {
			return Schedule{}, &InvalidScheduleError{Reason: ReasonInvalidWindow, Message: fmt.Sprintf("window %d (%s): %v", i, w.Name, err)}
		}
		s.Windows = append(s.Windows, pw)
	}
	if len(s.Windows) == 0 {
		return Schedule{}, &InvalidScheduleError{Reason: ReasonInvalidWindow, Message: "schedule has no windows"}
	}
	return s, nil
}

func parseWindow(w v1alpha1.Window) (Window, error) {
	start, err := parseClock(w.Start)
	if err != nil {
		return Window{}, fmt.Errorf("start: %w", err)
	}
	end, err := parseClock(w.End)
	if err != nil {
		return Window{}, fmt.Errorf("end: %w", err)
	}
	if start == end {
		return Window{}, fmt.Errorf("start and end are both %s", w.Start)
	}
	if w.CrossesMidnight != (end < start) {
		return Window{}, fmt.Errorf("end %s before start %s needs crossesMidnight (and only then)", w.End, w.Start)
	}
	pw := Window{Name: w.Name, Start: start, End: end, CrossesMidnight: w.CrossesMidnight, Drain: DefaultDrainDuration}
	if w.DrainDuration != nil {
		if w.DrainDuration.Duration < 0 {
			return Window{}, fmt.Errorf("negative drainDuration")
		}
		pw.Drain = w.DrainDuration.Duration
	}
	for _, d := range w.Days {
		wd, ok := weekdays[d]
		if !ok {
			return Window{}, fmt.Errorf("unknown day %q", d)
		}
		pw.Days = append(pw.Days, wd)
	}
	return pw, nil
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}
