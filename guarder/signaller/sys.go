package signaller

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// Handle delivers signals to one process.
type Handle interface {
	// Signal sends sig; signal 0 tests that the process is alive.
	Signal(sig syscall.Signal) error
	Close() error
}

// Sys opens process handles and signals process groups. Tests substitute a recorder.
type Sys interface {
	Open(pid int) (Handle, error)
	KillGroup(pgid int, sig syscall.Signal) error
	// UsesPidfd reports whether handles are race-free pidfds.
	UsesPidfd() bool
}

// OSSys is the real implementation: pidfd where the kernel has it, kill(2) otherwise.
type OSSys struct{ pidfd bool }

// NewOSSys probes pidfd_open once on the calling process.
func NewOSSys() *OSSys {
	fd, err := unix.PidfdOpen(unix.Getpid(), 0)
	if err == nil {
		_ = unix.Close(fd)
		return &OSSys{pidfd: true}
	}
	return &OSSys{pidfd: false}
}

// UsesPidfd implements Sys.
func (s *OSSys) UsesPidfd() bool { return s.pidfd }

// Open implements Sys.
func (s *OSSys) Open(pid int) (Handle, error) {
	if pid <= 0 || pid == unix.Getpid() {
		return nil, errors.New("refusing to signal pid <= 0 or the guarder itself")
	}
	if !s.pidfd {
		return killHandle(pid), nil
	}
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return nil, err
	}
	return pidfdHandle(fd), nil
}

// KillGroup implements Sys. pgid <= 1 is refused (kill(-1) would signal every process we may
// signal, and group 1 is the pod's init), and so is the guarder's own group.
func (s *OSSys) KillGroup(pgid int, sig syscall.Signal) error {
	if pgid <= 1 || pgid == unix.Getpgrp() {
		return errors.New("refusing to signal process group <= 1 or the guarder's own group")
	}
	return unix.Kill(-pgid, sig)
}

type pidfdHandle int

func (h pidfdHandle) Signal(sig syscall.Signal) error {
	return unix.PidfdSendSignal(int(h), sig, nil, 0)
}

func (h pidfdHandle) Close() error { return unix.Close(int(h)) }

type killHandle int

func (h killHandle) Signal(sig syscall.Signal) error { return unix.Kill(int(h), sig) }
func (h killHandle) Close() error                    { return nil }
