package trace

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestLoadAlibaba(t *testing.T) {
	in := strings.Join([]string{
		"m_1,0,40,90,,,43.04,33.08,5",
		"m_2,0,10,80,,,1,1,1",
		"m_1,60,50,92,1,2,43.05,33.08,-1",
		"m_9,0,99,99,,,1,1,1", // a machine not asked for: skipped on purpose
		"m_2,60,20,82,,,1,1,101",
	}, "\n")
	opt := AlibabaOptions{Step: 30 * time.Second, MaxGap: time.Minute, Window: Window{Start: 0, End: 120},
		Machines: []string{"m_2", "m_1"}, MemoryScale: 0.5, CPUCores: 96, MemoryMB: 1000}
	all, err := LoadAlibaba(strings.NewReader(in), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Node != "m_2" || all[1].Node != "m_1" {
		t.Fatalf("order: %+v", all)
	}
	m1 := all[1]
	if m1.Len() != 4 || m1.CPU[0] != 0.40 || m1.CPU[2] != 0.50 || m1.Memory[0] != 0.45 {
		t.Fatalf("m_1: cpu %v mem %v", m1.CPU, m1.Memory)
	}
}

func TestLoadAlibabaErrors(t *testing.T) {
	opt := AlibabaOptions{Step: 30 * time.Second, MaxGap: time.Minute, Machines: []string{"m_1"}, MemoryScale: 0.5, CPUCores: 96, MemoryMB: 1000}
	tests := []struct{ name, in, want string }{
		{"field count", "m_1,0,40,90\n", "line 1: want 9 fields, got 4"},
		{"cpu not a number", "m_1,0,x,90,,,1,1,1\n", "line 1: cpu_util_percent"},
		{"mem out of range", "m_1,0,40,190,,,1,1,1\n", "mem_util_percent"},
		{"time going back", "m_1,60,40,90,,,1,1,1\nm_1,0,40,90,,,1,1,1\n", "line 2: m_1 timestamp 0 is not after 60"},
		{"machine missing", "m_2,0,40,90,,,1,1,1\n", "machine m_1: no rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadAlibaba(strings.NewReader(tt.in), opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// sharedTrace finds shared/traces beside the repository: the Alibaba sample may not be
// redistributed, so it is not part of the module (docs/reference/alibaba-trace.md).
func sharedTrace(t *testing.T, rel string) string {
	_, file, _, _ := runtime.Caller(0)
	for dir := filepath.Dir(file); dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "..", "shared", "traces", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("shared/traces/%s not found beside the repository", rel)
	return ""
}

func TestLoadAlibabaSample(t *testing.T) {
	path := sharedTrace(t, "alibaba-v2018-machine-usage/machine_usage_head100k.csv.gz")
	all, err := LoadAlibabaFile(path, DefaultAlibabaOptions(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 14 {
		t.Fatalf("want 14 machines, got %d", len(all))
	}
	// [161000, 691200) at 30 s is 17673 steps.
	if got := all[0].Len(); got != 17673 {
		t.Fatalf("steps %d", got)
	}
	// The full window including the shared 5.5 h gap is refused, naming the gap.
	opt := DefaultAlibabaOptions(30 * time.Second)
	opt.Window.Start = 10000
	if _, err := LoadAlibabaFile(path, opt); err == nil || !strings.Contains(err.Error(), "gap from") {
		t.Fatalf("gap not reported: %v", err)
	}
}
