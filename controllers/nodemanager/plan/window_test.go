package plan

import (
	"errors"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func mustSchedule(t *testing.T, zone string, windows ...v1alpha1.Window) Schedule {
	t.Helper()
	s, err := ParseSchedule(&v1alpha1.ScheduleSpec{TimeZone: zone, Windows: windows})
	if err != nil {
		t.Fatalf("ParseSchedule: %v", err)
	}
	return s
}

func drain(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }

// local builds an instant from a wall-clock string in loc ("2006-01-02 15:04").
func local(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseScheduleErrors(t *testing.T) {
	cases := []struct {
		name   string
		spec   *v1alpha1.ScheduleSpec
		reason string
	}{
		{"nil", nil, ReasonInvalidWindow},
		{"bad zone", &v1alpha1.ScheduleSpec{TimeZone: "Mars/Olympus", Windows: []v1alpha1.Window{{Start: "00:00", End: "08:00"}}}, ReasonInvalidTimeZone},
		{"no windows", &v1alpha1.ScheduleSpec{TimeZone: "UTC"}, ReasonInvalidWindow},
		{"bad clock", &v1alpha1.ScheduleSpec{Windows: []v1alpha1.Window{{Start: "25:00", End: "08:00"}}}, ReasonInvalidWindow},
		{"equal", &v1alpha1.ScheduleSpec{Windows: []v1alpha1.Window{{Start: "08:00", End: "08:00"}}}, ReasonInvalidWindow},
		{"midnight unflagged", &v1alpha1.ScheduleSpec{Windows: []v1alpha1.Window{{Start: "22:00", End: "06:00"}}}, ReasonInvalidWindow},
		{"midnight flag wrong", &v1alpha1.ScheduleSpec{Windows: []v1alpha1.Window{{Start: "01:00", End: "06:00", CrossesMidnight: true}}}, ReasonInvalidWindow},
		{"bad day", &v1alpha1.ScheduleSpec{Windows: []v1alpha1.Window{{Start: "01:00", End: "06:00", Days: []v1alpha1.Weekday{"Funday"}}}}, ReasonInvalidWindow},
		{"negative drain", &v1alpha1.ScheduleSpec{Windows: []v1alpha1.Window{{Start: "01:00", End: "06:00", DrainDuration: drain(-time.Second)}}}, ReasonInvalidWindow},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSchedule(tc.spec)
			var ie *InvalidScheduleError
			if !errors.As(err, &ie) || ie.Reason != tc.reason {
				t.Fatalf("err = %v, want reason %s", err, tc.reason)
			}
		})
	}
	if s, err := ParseSchedule(&v1alpha1.ScheduleSpec{Windows: []v1alpha1.Window{{Start: "00:00", End: "08:00"}}}); err != nil || s.Location != time.UTC || s.Windows[0].Drain != DefaultDrainDuration {
		t.Fatalf("empty zone should mean UTC with the default drain: %+v %v", s, err)
	}
}

type evalCase struct {
	now        string
	phase      Phase
	next       string
	action     Action
	deadline   string // "" = zero
	windowName string
}

func runEval(t *testing.T, loc *time.Location, s Schedule, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.now, func(t *testing.T) {
			got := s.Evaluate(local(t, loc, tc.now))
			if got.Phase != tc.phase {
				t.Errorf("phase = %s, want %s", got.Phase, tc.phase)
			}
			if want := local(t, loc, tc.next); !got.Next.Equal(want) || got.NextAction != tc.action {
				t.Errorf("next = %s %s, want %s %s", got.Next.In(loc), got.NextAction, want, tc.action)
			}
			if tc.deadline != "" {
				if want := local(t, loc, tc.deadline); !got.DrainDeadline.Equal(want) {
					t.Errorf("deadline = %s, want %s", got.DrainDeadline.In(loc), want)
				}
			}
			if tc.windowName != "" && got.Window != tc.windowName {
				t.Errorf("window = %q, want %q", got.Window, tc.windowName)
			}
		})
	}
}

