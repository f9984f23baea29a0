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
	groups := map[int][]int{} // pgid -> every live pid in it
	for _, p := range all {
		groups[p.PGID] = append(groups[p.PGID], p.PID)
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
		out = append(out, s.assemble(procs, groups, bootTime))
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

// assemble builds one container from every process tied to its id. groups maps each process
// group to the pids of all live processes in it (of the whole /proc, not only containers).
func (s Scanner) assemble(marked []Process, groups map[int][]int, bootTime time.Time) Container {
	sort.Slice(marked, func(i, j int) bool { return marked[i].PID < marked[j].PID })
	c := Container{ID: marked[0].ContainerID}
	members, launchers, leaderPID, dockerSeen := splitLaunchChain(marked)
	c.Launchers = launchers
	if len(members) == 0 {
		c.Unreachable = UnreachableNotLaunched
		if dockerSeen {
			c.Unreachable = UnreachableDockerRuntime
		}
		c.Classification = Classification{Framework: FrameworkUnknown, Role: RoleUnknown}
		return c
	}
	c.Processes = members
	pageSize := s.PageSize
	if pageSize == 0 {
		pageSize = int64(os.Getpagesize())
	}
	var oldest *Process
	for i := range members {
		p := &members[i]
		c.CPUTime += ticksToDuration(p.UTimeTicks + p.STimeTicks)
		c.RSSBytes += p.RSSPages * pageSize
		if oldest == nil || p.StartTicks < oldest.StartTicks {
			oldest = p
		}
		if p.PID == leaderPID {
			c.Leader = p
		}
	}
	c.StartTicks = oldest.StartTicks
	c.StartedAt = bootTime.Add(ticksToDuration(oldest.StartTicks))
	if c.Leader != nil {
		c.Session = c.Leader.Session
	}
	c.PGID = exclusiveGroup(members, c.Leader, groups)
	c.Main = chooseMain(members, c.Leader)
	if c.Main != nil {
		c.Classification = Classify(c.Main.Argv)
		c.HandlesSIGPWR = c.Main.Signals.HandlesSIGPWR()
	} else {
		c.Classification = Classification{Framework: FrameworkUnknown, Role: RoleUnknown}
	}
	return c
}

// splitLaunchChain separates a container's own processes from the NodeManager's launch
// chain and finds the leader of the session YARN created. A process is part of the launch
// chain when its command line has a launcher's shape (classifyLauncher), or when it is an
// ancestor of that session leader outside the session: whatever waits for the setsid child,
// whatever it is called, sits in the NM's session and process group. The session leader is
// the outermost member leading a session (a container process may start sessions of its
// own below it); among several, the oldest. marked must be sorted by pid. leader is -1 when
// no member leads a session.
func splitLaunchChain(marked []Process) (members, launchers []Process, leader int, docker bool) {
	byPID := make(map[int]*Process, len(marked))
	launcher := make(map[int]bool)
	for i := range marked {
		p := &marked[i]
		byPID[p.PID] = p
		if k := classifyLauncher(p.Argv); k != notLauncher {
			launcher[p.PID] = true
			docker = docker || k.docker()
		}
	}
	leadsSession := func(p *Process) bool { return p.PID == p.Session && !launcher[p.PID] }
	leader = -1
	for i := range marked {
		p := &marked[i]
		if !leadsSession(p) {
			continue
		}
		outermost := true
		for up, n := byPID[p.PPID], 0; up != nil && n < 64; up, n = byPID[up.PPID], n+1 {
			if leadsSession(up) {
				outermost = false
				break
			}
		}
		if outermost && (leader < 0 || p.StartTicks < byPID[leader].StartTicks) {
			leader = p.PID
		}
	}
	if leader >= 0 {
		l := byPID[leader]
		for up, n := byPID[l.PPID], 0; up != nil && n < 64; up, n = byPID[up.PPID], n+1 {
			if up.Session != l.Session {
				launcher[up.PID] = true
			}
		}
	}
	for _, p := range marked {
		if launcher[p.PID] {
			launchers = append(launchers, p)
		} else {
			members = append(members, p)
		}
	}
	return members, launchers, leader, docker
}

// exclusiveGroup returns the process group the container may be signalled through, or 0.
// The candidate is the leader's group (the session YARN created: YARN's own kill is
// kill(-pid) of the leader), else the one group every member shares once the leader has
// exited. It qualifies only when every live process in it is a member: a group that also
// holds the NM, a launcher or another container's process is never signalled as a whole.
func exclusiveGroup(members []Process, leader *Process, groups map[int][]int) int {
	pgid := 0
	if leader != nil {
		pgid = leader.PGID
	} else {
		pgid = members[0].PGID
		for _, p := range members[1:] {
			if p.PGID != pgid {
				return 0
			}
		}
	}
	if pgid <= 1 {
		return 0
	}
	isMember := make(map[int]bool, len(members))
	for _, p := range members {
		isMember[p.PID] = true
	}
	for _, pid := range groups[pgid] {
		if !isMember[pid] {
			return 0
		}
	}
	return pgid
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
