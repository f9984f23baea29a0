package worker

import (
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
)

// Target is what the operator (or the safety net) asked for.
type Target struct {
	VCores   int64 `json:"vcores"`
	MemoryMB int64 `json:"memoryMB"`
	// Deadline, if set, is when containers over the target must be gone: it brings the
	// force-kill forward when earlier than signal time + grace period.
	Deadline time.Time `json:"deadline,omitzero"`
	Reason   string    `json:"reason"`
	// AppPriorities maps application ids to YARN application priorities (higher = keep longer).
	AppPriorities map[string]int `json:"appPriorities,omitempty"`
	SetAt         time.Time      `json:"setAt"`

	// release, when set, makes the cycle resolve VCores and MemoryMB from what runs now
	// (selection.TargetAfterRelease, capped by limit); the resolved target is stored.
	release *selection.Release
	limit   *selection.Target
}

// PlanReport is one decision with what was done about it.
type PlanReport struct {
	Target    Target             `json:"target"`
	DecidedAt time.Time          `json:"decidedAt"`
	DryRun    bool               `json:"dryRun"`
	Plan      selection.Plan     `json:"plan"`
	Actions   []signaller.Action `json:"actions"`
	// Unmatched lists containers seen in /proc that the NM did not report (not counted).
	Unmatched []string `json:"unmatched"`
	// Unreachable lists containers the NM reports whose processes cannot be signalled from
	// here (e.g. the Docker runtime): they are left out of the plan, never guessed at.
	Unreachable []UnreachableContainer `json:"unreachable,omitempty"`
	// Released is what YARN allocated to the containers this cycle sent a first signal to.
	Released selection.Usage `json:"released"`
	// HeldAMs lists ApplicationMasters chosen but held back while their tasks leave.
	HeldAMs []string `json:"heldAMs,omitempty"`
	// Error explains why nothing new was selected (e.g. the NM was unreachable).
	Error string `json:"error,omitempty"`
}

// UnreachableContainer is a container the guarder sees but cannot signal, and why.
type UnreachableContainer struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// ContainerView is what GET /v1/containers shows for one container.
type ContainerView struct {
	ID             string          `json:"id"`
	ApplicationID  string          `json:"applicationId"`
	Framework      string          `json:"framework"`
	Role           string          `json:"role"`
	Streaming      bool            `json:"streaming"`
	HandlesSIGPWR  bool            `json:"handlesSigpwr"`
	LeaderPID      int             `json:"leaderPid,omitempty"`
	Session        int             `json:"session,omitempty"`
	LauncherPIDs   []int           `json:"launcherPids,omitempty"`
	Unreachable    string          `json:"unreachable,omitempty"`
	MainPID        int             `json:"mainPid,omitempty"`
	PGID           int             `json:"pgid"`
	Processes      int             `json:"processes"`
	StartedAt      time.Time       `json:"startedAt"`
	RuntimeSeconds float64         `json:"runtimeSeconds"`
	CPUSeconds     float64         `json:"cpuSeconds"`
	RSSBytes       int64           `json:"rssBytes"`
	VCores         int64           `json:"vcores"`
	MemoryMB       int64           `json:"memoryMB"`
	NMState        string          `json:"nmState"`
	State          signaller.State `json:"state"`
}
