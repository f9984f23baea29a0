package discovery

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultHierarchy is yarn.nodemanager.linux-container-executor.cgroups.hierarchy's default.
const DefaultHierarchy = "/hadoop-yarn"

// clockTicksPerSecond is USER_HZ. It is 100 on every Linux architecture Kubernetes runs on and
// is not exposed by /proc, so reading it would need cgo (sysconf).
const clockTicksPerSecond = 100

// Scanner finds YARN containers under a /proc root.
type Scanner struct {
	// ProcRoot is normally /proc; tests and benchmarks point it at a prepared tree.
	ProcRoot string
	// Hierarchy is the YARN cgroup hierarchy (DefaultHierarchy if empty).
	Hierarchy string
	// PageSize converts RSS pages to bytes (os.Getpagesize() if zero).
	PageSize int64
}

func (s Scanner) hierarchy() string {
	if s.Hierarchy == "" {
		return DefaultHierarchy
	}
	return s.Hierarchy
}

// Verify re-checks id against this scanner's /proc root; see the package function Verify.
func (s Scanner) Verify(id Identity) (Process, error) {
	return Verify(s.ProcRoot, s.hierarchy(), id)
}

// Scan reads every process once and groups those belonging to YARN containers. Processes that
// exit during the scan are skipped. The result is sorted by container id.
func (s Scanner) Scan() ([]Container, error) {
	bootTime, err := s.bootTime()
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(s.ProcRoot)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.ProcRoot, err)
	}
	all := make(map[int]*Process, len(entries))
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		p, err := readProcess(s.ProcRoot, pid, s.hierarchy())
		if err != nil {
			// Gone or unreadable: neither can be acted upon, and one odd process must not
			// stop the guarder from seeing the others.
			continue
		}
		all[pid] = &p
	}
	inheritFromAncestors(all)

	byID := map[string][]Process{}
	for _, p := range all {
		if !p.InContainer() {
			continue
		}
		if masks, err := readSignalMasks(s.ProcRoot, p.PID); err == nil {
			p.Signals = masks
		}
		byID[p.ContainerID.String()] = append(byID[p.ContainerID.String()], *p)
	}
	out := make([]Container, 0, len(byID))
	for _, procs := range byID {
		out = append(out, s.assemble(procs, bootTime))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID.String() < out[j].ID.String() })
	return out, nil
}

// inheritFromAncestors ties unmarked processes to the container of their nearest marked
// ancestor.
func inheritFromAncestors(all map[int]*Process) {
	for _, p := range all {
		if p.InContainer() {
			continue
		}
		seen := 0
		for parent := all[p.PPID]; parent != nil && seen < 64; parent = all[parent.PPID] {
			seen++
			if parent.InContainer() && parent.Source != SourceParent {
				p.ContainerID, p.Source = parent.ContainerID, SourceParent
				break
			}
		}
	}
}

func (s Scanner) assemble(procs []Process, bootTime time.Time) Container {
	sort.Slice(procs, func(i, j int) bool { return procs[i].PID < procs[j].PID })
	c := Container{ID: procs[0].ContainerID, Processes: procs}
	members := make(map[int]bool, len(procs))
	for _, p := range procs {
		members[p.PID] = true
	}
	pageSize := s.PageSize
	if pageSize == 0 {
		pageSize = int64(os.Getpagesize())
	}
	var oldest *Process
	for i := range procs {
		p := &procs[i]
		c.CPUTime += ticksToDuration(p.UTimeTicks + p.STimeTicks)
		c.RSSBytes += p.RSSPages * pageSize
		if oldest == nil || p.StartTicks < oldest.StartTicks {
			oldest = p
		}
		// The leader is a group leader whose parent is outside the container (the NM or
		// container-executor); a child that made its own group is not the launch process.
		if p.PID == p.PGID && !members[p.PPID] && (c.Leader == nil || p.StartTicks < c.Leader.StartTicks) {
			c.Leader = p
		}
	}
	c.StartTicks = oldest.StartTicks
	c.StartedAt = bootTime.Add(ticksToDuration(oldest.StartTicks))
	if c.Leader != nil {
		c.PGID = c.Leader.PGID
	} else {
		c.PGID = oldest.PGID
	}
	c.Main = chooseMain(procs, c.Leader)
	if c.Main != nil {
		c.Classification = Classify(c.Main.Argv)
		c.HandlesSIGPWR = c.Main.Signals.HandlesSIGPWR()
	} else {
		c.Classification = Classification{Framework: FrameworkUnknown, Role: RoleUnknown}
	}
	return c
}

// chooseMain picks the JVM: a process with a known main class first, then any java process,
// then the leader itself.
func chooseMain(procs []Process, leader *Process) *Process {
	for i := range procs {
		if Classify(procs[i].Argv).Framework != FrameworkUnknown {
			return &procs[i]
		}
	}
	for i := range procs {
		if IsJava(procs[i].Argv) {
			return &procs[i]
		}
	}
	return leader
}

func ticksToDuration(t uint64) time.Duration {
	return time.Duration(t) * time.Second / clockTicksPerSecond
}

// bootTime reads btime from <procRoot>/stat; start times are ticks after boot.
func (s Scanner) bootTime() (time.Time, error) {
	f, err := os.Open(filepath.Join(s.ProcRoot, "stat"))
	if err != nil {
		return time.Time{}, fmt.Errorf("boot time: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "btime "); ok {
			secs, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return time.Time{}, fmt.Errorf("boot time: %w", err)
			}
			return time.Unix(secs, 0), nil
		}
	}
	return time.Time{}, errors.New("boot time: no btime line in stat")
}
