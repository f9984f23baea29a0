// Package sigrec is a signaller.Sys that records signals instead of sending them, for tests
// on prepared /proc trees (fakeproc), where the pids belong to no real process.
package sigrec

import (
	"fmt"
	"sync"
	"syscall"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

// Recorder records "pid <pid> <SIG>" and "group <pgid> <SIG>" lines (SIG as PWR, TERM, KILL).
// Signal 0 (the liveness probe) always succeeds and is not recorded.
type Recorder struct {
	mu   sync.Mutex
	sent []string
}

type handle struct {
	r   *Recorder
	pid int
}

// Open implements signaller.Sys.
func (r *Recorder) Open(pid int) (signaller.Handle, error) { return handle{r, pid}, nil }

// UsesPidfd implements signaller.Sys.
func (r *Recorder) UsesPidfd() bool { return true }

// KillGroup implements signaller.Sys.
func (r *Recorder) KillGroup(pgid int, sig syscall.Signal) error {
	r.add(fmt.Sprintf("group %d %s", pgid, Name(sig)))
	return nil
}

func (h handle) Signal(sig syscall.Signal) error {
	if sig != 0 {
		h.r.add(fmt.Sprintf("pid %d %s", h.pid, Name(sig)))
	}
	return nil
}

func (h handle) Close() error { return nil }

func (r *Recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, s)
}

// List returns what was sent, in order.
func (r *Recorder) List() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sent...)
}

// Name is the short signal name the lines use.
func Name(s syscall.Signal) string {
	switch s {
	case syscall.SIGPWR:
		return "PWR"
	case syscall.SIGTERM:
		return "TERM"
	case syscall.SIGKILL:
		return "KILL"
	}
	return s.String()
}
