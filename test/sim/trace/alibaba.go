package trace

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// AlibabaOptions say how to map Alibaba cluster-trace-v2018 machine_usage rows to online load.
//
// Mapping (see docs/reference/alibaba-trace.md for the format):
//   - cpu_util_percent is the whole machine's use, online (Sigma) and batch (Fuxi) together.
//     The trace does not split them, so we treat all of it as *online* (non-BE) load: the
//     existing colocated batch is a tenant that does not yield to YARN. This is conservative
//     (it leaves YARN less than the machine would give if Fuxi's share were reclaimable).
//   - mem_util_percent sits near 90 % on every machine, even on nearly idle ones (m_1933 at 5 %
//     CPU shows 92 %): it is dominated by memory that does not follow load (page cache,
//     pre-sized heaps). Taken as online memory it would leave no batch memory and put every
//     node above Koordinator's 70 % eviction threshold before YARN runs anything. We keep its
//     variation but scale it by MemoryScale (default 0.35, i.e. about 32 % online memory, like
//     the synthetic RAM-rich nodes), so the replay tests CPU volatility, not a memory wall.
//   - machine_meta gives cpu_num 96 and mem_size 100 (normalised); we assume 384 GiB.
//   - Columns after mem_util_percent (mem_gps, mkpi, net, disk) are ignored but must exist:
//     a row with a different field count is an error. Rows of machines not in Machines are
//     skipped on purpose (the file holds consecutive machine blocks).
type AlibabaOptions struct {
	Step     time.Duration
	MaxGap   time.Duration
	Window   Window
	Machines []string
	// MemoryScale multiplies mem_util_percent to get online memory.
	MemoryScale float64
	CPUCores    float64
	MemoryMB    float64
}

// DefaultAlibabaOptions replay the gap-free part of the sample: ts in [161000, 691200) on the
// 14 machines m_1933 ... m_1946 (docs/reference/alibaba-trace.md, "Coverage and gaps"), about
// 6.1 days. We measured gaps there up to 15 min on most machines and one of 20.3 min
// on m_1944 (ts 409560 to 410780), so the adapter bridges gaps up to AlibabaMaxGap by holding
// the last sample.
func DefaultAlibabaOptions(step time.Duration) AlibabaOptions {
	machines := make([]string, 0, 14)
	for id := 1933; id <= 1946; id++ {
		machines = append(machines, fmt.Sprintf("m_%d", id))
	}
	return AlibabaOptions{
		Step: step, MaxGap: AlibabaMaxGap, Window: Window{Start: 161000, End: 691200},
		Machines: machines, MemoryScale: 0.35, CPUCores: 96, MemoryMB: 384 * 1024,
	}
}

// AlibabaMaxGap bridges the longest gap of the default window (20.3 min).
const AlibabaMaxGap = 25 * time.Minute

// LoadAlibabaFile reads a machine_usage CSV, gzipped when the name ends in .gz.
func LoadAlibabaFile(path string, opt AlibabaOptions) ([]Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	return LoadAlibaba(r, opt)
}

// LoadAlibaba reads machine_usage rows and returns one series per wanted machine, in the
// order of opt.Machines.
func LoadAlibaba(r io.Reader, opt AlibabaOptions) ([]Series, error) {
	if opt.MemoryScale <= 0 || opt.MemoryScale > 1 {
		return nil, fmt.Errorf("memory scale %g must be in (0, 1]", opt.MemoryScale)
	}
	wanted := make(map[string][]Sample, len(opt.Machines))
	for _, m := range opt.Machines {
		wanted[m] = nil
	}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Split(sc.Text(), ",")
		if len(fields) != 9 {
			return nil, fmt.Errorf("machine_usage line %d: want 9 fields, got %d", line, len(fields))
		}
		samples, ok := wanted[fields[0]]
		if !ok {
			continue
		}
		s, err := parseAlibabaRow(fields, opt.MemoryScale)
		if err != nil {
			return nil, fmt.Errorf("machine_usage line %d: %w", line, err)
		}
		if n := len(samples); n > 0 && s.T <= samples[n-1].T {
			return nil, fmt.Errorf("machine_usage line %d: %s timestamp %g is not after %g", line, fields[0], s.T, samples[n-1].T)
		}
		wanted[fields[0]] = append(samples, s)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	out := make([]Series, 0, len(opt.Machines))
	for _, m := range opt.Machines {
		if len(wanted[m]) == 0 {
			return nil, fmt.Errorf("machine %s: no rows", m)
		}
		s, err := fromSamples(m, wanted[m], CSVOptions{Step: opt.Step, MaxGap: opt.MaxGap, Window: opt.Window, CPUCores: opt.CPUCores, MemoryMB: opt.MemoryMB})
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func parseAlibabaRow(fields []string, memScale float64) (Sample, error) {
	ts, err := strconv.ParseFloat(fields[1], 64)
	if err != nil {
		return Sample{}, fmt.Errorf("time_stamp %q is not a number", fields[1])
	}
	cpu, err := percent(fields[2], "cpu_util_percent")
	if err != nil {
		return Sample{}, err
	}
	mem, err := percent(fields[3], "mem_util_percent")
	if err != nil {
		return Sample{}, err
	}
	return Sample{T: ts, CPU: cpu / 100, Memory: mem / 100 * memScale}, nil
}

func percent(field, name string) (float64, error) {
	v, err := strconv.ParseFloat(field, 64)
	if err != nil || v < 0 || v > 100 {
		return 0, fmt.Errorf("%s %q is not a number in [0, 100]", name, field)
	}
	return v, nil
}
