package demo

import (
	"testing"
	"time"
)

func TestLoadModelDiurnal(t *testing.T) {
	m := LoadModel{DayLength: 24 * time.Minute, StartHour: 0}
	night := m.Online(1, 4*time.Minute)      // 04:00
	afternoon := m.Online(1, 16*time.Minute) // 16:00
	if night > 0.25 || afternoon < 0.45 || afternoon <= night {
		t.Fatalf("night %.2f afternoon %.2f", night, afternoon)
	}
	if got := m.Hour(30 * time.Minute); got < 5.99 || got > 6.01 {
		t.Fatalf("hour after 1.25 days = %.2f, want 6", got)
	}
	if m.Online(1, time.Minute) != m.Online(1, time.Minute) {
		t.Fatal("not deterministic")
	}
}

func TestLoadModelSpike(t *testing.T) {
	m := LoadModel{DayLength: 10 * time.Minute, Spikes: []Spike{{Node: 3, From: 0.5, To: 0.6}}}
	if got := m.Online(3, 5*time.Minute+30*time.Second); got != SpikeLevel {
		t.Fatalf("in spike: %.2f", got)
	}
	if got := m.Online(3, 7*time.Minute); got >= SpikeLevel {
		t.Fatalf("after spike: %.2f", got)
	}
	if got := m.Online(4, 5*time.Minute+30*time.Second); got >= SpikeLevel {
		t.Fatalf("other node: %.2f", got)
	}
}

func TestKoordletFor(t *testing.T) {
	k := KoordletFor(0.2, 32, 128<<30, 4)
	// 32*0.65 - 6.4 - 0.5 = 13.9 cores for the batch tier.
	if k.BESuppressCores < 13.89 || k.BESuppressCores > 13.91 {
		t.Fatalf("suppress %.2f", k.BESuppressCores)
	}
	if k.UsedCores < 10.89 || k.UsedCores > 10.91 {
		t.Fatalf("used %.2f", k.UsedCores)
	}
	if spike := KoordletFor(0.95, 32, 128<<30, 8); spike.BESuppressCores != 0 || spike.UsedCores > 32 {
		t.Fatalf("spike %+v", spike)
	}
}
