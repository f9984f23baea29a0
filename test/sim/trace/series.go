package trace

import (
	"errors"
	"fmt"
	"time"
)

// Series is one node's online load at a fixed step.
type Series struct {
	Node string
	// Step is the time between two samples.
	Step time.Duration
	// CPUCores and MemoryMB are the node's capacity.
	CPUCores float64
	MemoryMB float64
	// CPU and Memory are the online share of the capacity in [0, 1], one value per step.
	// float32 keeps 200 nodes x 7 days x 10 s under 100 MB.
	CPU    []float32
	Memory []float32
}

// Len is the number of steps.
func (s *Series) Len() int { return len(s.CPU) }

// Duration is the time the series covers.
func (s *Series) Duration() time.Duration { return time.Duration(s.Len()) * s.Step }

// Validate rejects a series the simulator cannot replay.
func (s *Series) Validate() error {
	switch {
	case s.Step <= 0:
		return fmt.Errorf("node %q: step must be positive", s.Node)
	case s.CPUCores <= 0 || s.MemoryMB <= 0:
		return fmt.Errorf("node %q: capacity must be positive", s.Node)
	case len(s.CPU) != len(s.Memory):
		return fmt.Errorf("node %q: %d CPU samples but %d memory samples", s.Node, len(s.CPU), len(s.Memory))
	case len(s.CPU) == 0:
		return fmt.Errorf("node %q: no samples", s.Node)
	}
	for i := range s.CPU {
		if !(s.CPU[i] >= 0 && s.CPU[i] <= 1) || !(s.Memory[i] >= 0 && s.Memory[i] <= 1) {
			return fmt.Errorf("node %q: step %d outside [0, 1]", s.Node, i)
		}
	}
	return nil
}

// Truncate keeps the first n steps.
func (s *Series) Truncate(n int) {
	if n < len(s.CPU) {
		s.CPU, s.Memory = s.CPU[:n], s.Memory[:n]
	}
}

// Common checks that all series share one step and truncates them to the shortest, so the
// strategies are compared over the same time span on every node.
func Common(all []Series) error {
	if len(all) == 0 {
		return errors.New("no series")
	}
	shortest := all[0].Len()
	for i := range all {
		if err := all[i].Validate(); err != nil {
			return err
		}
		if all[i].Step != all[0].Step {
			return fmt.Errorf("node %q has step %s, node %q has %s", all[i].Node, all[i].Step, all[0].Node, all[0].Step)
		}
		shortest = min(shortest, all[i].Len())
	}
	for i := range all {
		all[i].Truncate(shortest)
	}
	return nil
}
