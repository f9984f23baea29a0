package selection

import (
	"errors"
	"time"
)

// Candidate is one running container as the decision sees it.
type Candidate struct {
	ID string
	// VCores and MemoryMB are what YARN allocated to the container (NM REST).
	VCores   int64
	MemoryMB int64
	// GracefulCapable: it will be asked to leave with SIGPWR and so loses no work (a SIGPWR
	// handler is present and the signal policy allows SIGPWR; never under TermOnly).
	GracefulCapable bool
	StartedAt       time.Time
	AM              bool
	Streaming       bool
	// Priority is the YARN application priority (higher is more important; 0 by default).
	Priority int
	// Leaving: a signal was already sent; it counts as removed.
	Leaving bool
	// App is the YARN application id; Stage holds an AM back while its app's tasks remain.
	App string
}

// Target is the capacity the remaining containers must fit.
type Target struct {
	VCores   int64 `json:"vcores"`
	MemoryMB int64 `json:"memoryMB"`
}

// Usage is a sum of container allocations.
type Usage struct {
	VCores   int64 `json:"vcores"`
	MemoryMB int64 `json:"memoryMB"`
}

// Fits reports whether u is within t.
func (u Usage) Fits(t Target) bool { return u.VCores <= t.VCores && u.MemoryMB <= t.MemoryMB }

func (u Usage) minus(c Candidate) Usage {
	return Usage{VCores: u.VCores - c.VCores, MemoryMB: u.MemoryMB - c.MemoryMB}
}

// Weights tune the score (step 3 of the order in the package doc). Tier and priority are
// strict and not weighted: no score makes an AM go before an ordinary container.
type Weights struct {
	Graceful float64 `json:"graceful"`
	Youth    float64 `json:"youth"`
	Relief   float64 `json:"relief"`
	// YouthHalfLife is the runtime at which Youth is worth half.
	YouthHalfLife time.Duration `json:"youthHalfLife"`
}

// DefaultWeights prefer graceful exits over everything else (a decommissioning Spark
// executor loses nothing), then containers that cover the shortfall, then young ones.
func DefaultWeights() Weights {
	return Weights{Graceful: 4, Relief: 2, Youth: 1, YouthHalfLife: 30 * time.Minute}
}

// Validate rejects weights that would invert the meaning of a term.
func (w Weights) Validate() error {
	if w.Graceful < 0 || w.Youth < 0 || w.Relief < 0 {
		return errors.New("selection weights must not be negative")
	}
	if w.YouthHalfLife <= 0 {
		return errors.New("selection youth half-life must be positive")
	}
	return nil
}

// Tier is step 1 of the order.
type Tier int

const (
	TierOrdinary Tier = iota
	TierStreaming
	TierApplicationMaster
)

func (t Tier) String() string {
	switch t {
	case TierOrdinary:
		return "ordinary"
	case TierStreaming:
		return "streaming"
	default:
		return "applicationMaster"
	}
}

// MarshalText makes tiers readable in JSON plans.
func (t Tier) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

func tierOf(c Candidate) Tier {
	switch {
	case c.AM:
		return TierApplicationMaster
	case c.Streaming:
		return TierStreaming
	default:
		return TierOrdinary
	}
}

// Choice is one container to remove, in the order to act.
type Choice struct {
	ID       string  `json:"id"`
	Tier     Tier    `json:"tier"`
	Priority int     `json:"priority"`
	Score    float64 `json:"score"`
	Graceful bool    `json:"graceful"`
}

// Plan is the decision.
type Plan struct {
	Target Target `json:"target"`
	// Used is what the running, not-yet-leaving containers hold.
	Used Usage `json:"used"`
	// Remaining is Used minus Remove.
	Remaining Usage `json:"remaining"`
	// Remove lists new containers to signal, in order.
	Remove []Choice `json:"remove"`
	// AlreadyLeaving lists containers counted as removed because they were signalled before.
	AlreadyLeaving []string `json:"alreadyLeaving"`
	// Fits is false only if the target cannot be met even by removing everything.
	Fits bool `json:"fits"`
}
