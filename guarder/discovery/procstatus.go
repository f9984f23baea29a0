package discovery

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// sigPWR is SIGPWR's number on Linux (x86, arm64, ...). Signal n is bit n-1 of the masks.
const sigPWR = 30

// SignalMasks are the signal masks of /proc/<pid>/status.
type SignalMasks struct {
	// Caught (SigCgt): signals with a user-space handler installed.
	Caught uint64
	// Ignored (SigIgn): signals set to SIG_IGN.
	Ignored uint64
}

// HandlesSIGPWR reports whether the process has installed a SIGPWR handler. A JVM without one
// dies from SIGPWR at once (default action: terminate), skipping its shutdown hooks.
func (m SignalMasks) HandlesSIGPWR() bool { return m.Caught&(1<<(sigPWR-1)) != 0 }

// ParseSignalMasks reads SigCgt and SigIgn from the content of /proc/<pid>/status.
func ParseSignalMasks(status string) (SignalMasks, error) {
	var m SignalMasks
	var found int
	sc := bufio.NewScanner(strings.NewReader(status))
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *uint64
		switch key {
		case "SigCgt":
			dst = &m.Caught
		case "SigIgn":
			dst = &m.Ignored
		default:
			continue
		}
		v, err := strconv.ParseUint(strings.TrimSpace(value), 16, 64)
		if err != nil {
			return SignalMasks{}, fmt.Errorf("status %s: %w", key, err)
		}
		*dst = v
		found++
	}
	if found < 2 {
		return SignalMasks{}, fmt.Errorf("status: SigCgt/SigIgn missing")
	}
	return m, nil
}
