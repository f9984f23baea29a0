// Package fakeproc writes a prepared /proc tree under a directory, for tests and benchmarks
// that need exact control over pids, start times and container markers (pid reuse cannot be
// produced on demand with real processes).
package fakeproc

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// BootTime is the btime every fake tree reports (Unix seconds).
const BootTime = 1_700_000_000

// Proc describes one fake process.
type Proc struct {
	PID, PPID, PGID int
	// SID is the session id (PGID if zero).
	SID          int
	Comm         string
	State        byte // 'S' if zero
	StartTicks   uint64
	UTime, STime uint64
	RSSPages     int64
	Argv         []string
	Env          []string
	// Cgroup is the full content of /proc/<pid>/cgroup ("0::/" if empty).
	Cgroup string
	SigCgt uint64
}

// Tree is a fake /proc root.
type Tree struct{ Root string }

// New creates the root with a stat file carrying btime.
func New(root string) (*Tree, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	stat := fmt.Sprintf("cpu  1 2 3 4 5 6 7 0 0 0\nbtime %d\nprocesses 1\n", BootTime)
	if err := os.WriteFile(filepath.Join(root, "stat"), []byte(stat), 0o644); err != nil {
		return nil, err
	}
	return &Tree{Root: root}, nil
}

// Write creates or replaces the files of p.
func (t *Tree) Write(p Proc) error {
	dir := filepath.Join(t.Root, strconv.Itoa(p.PID))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	state := p.State
	if state == 0 {
		state = 'S'
	}
	sid := p.SID
	if sid == 0 {
		sid = p.PGID
	}
	comm := p.Comm
	if comm == "" {
		comm = "proc"
	}
	// Fields 3..24 of /proc/<pid>/stat, then a realistic tail.
	stat := fmt.Sprintf("%d (%s) %c %d %d %d 0 -1 4194304 100 0 0 0 %d %d 0 0 20 0 1 0 %d 1000000 %d 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n",
		p.PID, comm, state, p.PPID, p.PGID, sid, p.UTime, p.STime, p.StartTicks, p.RSSPages)
	cgroup := p.Cgroup
	if cgroup == "" {
		cgroup = "0::/\n"
	}
	status := fmt.Sprintf("Name:\t%s\nState:\t%c (sleeping)\nPid:\t%d\nPPid:\t%d\nSigQ:\t0/127431\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nSigCgt:\t%016x\n",
		comm, state, p.PID, p.PPID, p.SigCgt)
	files := map[string]string{
		"stat":    stat,
		"cmdline": nulJoin(p.Argv),
		"environ": nulJoin(p.Env),
		"cgroup":  cgroup,
		"status":  status,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Remove deletes a process, as if it exited.
func (t *Tree) Remove(pid int) error {
	return os.RemoveAll(filepath.Join(t.Root, strconv.Itoa(pid)))
}

func nulJoin(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "\x00") + "\x00"
}

// SigPWRMask is the SigCgt bit of SIGPWR (signal 30), as a JVM with Spark's handler shows it.
const SigPWRMask = uint64(1) << 29

// YarnContainer writes a wrapper + JVM pair for containerID with pids wrapperPID and
// wrapperPID+1, marked the way a LinuxContainerExecutor with cgroups marks them (cgroup v2 path
// under hierarchy) and through CONTAINER_ID.
func (t *Tree) YarnContainer(containerID string, wrapperPID int, startTicks uint64, mainClass string, handlesPWR bool) error {
	cgroup := "0::/kubepods/besteffort/pod1/nm/hadoop-yarn/" + containerID + "\n"
	env := []string{"CONTAINER_ID=" + containerID, "HOME=/home/yarn"}
	dir := "/data/yarn/local/usercache/u/appcache/application_x/" + containerID
	if err := t.Write(Proc{
		PID: wrapperPID, PPID: 1, PGID: wrapperPID, Comm: "bash", StartTicks: startTicks,
		Argv: []string{"/bin/bash", "-c", dir + "/launch_container.sh"}, Env: env, Cgroup: cgroup,
		SigCgt: 0x10002, RSSPages: 800,
	}); err != nil {
		return err
	}
	var jvmCgt uint64 = 0x1000004a03
	if handlesPWR {
		jvmCgt |= SigPWRMask
	}
	return t.Write(Proc{
		PID: wrapperPID + 1, PPID: wrapperPID, PGID: wrapperPID, Comm: "java", StartTicks: startTicks + 1,
		UTime: 5000, STime: 300, RSSPages: 250000,
		Argv: []string{"/usr/lib/jvm/bin/java", "-Xmx4g", "-Djava.io.tmpdir=" + dir + "/tmp", mainClass, "--executor-id", "1"},
		Env:  env, Cgroup: cgroup, SigCgt: jvmCgt,
	})
}