func TestEvaluateNightWindowShanghai(t *testing.T) {
	loc := mustLoc(t, "Asia/Shanghai")
	s := mustSchedule(t, "Asia/Shanghai", v1alpha1.Window{Name: "night", Start: "00:00", End: "08:00", DrainDuration: drain(time.Hour)})
	runEval(t, loc, s, []evalCase{
		{"2026-06-01 23:59", PhaseClosed, "2026-06-02 00:00", ActionStart, "", ""},
		{"2026-06-02 00:00", PhaseOpen, "2026-06-02 08:00", ActionDrain, "2026-06-02 09:00", "night"},
		{"2026-06-02 07:59", PhaseOpen, "2026-06-02 08:00", ActionDrain, "2026-06-02 09:00", "night"},
		{"2026-06-02 08:00", PhaseDraining, "2026-06-02 09:00", ActionExpire, "2026-06-02 09:00", "night"},
		{"2026-06-02 08:59", PhaseDraining, "2026-06-02 09:00", ActionExpire, "2026-06-02 09:00", ""},
		{"2026-06-02 09:00", PhaseClosed, "2026-06-03 00:00", ActionStart, "", ""},
		{"2026-06-02 15:00", PhaseClosed, "2026-06-03 00:00", ActionStart, "", ""},
	})
}

func TestEvaluateCrossesMidnight(t *testing.T) {
	loc := time.UTC
	s := mustSchedule(t, "UTC", v1alpha1.Window{Name: "late", Start: "22:00", End: "06:00", CrossesMidnight: true, DrainDuration: drain(30 * time.Minute), Days: []v1alpha1.Weekday{"Fri"}})
	// 2026-06-05 is a Friday: the window starts Friday 22:00 and ends Saturday 06:00.
	runEval(t, loc, s, []evalCase{
		{"2026-06-05 21:00", PhaseClosed, "2026-06-05 22:00", ActionStart, "", ""},
		{"2026-06-05 22:00", PhaseOpen, "2026-06-06 06:00", ActionDrain, "2026-06-06 06:30", "late"},
		{"2026-06-06 02:00", PhaseOpen, "2026-06-06 06:00", ActionDrain, "2026-06-06 06:30", "late"},
		{"2026-06-06 06:10", PhaseDraining, "2026-06-06 06:30", ActionExpire, "2026-06-06 06:30", ""},
		// Saturday night is not a start day: the next start is the next Friday.
		{"2026-06-06 06:30", PhaseClosed, "2026-06-12 22:00", ActionStart, "", ""},
		{"2026-06-06 23:00", PhaseClosed, "2026-06-12 22:00", ActionStart, "", ""},
		{"2026-06-07 01:00", PhaseClosed, "2026-06-12 22:00", ActionStart, "", ""},
	})
}

func TestEvaluateDays(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	s := mustSchedule(t, "Europe/Berlin",
		v1alpha1.Window{Name: "weekday", Start: "01:00", End: "05:00", Days: []v1alpha1.Weekday{"Mon", "Tue", "Wed", "Thu", "Fri"}, DrainDuration: drain(0)},
		v1alpha1.Window{Name: "weekend", Start: "00:00", End: "12:00", Days: []v1alpha1.Weekday{"Sat", "Sun"}, DrainDuration: drain(time.Hour)},
	)
	// 2026-06-05 Fri, 06 Sat, 07 Sun, 08 Mon.
	runEval(t, loc, s, []evalCase{
		{"2026-06-05 03:00", PhaseOpen, "2026-06-05 05:00", ActionDrain, "2026-06-05 05:00", "weekday"},
		// drainDuration 0: closed right at the end.
		{"2026-06-05 05:00", PhaseClosed, "2026-06-06 00:00", ActionStart, "", ""},
		{"2026-06-06 11:00", PhaseOpen, "2026-06-06 12:00", ActionDrain, "2026-06-06 13:00", "weekend"},
		{"2026-06-06 12:30", PhaseDraining, "2026-06-06 13:00", ActionExpire, "2026-06-06 13:00", "weekend"},
		{"2026-06-07 13:00", PhaseClosed, "2026-06-08 01:00", ActionStart, "", ""},
	})
}

func TestEvaluateDrainInterruptedByNextStart(t *testing.T) {
	loc := time.UTC
	s := mustSchedule(t, "UTC",
		v1alpha1.Window{Name: "a", Start: "00:00", End: "04:00", DrainDuration: drain(2 * time.Hour)},
		v1alpha1.Window{Name: "b", Start: "05:00", End: "07:00", DrainDuration: drain(time.Hour)},
		v1alpha1.Window{Name: "c", Start: "07:00", End: "09:00", DrainDuration: drain(time.Hour)},
	)
	runEval(t, loc, s, []evalCase{
		// a drains until 06:00 but b opens at 05:00 first.
		{"2026-06-01 04:30", PhaseDraining, "2026-06-01 05:00", ActionStart, "2026-06-01 06:00", "a"},
		{"2026-06-01 05:30", PhaseOpen, "2026-06-01 07:00", ActionDrain, "2026-06-01 08:00", "b"},
		// b ends exactly when c starts: open wins, no drain.
		{"2026-06-01 07:00", PhaseOpen, "2026-06-01 09:00", ActionDrain, "2026-06-01 10:00", "c"},
	})
}

