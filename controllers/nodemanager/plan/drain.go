package plan

import (
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/api/v1alpha1"
)

// DrainStep is one thing to do for a draining NodeManager.
type DrainStep string

const (
	// StepSetCapacityZero: tell the RM the node has no capacity (overCommitTimeout -1), so
	// nothing new is placed and nothing running is killed. Re-applied whenever the RM shows
	// another total, because the RM forgets runtime resizes on re-registration and failover.
	StepSetCapacityZero DrainStep = "SetCapacityZero"
	// StepRequestShed: ask the guarder to bring the NM to zero gracefully by the deadline.
	StepRequestShed DrainStep = "RequestShed"
	// StepDeletePod: the drain is over (nothing runs, the node left YARN or the deadline passed).
	StepDeletePod DrainStep = "DeletePod"
	// StepWait: nothing to do until WakeAt or a change.
	StepWait DrainStep = "Wait"
	// StepEnsureExcludeJob: YarnGraceful: the host must be in the exclude file; the pool's
	// exclude Job (DecideExcludeFile) adds it and calls
	// `yarn rmadmin -refreshNodes -g <timeout> -server`.
	StepEnsureExcludeJob DrainStep = "EnsureExcludeJob"
	// StepWaitDecommissioned: YarnGraceful: the RM is decommissioning the node.
	StepWaitDecommissioned DrainStep = "WaitDecommissioned"
)

// DrainPolicy is the pool's decommission settings, parsed.
type DrainPolicy struct {
	Strategy  v1alpha1.DecommissionStrategy
	ShedAfter time.Duration
}

// DrainState is a drain as recorded in the pod's annotations, so a restarted operator
// resumes it half-way.
type DrainState struct {
	Started, Deadline time.Time
	// ShedRequested: the guarder was asked already (AnnotationShedRequested).
	ShedRequested bool
	// ExcludeRequested: YarnGraceful: the latest exclude Job puts the host in the file.
	ExcludeRequested bool
}

// RMNode is what the RM says about one NodeManager. A node the RM does not list is the zero
// value, and absence is evidence of nothing: after a restart or failover the new active RM
// lists no NodeManager until each one re-registers (ResourceTrackerService answers their
// heartbeats with RESYNC), while their containers keep running.
type RMNode struct {
	// Registered: the RM lists the node in an active state (NEW, RUNNING, UNHEALTHY,
	// DECOMMISSIONING).
	Registered bool
	// Left: the RM lists the node as DECOMMISSIONED or SHUTDOWN: the NodeManager left YARN
	// and runs nothing. LOST and REBOOTED are not: the NM may still run containers the RM
	// cannot see.
	Left bool
	// Decommissioning: state DECOMMISSIONING (YarnGraceful in progress).
	Decommissioning bool
	NumContainers   int64
	// HasTotal: the RM reports totalResource (Hadoop >= 3.3).
	HasTotal                   bool
	TotalVCores, TotalMemoryMB int64
	// Labels are the node's YARN node labels (partitions).
	Labels []string
}

// DrainPlan is what to do now for one drain and when to look again at the latest.
type DrainPlan struct {
	Steps  []DrainStep
	WakeAt time.Time
}

// Has says whether the plan contains step s.
func (p DrainPlan) Has(s DrainStep) bool {
	for _, x := range p.Steps {
		if x == s {
			return true
		}
	}
	return false
}

// NextDrainSteps decides the next steps of one drain. A drain ends early only on positive
// evidence that nothing runs: the RM lists the node as having left YARN, or with a zero total
// and no containers. Without a reachable RM, or while the RM does not list the node (an RM
// restart's re-registration gap, an NM that never registered), it waits; the deadline is final
// either way: the node belongs to the online services again then.
func NextDrainSteps(p DrainPolicy, d DrainState, rm RMNode, rmReachable bool, now time.Time) DrainPlan {
	switch {
	case !now.Before(d.Deadline):
		return DrainPlan{Steps: []DrainStep{StepDeletePod}}
	case !rmReachable:
		return DrainPlan{Steps: []DrainStep{StepWait}, WakeAt: d.Deadline}
	case rm.Left:
		return DrainPlan{Steps: []DrainStep{StepDeletePod}}
	case !rm.Registered:
		return DrainPlan{Steps: []DrainStep{StepWait}, WakeAt: d.Deadline}
	case p.Strategy == v1alpha1.DecommissionYarnGraceful:
		return gracefulSteps(d, rm)
	}
	return capacityDrainSteps(p, d, rm, now)
}

func capacityDrainSteps(p DrainPolicy, d DrainState, rm RMNode, now time.Time) DrainPlan {
	zero := rm.HasTotal && rm.TotalVCores == 0 && rm.TotalMemoryMB == 0
	if zero && rm.NumContainers == 0 {
		// Only once the zero total is visible: before that the scheduler may still place a
		// container between our read and the delete.
		return DrainPlan{Steps: []DrainStep{StepDeletePod}}
	}
	plan := DrainPlan{WakeAt: d.Deadline}
	if !zero {
		plan.Steps = append(plan.Steps, StepSetCapacityZero)
	}
	shedAt := d.Started.Add(p.ShedAfter)
	switch {
	case d.ShedRequested || rm.NumContainers == 0:
	case !now.Before(shedAt):
		plan.Steps = append(plan.Steps, StepRequestShed)
	default:
		plan.WakeAt = shedAt
	}
	if len(plan.Steps) == 0 {
		plan.Steps = []DrainStep{StepWait}
	}
	return plan
}

func gracefulSteps(d DrainState, rm RMNode) DrainPlan {
	if !d.ExcludeRequested {
		return DrainPlan{Steps: []DrainStep{StepEnsureExcludeJob}, WakeAt: d.Deadline}
	}
	return DrainPlan{Steps: []DrainStep{StepWaitDecommissioned}, WakeAt: d.Deadline}
}
