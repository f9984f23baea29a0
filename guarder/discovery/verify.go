package discovery

import "fmt"

// Verify re-reads the process behind id.PID and confirms it is still the recorded process:
// same start time (a reused pid always has a later one) and no marker of another container.
// Callers verify immediately before every signal.
func Verify(procRoot, hierarchy string, id Identity) (Process, error) {
	p, err := readProcess(procRoot, id.PID, hierarchy)
	if err != nil {
		return Process{}, err
	}
	if p.StartTicks != id.StartTicks {
		return Process{}, fmt.Errorf("%w: pid %d started at tick %d, recorded %d",
			ErrIdentityMismatch, id.PID, p.StartTicks, id.StartTicks)
	}
	// A process tied to its container only through its parent carries no marker of its own;
	// the start time already proves identity, a foreign marker disproves it.
	if p.InContainer() && p.ContainerID.String() != id.ContainerID {
		return Process{}, fmt.Errorf("%w: pid %d belongs to %s, recorded %s",
			ErrIdentityMismatch, id.PID, p.ContainerID, id.ContainerID)
	}
	if !p.InContainer() && id.ContainerID != "" {
		p.ContainerID, _ = ParseContainerID(id.ContainerID)
		p.Source = SourceParent
	}
	if p.State == 'Z' {
		return Process{}, fmt.Errorf("%w: pid %d is a zombie", ErrGone, id.PID)
	}
	return p, nil
}
