package guarderstandin

import (
	"context"
	"sync"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/worker"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/rmemulator"
)

// gracefulExit is how long a Spark executor takes to decommission after SIGPWR here.
const gracefulExit = 3 * time.Second

// ShedCounts are a pool's sheds: graceful (SIGPWR, the executor decommissioned) and forced
// (the container was terminated and its work lost).
type ShedCounts struct{ Graceful, Forced int64 }

// standin is one NodeManager pod's guarder: kwok pods run no processes, so there is no /proc
// to scan and nothing to signal. It implements guarder/api.Controller over the RM emulator's
// containers of one NodeManager: the REAL selection.Shed picks what to shed; a
// graceful-capable container (a Spark task that handles SIGPWR) leaves gracefulExit later,
// any other one is killed at once through the emulator. The real guarder (guarder/worker)
// runs in the pod. Where the emulator runs no containers (the scale run) it only stores and
// reports its target.
type standin struct {
	rm     *rmemulator.Emulator
	nodeID string
	count  func(graceful bool)

	mu      sync.Mutex
	target  *worker.Target
	last    *worker.PlanReport
	leaving map[string]time.Time // container -> when it exits (graceful)
}

func newStandin(rm *rmemulator.Emulator, nodeID string, count func(graceful bool)) *standin {
	return &standin{rm: rm, nodeID: nodeID, count: count, leaving: map[string]time.Time{}}
}

// SetTarget stores t and runs a cycle.
func (s *standin) SetTarget(_ context.Context, t worker.Target) (worker.PlanReport, error) {
	s.mu.Lock()
	s.target = &t
	s.mu.Unlock()
	return s.cycle(time.Now(), false)
}

// Preview decides for t without acting.
func (s *standin) Preview(_ context.Context, t worker.Target) (worker.PlanReport, error) {
	return s.decide(time.Now(), t, true), nil
}

// LastPlan is the last real plan.
func (s *standin) LastPlan() (worker.PlanReport, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		return worker.PlanReport{}, false
	}
	return *s.last, true
}

// CurrentTarget is the stored target.
func (s *standin) CurrentTarget() (worker.Target, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.target == nil {
		return worker.Target{}, false
	}
	return *s.target, true
}

// Ready: the stand-in has no /proc scan to wait for.
func (s *standin) Ready() bool { return true }

// Containers shows the NodeManager's containers as the guarder would.
func (s *standin) Containers() []worker.ContainerView {
	now := time.Now()
	types := appTypes(s.rm)
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []worker.ContainerView
	for _, c := range s.rm.Containers(s.nodeID) {
		graceful := gracefulCapable(c, types)
		v := worker.ContainerView{ID: c.ID, ApplicationID: c.ApplicationID, Framework: framework(types[c.ApplicationID]),
			Role: "task", HandlesSIGPWR: graceful, StartedAt: c.Start, RuntimeSeconds: now.Sub(c.Start).Seconds(),
			VCores: c.Resource.VCores, MemoryMB: c.Resource.MemoryMB, NMState: "RUNNING", State: signaller.StateRunning}
		if c.AM {
			v.Role = "am"
		}
		if _, ok := s.leaving[c.ID]; ok {
			v.State = signaller.StateLeavingGraceful
		}
		out = append(out, v)
	}
	return out
}

// cycle decides with the stored target and acts.
func (s *standin) cycle(now time.Time, dryRun bool) (worker.PlanReport, error) {
	s.mu.Lock()
	t := s.target
	s.mu.Unlock()
	if t == nil {
		return worker.PlanReport{}, worker.ErrNoTarget
	}
	r := s.decide(now, *t, dryRun)
	if !dryRun {
		s.act(now, *t, &r)
		s.mu.Lock()
		s.last = &r
		s.mu.Unlock()
	}
	return r, nil
}

