package signaller

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

func TestOSSysRefusesDangerousTargets(t *testing.T) {
	s := NewOSSys()
	if !s.UsesPidfd() {
		t.Log("pidfd unavailable on this kernel: kill(2) fallback in use")
	}
	if _, err := s.Open(unix.Getpid()); err == nil {
		t.Fatal("opened the guarder itself")
	}
	if _, err := s.Open(0); err == nil {
		t.Fatal("opened pid 0")
	}
	for _, pgid := range []int{-1, 0, 1, unix.Getpgrp()} {
		if err := s.KillGroup(pgid, syscall.Signal(0)); err == nil {
			t.Fatalf("signalled group %d", pgid)
		}
	}
}