func TestEvaluateDSTNewYork(t *testing.T) {
	loc := mustLoc(t, "America/New_York")
	s := mustSchedule(t, "America/New_York", v1alpha1.Window{Name: "w", Start: "01:30", End: "03:30", DrainDuration: drain(time.Hour)})
	// Spring forward 2026-03-08 02:00 EST -> 03:00 EDT: 01:30 EST to 03:30 EDT is one real hour.
	springStart := time.Date(2026, 3, 8, 6, 30, 0, 0, time.UTC) // 01:30 EST
	springEnd := time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)   // 03:30 EDT
	got := s.Evaluate(springStart.Add(30 * time.Minute))
	if got.Phase != PhaseOpen || !got.Next.Equal(springEnd) || !got.DrainDeadline.Equal(springEnd.Add(time.Hour)) {
		t.Errorf("spring forward: %+v", got)
	}
	if got := s.Evaluate(springStart.Add(-time.Minute)); !got.Next.Equal(springStart) || got.NextAction != ActionStart {
		t.Errorf("before spring start: %+v", got)
	}
	// Fall back 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice; the window starts at
	// the first (EDT) one and ends at 03:30 EST, three real hours later.
	fallStart := time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC) // 01:30 EDT
	fallEnd := time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC)   // 03:30 EST
	if got := s.Evaluate(fallStart.Add(-time.Minute)); !got.Next.Equal(fallStart) {
		t.Errorf("fall back start = %s, want %s", got.Next, fallStart)
	}
	if got := s.Evaluate(fallStart.Add(90 * time.Minute)); got.Phase != PhaseOpen || !got.Next.Equal(fallEnd) {
		t.Errorf("fall back: %+v want end %s", got, fallEnd)
	}
	// The day after, everything is back to one-hour offsets of EST.
	if got := s.Evaluate(time.Date(2026, 11, 2, 7, 0, 0, 0, time.UTC)); got.Phase != PhaseOpen || !got.Next.Equal(time.Date(2026, 11, 2, 8, 30, 0, 0, time.UTC)) {
		t.Errorf("day after fall back: %+v", got)
	}
	_ = loc
}

func TestEvaluateDSTBerlinGapAndOverlap(t *testing.T) {
	s := mustSchedule(t, "Europe/Berlin", v1alpha1.Window{Name: "w", Start: "02:30", End: "06:00", DrainDuration: drain(time.Hour)})
	// Spring forward 2026-03-29 02:00 CET -> 03:00 CEST: 02:30 does not exist and moves later
	// by the gap, to 03:30 CEST (01:30 UTC).
	gapStart := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
	if got := s.Evaluate(time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)); got.Phase != PhaseClosed || !got.Next.Equal(gapStart) {
		t.Errorf("gap: %+v want start %s", got, gapStart)
	}
	// Fall back 2026-10-25 03:00 CEST -> 02:00 CET: 02:30 happens twice; the first is 00:30 UTC.
	overlapStart := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)
	if got := s.Evaluate(time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC)); !got.Next.Equal(overlapStart) {
		t.Errorf("overlap: next = %s want %s", got.Next, overlapStart)
	}
	if got := s.Evaluate(overlapStart.Add(time.Hour)); got.Phase != PhaseOpen {
		t.Errorf("overlap second 02:30 must still be open: %+v", got)
	}
	// Same-wall-clock check for NY gap with Go's time.Date being different: our rule gives
	// 03:30 EDT for 02:30 on 2026-03-08.
	ny := mustLoc(t, "America/New_York")
	if got := resolveLocal(2026, 3, 8, 2, 30, ny); !got.Equal(time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)) {
		t.Errorf("NY gap resolved to %s", got)
	}
}

func TestEvaluateMidnightAcrossDST(t *testing.T) {
	// A 22:00-06:00 window on the night Berlin springs forward is 7 real hours long.
	s := mustSchedule(t, "Europe/Berlin", v1alpha1.Window{Start: "22:00", End: "06:00", CrossesMidnight: true, DrainDuration: drain(time.Hour)})
	start := time.Date(2026, 3, 28, 21, 0, 0, 0, time.UTC) // 22:00 CET
	got := s.Evaluate(start)
	if got.Phase != PhaseOpen || got.Next.Sub(start) != 7*time.Hour {
		t.Errorf("got %+v, want open for 7h", got)
	}
}