// decide runs the real selection over the emulator's containers of this node.
func (s *standin) decide(now time.Time, t worker.Target, dryRun bool) worker.PlanReport {
	types := appTypes(s.rm)
	s.mu.Lock()
	var cands []selection.Candidate
	for _, c := range s.rm.Containers(s.nodeID) {
		_, leaving := s.leaving[c.ID]
		cands = append(cands, selection.Candidate{ID: c.ID, VCores: c.Resource.VCores, MemoryMB: c.Resource.MemoryMB,
			GracefulCapable: gracefulCapable(c, types), StartedAt: c.Start, AM: c.AM,
			Priority: t.AppPriorities[c.ApplicationID], Leaving: leaving, App: c.ApplicationID})
	}
	s.mu.Unlock()
	// The real worker's decide-and-stage step: an AM waits for its tasks to leave, until the
	// deadline allows.
	staged := selection.Shed(cands, selection.Target{VCores: t.VCores, MemoryMB: t.MemoryMB}, now, t.Deadline, gracefulExit, selection.DefaultWeights())
	var heldIDs []string
	for _, h := range staged.Held {
		heldIDs = append(heldIDs, h.ID)
	}
	return worker.PlanReport{Target: t, DecidedAt: now, DryRun: dryRun, Plan: staged.Plan, Actions: []signaller.Action{}, Unmatched: []string{}, HeldAMs: heldIDs}
}

// act "signals" the chosen containers: graceful ones leave gracefulExit later (or at the
// deadline, forced, if that is sooner); the others are killed now. A killed AM fails its
// application and takes its containers with it, so a forced kill counts every container it
// removed.
func (s *standin) act(now time.Time, t worker.Target, r *worker.PlanReport) {
	apps := map[string]string{}
	for _, c := range s.rm.Containers(s.nodeID) {
		apps[c.ID] = c.ApplicationID
	}
	held := map[string]bool{}
	for _, id := range r.HeldAMs {
		held[id] = true
	}
	for _, ch := range r.Plan.Remove {
		if held[ch.ID] {
			continue
		}
		if ch.Graceful && (t.Deadline.IsZero() || t.Deadline.After(now.Add(gracefulExit))) {
			s.mu.Lock()
			s.leaving[ch.ID] = now.Add(gracefulExit)
			s.mu.Unlock()
			r.Actions = append(r.Actions, signaller.Action{ContainerID: ch.ID, Signal: "SIGPWR", Target: "process"})
			continue
		}
		act := signaller.Action{ContainerID: ch.ID, Signal: "SIGKILL", Target: "group"}
		before := runningOf(s.rm, apps[ch.ID])
		if err := s.rm.KillContainer(ch.ID); err != nil {
			act.Err = err.Error()
		} else {
			for n := max(before-runningOf(s.rm, apps[ch.ID]), 1); n > 0; n-- {
				s.count(false)
			}
		}
		r.Actions = append(r.Actions, act)
	}
}

// runningOf is how many containers application id has running.
func runningOf(rm *rmemulator.Emulator, id string) int {
	for _, a := range rm.Apps() {
		if a.ID == id {
			return a.RunningContainers
		}
	}
	return 0
}

// tick finishes graceful exits that are due and forgets containers that are gone.
func (s *standin) tick(now time.Time) {
	s.mu.Lock()
	idle := len(s.leaving) == 0
	s.mu.Unlock()
	if idle {
		return // nothing is leaving: no need to ask the emulator
	}
	running := map[string]bool{}
	for _, c := range s.rm.Containers(s.nodeID) {
		running[c.ID] = true
	}
	s.mu.Lock()
	var due []string
	for id, at := range s.leaving {
		switch {
		case !running[id]:
			delete(s.leaving, id) // finished by itself meanwhile
		case !now.Before(at):
			due = append(due, id)
			delete(s.leaving, id)
		}
	}
	s.mu.Unlock()
	for _, id := range due {
		if s.rm.KillContainer(id) == nil {
			s.count(true)
		}
	}
}

// gracefulCapable: Spark tasks handle SIGPWR (decommission); AMs and MapReduce do not.
func gracefulCapable(c rmemulator.ContainerView, types map[string]string) bool {
	return !c.AM && types[c.ApplicationID] == "SPARK"
}

func framework(appType string) string {
	switch appType {
	case "SPARK":
		return "spark"
	case "MAPREDUCE":
		return "mapreduce"
	default:
		return "unknown"
	}
}

// appTypes maps application ids to their type (SPARK, MAPREDUCE).
func appTypes(e *rmemulator.Emulator) map[string]string {
	out := map[string]string{}
	for _, a := range e.Apps() {
		out[a.ID] = a.Type
	}
	return out
}
