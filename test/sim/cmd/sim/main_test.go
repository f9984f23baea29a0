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
