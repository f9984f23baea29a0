package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRunWritesTablesAndChart(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "out.png")
	var out bytes.Buffer
	o := options{source: "synthetic", nodes: 3, days: 0.1, step: 30 * time.Second, seeds: []uint64{1, 2}, png: png, probe: 1, probeHours: 1}
	if err := run(o, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"Seed 1:", "Seed 2:", "All 2 seeds together", "| elastic-yarn |", "| caelus |", "| oracle | "} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Fatalf("chart not written: %v", err)
	}
}

func TestRunFromCSVDir(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for ts := 0; ts <= 3600; ts += 60 {
		b.WriteString(strconv.Itoa(ts) + ",30,30" + "\n")
	}
	for _, n := range []string{"a.csv", "b.csv"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	o := options{source: "csv", csvDir: dir, cpuCores: 96, memoryGiB: 384, step: 30 * time.Second, seeds: []uint64{1}}
	if err := run(o, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 nodes") {
		t.Fatalf("unexpected output:\n%s", out.String())
	}
	o.source = "nope"
	if err := run(o, &out); err == nil {
		t.Fatal("unknown source accepted")
	}
}

// TestCSVMaxGap: a collector outage of an hour is an error under the default -max-gap and
// is bridged when the flag allows it; nothing is dropped silently either way.
func TestCSVMaxGap(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for ts := 0; ts <= 7200; ts += 60 {
		if ts > 1800 && ts < 5400 {
			continue // an hour without samples
		}
		b.WriteString(strconv.Itoa(ts) + ",30,30\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	o := options{source: "csv", csvDir: dir, cpuCores: 96, memoryGiB: 384, step: 30 * time.Second, seeds: []uint64{1}, maxGap: 15 * time.Minute}
	err := run(o, &out)
	if err == nil || !strings.Contains(err.Error(), "gap from 1800s to 5400s is longer than 15m0s") {
		t.Fatalf("hour-long gap under -max-gap 15m: %v", err)
	}
	o.maxGap = 2 * time.Hour
	if err := run(o, &out); err != nil {
		t.Fatalf("hour-long gap under -max-gap 2h: %v", err)
	}
	if !strings.Contains(out.String(), "1 nodes, 2.0 hours") {
		t.Fatalf("bridged run does not cover the two hours:\n%s", out.String())
	}
}
