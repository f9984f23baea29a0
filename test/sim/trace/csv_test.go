package trace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var csvOpt = CSVOptions{Step: 10 * time.Second, MaxGap: time.Minute, CPUCores: 96, MemoryMB: 1024}

func TestLoadCSV(t *testing.T) {
	in := `timestamp_seconds,cpu_percent,mem_percent
# comment
0,10,20

15, 50.5 ,30
30,100,0
`
	s, err := LoadCSV("n1", strings.NewReader(in), csvOpt)
	if err != nil {
		t.Fatal(err)
	}
	// Steps at 0,10,20,30 (the last sample's step ends the series): sample-and-hold.
	wantCPU := []float32{0.10, 0.10, 0.505, 1.0}
	if len(s.CPU) != len(wantCPU) {
		t.Fatalf("got %d steps, want %d", len(s.CPU), len(wantCPU))
	}
	for i, w := range wantCPU {
		if d := s.CPU[i] - w; d > 1e-6 || d < -1e-6 {
			t.Errorf("step %d: cpu %g, want %g", i, s.CPU[i], w)
		}
	}
	if s.Node != "n1" || s.CPUCores != 96 || s.Memory[2] != 0.30 {
		t.Fatalf("unexpected series %+v", s)
	}
}

func TestLoadCSVRejectsMalformedLines(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"too few fields", "0,10\n", "line 1: want 3 fields"},
		{"too many fields", "0,10,20\n10,1,2,3\n", "line 2: want 3 fields"},
		{"not a number", "0,10,20\n10,abc,20\n", "line 2: cpu_percent is not a finite number"},
		{"NaN", "0,NaN,20\n", "cpu_percent is not a finite number"},
		{"out of range", "0,10,20\n10,101,20\n", "line 2: cpu_percent 101 is outside [0, 100]"},
		{"negative memory", "0,10,-1\n", "mem_percent -1 is outside [0, 100]"},
		{"timestamp not increasing", "0,10,20\n10,10,20\n10,10,20\n", "line 3: timestamp 10 is not after 10"},
		{"header not first", "0,10,20\nts,cpu,mem\n", "line 2: timestamp_seconds is not a finite number"},
		{"empty", "# nothing\n", "no samples"},
		{"gap longer than MaxGap", "0,10,20\n100,10,20\n", "gap from 0s to 100s is longer than 1m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadCSV("n1", strings.NewReader(tt.in), csvOpt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), `"n1"`) {
				t.Fatalf("error %v does not name the node", err)
			}
		})
	}
}

func TestLoadCSVWindowSkipsAGap(t *testing.T) {
	in := "0,10,20\n10,10,20\n500,30,20\n510,40,20\n520,50,20\n"
	if _, err := LoadCSV("n1", strings.NewReader(in), csvOpt); err == nil {
		t.Fatal("a 490 s gap was bridged")
	}
	opt := csvOpt
	opt.Window = Window{Start: 500, End: 530}
	s, err := LoadCSV("n1", strings.NewReader(in), opt)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 || s.CPU[0] != 0.30 || s.CPU[2] != 0.50 {
		t.Fatalf("window: %+v", s.CPU)
	}
	opt.Window = Window{Start: -10, End: 20}
	if _, err := LoadCSV("n1", strings.NewReader(in), opt); err == nil || !strings.Contains(err.Error(), "no sample at or before") {
		t.Fatalf("window before the first sample: %v", err)
	}
}

func TestLoadCSVDir(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"b.csv": "0,1,2\n10,3,4\n", "a.csv": "0,5,6\n10,7,8\n", "notes.txt": "x"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	all, err := LoadCSVDir(dir, csvOpt)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Node != "a" || all[1].Node != "b" {
		t.Fatalf("got %d series: %+v", len(all), all)
	}
}

func TestCommonTruncatesToTheShortest(t *testing.T) {
	a := Series{Node: "a", Step: time.Second, CPUCores: 1, MemoryMB: 1, CPU: make([]float32, 5), Memory: make([]float32, 5)}
	b := Series{Node: "b", Step: time.Second, CPUCores: 1, MemoryMB: 1, CPU: make([]float32, 3), Memory: make([]float32, 3)}
	all := []Series{a, b}
	if err := Common(all); err != nil || all[0].Len() != 3 {
		t.Fatalf("err %v len %d", err, all[0].Len())
	}
	b.Step = 2 * time.Second
	if err := Common([]Series{a, b}); err == nil {
		t.Fatal("mixed steps accepted")
	}
}
