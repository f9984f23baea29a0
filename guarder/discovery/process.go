package discovery

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Process is one process as seen in /proc, with what ties it to a YARN container.
type Process struct {
	Stat
	Argv []string
	// Cwd is empty when it could not be read (another user's process without CAP_SYS_PTRACE).
	Cwd         string
	ContainerID ContainerID
	Source      MarkerSource
	// Signals is filled for container processes only (reading status for every process on a
	// busy node would be wasted work).
	Signals SignalMasks
}

// InContainer reports whether the process was tied to a container.
func (p Process) InContainer() bool { return p.ContainerID != (ContainerID{}) }

// Identity names a process for its whole life: a pid alone may be reused after the process
// exits, the (pid, start time) pair may not. The container id guards against a recording error.
type Identity struct {
	PID         int    `json:"pid"`
	StartTicks  uint64 `json:"startTicks"`
	ContainerID string `json:"containerId"`
}

// Identity returns the process's identity.
func (p Process) Identity() Identity {
	return Identity{PID: p.PID, StartTicks: p.StartTicks, ContainerID: p.ContainerID.String()}
}

// ErrGone means the process no longer exists.
var ErrGone = errors.New("process is gone")

// ErrIdentityMismatch means the pid now belongs to another process (or another container).
var ErrIdentityMismatch = errors.New("pid now belongs to a different process")

// readProcess reads one /proc/<pid> directory. Missing files mean the process exited while we
// looked; that is reported as ErrGone so callers can skip it quietly.
func readProcess(procRoot string, pid int, hierarchy string) (Process, error) {
	dir := filepath.Join(procRoot, strconv.Itoa(pid))
	statData, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return Process{}, goneOr(err)
	}
	st, err := ParseStat(string(statData))
	if err != nil {
		return Process{}, err
	}
	if st.State == 'Z' {
		// A zombie has no environ or argv left and cannot be signalled usefully.
		return Process{}, fmt.Errorf("%w: pid %d is a zombie", ErrGone, pid)
	}
	p := Process{Stat: st}
	if cmdline, err := os.ReadFile(filepath.Join(dir, "cmdline")); err == nil {
		p.Argv = splitNul(cmdline)
	}
	if cg, err := os.ReadFile(filepath.Join(dir, "cgroup")); err == nil {
		if id, ok := containerFromCgroup(cg, hierarchy); ok {
			p.ContainerID, p.Source = id, SourceCgroup
			return p, nil
		}
	}
	// environ needs the same UID or CAP_SYS_PTRACE; an unreadable one is not an error.
	if env, err := os.ReadFile(filepath.Join(dir, "environ")); err == nil {
		if id, ok := containerFromEnviron(env); ok {
			p.ContainerID, p.Source = id, SourceEnviron
			return p, nil
		}
	}
	if id, ok := containerFromArgs(p.Argv); ok {
		p.ContainerID, p.Source = id, SourceArgv
		return p, nil
	}
	if cwd, err := os.Readlink(filepath.Join(dir, "cwd")); err == nil {
		p.Cwd = cwd
		if id, ok := FindContainerID(cwd); ok {
			p.ContainerID, p.Source = id, SourceCwd
		}
	}
	return p, nil
}

func readSignalMasks(procRoot string, pid int) (SignalMasks, error) {
	data, err := os.ReadFile(filepath.Join(procRoot, strconv.Itoa(pid), "status"))
	if err != nil {
		return SignalMasks{}, goneOr(err)
	}
	return ParseSignalMasks(string(data))
}

func goneOr(err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errESRCH) {
		return fmt.Errorf("%w: %v", ErrGone, err)
	}
	return err
}

func splitNul(b []byte) []string {
	b = bytes.TrimRight(b, "\x00")
	if len(b) == 0 {
		return nil
	}
	parts := bytes.Split(b, []byte{0})
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = string(p)
	}
	return out
}
