package trace

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CSVOptions say how to read per-node CSV files.
type CSVOptions struct {
	Step   time.Duration
	MaxGap time.Duration
	Window Window
	// CPUCores and MemoryMB are the capacity of every node (the CSV holds percentages only).
	CPUCores float64
	MemoryMB float64
}

// LoadCSV reads one node's online load.
//
// Format, one sample a line: `timestamp_seconds,cpu_percent,mem_percent`.
//   - timestamp_seconds: a number (integer or decimal), strictly increasing;
//   - cpu_percent, mem_percent: online use in percent of the node's capacity, in [0, 100];
//   - a first line that starts with a letter is a header and is skipped; so are empty lines
//     and lines starting with '#';
//   - fields may be surrounded by spaces; extra fields are an error (a wrong file, not a
//     wider format).
//
// Any other malformed line is an error naming the file and line: nothing is dropped silently.
// Gaps are handled by Resample (sample-and-hold up to MaxGap, an error beyond).
func LoadCSV(node string, r io.Reader, opt CSVOptions) (Series, error) {
	samples, err := parseCSV(node, r)
	if err != nil {
		return Series{}, err
	}
	return fromSamples(node, samples, opt)
}

// LoadCSVFile is LoadCSV on a file; the node is named after the file without extension.
func LoadCSVFile(path string, opt CSVOptions) (Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return Series{}, err
	}
	defer f.Close()
	node := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return LoadCSV(node, f, opt)
}

// LoadCSVDir loads every *.csv file of dir, one node each, in name order.
func LoadCSVDir(dir string, opt CSVOptions) ([]Series, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no *.csv files", dir)
	}
	sort.Strings(paths)
	out := make([]Series, 0, len(paths))
	for _, p := range paths {
		s, err := LoadCSVFile(p, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func parseCSV(node string, r io.Reader) ([]Sample, error) {
	sc := bufio.NewScanner(r)
	var samples []Sample
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if line == 1 && isLetter(text[0]) {
			continue // header
		}
		s, err := parseCSVLine(text)
		if err != nil {
			return nil, fmt.Errorf("node %q line %d: %w: %q", node, line, err, text)
		}
		if n := len(samples); n > 0 && s.T <= samples[n-1].T {
			return nil, fmt.Errorf("node %q line %d: timestamp %g is not after %g", node, line, s.T, samples[n-1].T)
		}
		samples = append(samples, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("node %q: %w", node, err)
	}
	if len(samples) == 0 {
		return nil, fmt.Errorf("node %q: no samples", node)
	}
	return samples, nil
}

func parseCSVLine(text string) (Sample, error) {
	fields := strings.Split(text, ",")
	if len(fields) != 3 {
		return Sample{}, fmt.Errorf("want 3 fields (timestamp_seconds,cpu_percent,mem_percent), got %d", len(fields))
	}
	var v [3]float64
	for i, name := range []string{"timestamp_seconds", "cpu_percent", "mem_percent"} {
		f, err := strconv.ParseFloat(strings.TrimSpace(fields[i]), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return Sample{}, fmt.Errorf("%s is not a finite number", name)
		}
		if i > 0 && (f < 0 || f > 100) {
			return Sample{}, fmt.Errorf("%s %g is outside [0, 100]", name, f)
		}
		v[i] = f
	}
	return Sample{T: v[0], CPU: v[1] / 100, Memory: v[2] / 100}, nil
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

func fromSamples(node string, samples []Sample, opt CSVOptions) (Series, error) {
	maxGap := opt.MaxGap
	if maxGap <= 0 {
		maxGap = DefaultMaxGap
	}
	cpu, mem, err := Resample(node, samples, opt.Window, opt.Step, maxGap)
	if err != nil {
		return Series{}, err
	}
	s := Series{Node: node, Step: opt.Step, CPUCores: opt.CPUCores, MemoryMB: opt.MemoryMB, CPU: cpu, Memory: mem}
	return s, s.Validate()
}
