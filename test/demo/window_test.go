package demo

import (
	"testing"
	"time"
)

func TestPlanWindow(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2026, 11, 21, h, m, s, 0, time.UTC) }
	tests := []struct {
		name               string
		now, runEnd        time.Time
		wantStart, wantEnd time.Time
		wantCross          bool
	}{
		{"room for two open minutes", at(10, 0, 10), at(10, 5, 10), at(10, 1, 0), at(10, 3, 0), false},
		{"lead pushes to the next minute", at(10, 0, 55), at(10, 5, 55), at(10, 2, 0), at(10, 4, 0), false},
		{"short run still opens one minute", at(10, 0, 10), at(10, 1, 40), at(10, 1, 0), at(10, 2, 0), false},
		{"crosses midnight", at(23, 58, 30), at(0, 5, 0).Add(24 * time.Hour), at(23, 59, 0), at(0, 3, 0).Add(24 * time.Hour), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := planWindow(tt.now, tt.runEnd, 10*time.Second, time.Minute, 30*time.Second)
			if !w.Start.Equal(tt.wantStart) || !w.End.Equal(tt.wantEnd) || w.CrossesMidnight != tt.wantCross {
				t.Fatalf("got %s-%s cross=%v, want %s-%s cross=%v", w.Start, w.End, w.CrossesMidnight, tt.wantStart, tt.wantEnd, tt.wantCross)
			}
		})
	}
}
