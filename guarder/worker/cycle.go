package worker

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient"
)

// run gathers inputs, decides, and (unless dryRun) acts. Escalation of containers already
// leaving happens on every cycle, with or without a target: a force-kill must not wait for the
// operator to call again.
func (w *Worker) run(ctx context.Context, target *Target, dryRun bool) (PlanReport, error) {
	w.cycle.Lock()
	defer w.cycle.Unlock()
	start := time.Now()
	defer func() {
		if w.cfg.Metrics != nil {
			w.cfg.Metrics.ObserveDecision(time.Since(start))
		}
	}()
	now := w.cfg.Now()

	found, err := w.cfg.Inventory.Scan()
	if err != nil {
		w.countScanError()
		return PlanReport{}, fmt.Errorf("scan /proc: %w", err)
	}
	if !dryRun {
		for _, a := range w.cfg.Signaller.Reconcile(found, now) {
			if a.Err != "" {
				w.cfg.Log.Info("force-kill step failed", "containerId", a.ContainerID, "signal", a.Signal, "error", a.Err)
			}
		}
	}
	// NM failure is not fatal for the scan; it only stops new selections (without
	// allocations the fit cannot be computed, and guessing would shed the wrong containers).
	alloc, nmErr := w.allocations(ctx)
	w.publish(found, alloc, now)
	if target == nil {
		return PlanReport{}, ErrNoTarget
	}

	report := PlanReport{Target: *target, DecidedAt: now, DryRun: dryRun, Actions: []signaller.Action{}, Unmatched: []string{}}
	if nmErr != nil {
		w.countScanError()
		report.Error = "node manager unavailable, nothing new selected: " + nmErr.Error()
		report.Plan = selection.Plan{Target: selection.Target{VCores: target.VCores, MemoryMB: target.MemoryMB}, Remove: []selection.Choice{}, AlreadyLeaving: []string{}}
		w.store(report, dryRun)
		return report, nil
	}
	cands, byID, unmatched, unreachable := w.candidates(found, alloc, target)
	report.Unmatched, report.Unreachable = unmatched, unreachable
	if target.release != nil {
		abs := selection.TargetAfterRelease(cands, *target.release, target.limit)
		target.VCores, target.MemoryMB, target.release, target.limit = abs.VCores, abs.MemoryMB, nil, nil
		report.Target = *target
		if !dryRun {
			w.storeTarget(*target)
		}
	}
	staged := selection.Shed(cands, selection.Target{VCores: target.VCores, MemoryMB: target.MemoryMB}, now, target.Deadline,
		w.cfg.Signaller.Grace(), w.cfg.Weights)
	report.Plan = staged.Plan
	for _, h := range staged.Held {
		report.HeldAMs = append(report.HeldAMs, h.ID)
	}
	for _, choice := range staged.Signal {
		c := byID[choice.ID]
		act, err := w.cfg.Signaller.Shed(c, target.Reason, now, target.Deadline, dryRun)
		if err != nil {
			act.Err = err.Error()
			w.cfg.Log.Info("could not signal container", "containerId", choice.ID, "error", err.Error())
		}
		if act.Signal != "" {
			report.Actions = append(report.Actions, act)
			if act.Err == "" && !act.DryRun {
				a := alloc[choice.ID]
				report.Released.VCores += max(int64(a.TotalVCoresNeeded), 0)
				report.Released.MemoryMB += max(int64(a.TotalMemoryNeededMB), 0)
			}
		}
	}
	w.store(report, dryRun)
	return report, nil
}

func (w *Worker) store(r PlanReport, dryRun bool) {
	if dryRun && !w.cfg.DryRun {
		return // a per-request preview does not replace the last real plan
	}
	w.mu.Lock()
	w.last = &r
	w.mu.Unlock()
}

func (w *Worker) allocations(ctx context.Context) (map[string]nmclient.Container, error) {
	if w.cfg.NM == nil {
		return nil, fmt.Errorf("no NodeManager client configured")
	}
	cs, err := w.cfg.NM.Containers(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]nmclient.Container, len(cs))
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}

// candidates joins /proc with the NM by container id.
func (w *Worker) candidates(found []discovery.Container, alloc map[string]nmclient.Container, t *Target) ([]selection.Candidate, map[string]discovery.Container, []string, []UnreachableContainer) {
	cands := make([]selection.Candidate, 0, len(found))
	byID := make(map[string]discovery.Container, len(found))
	unmatched := []string{}
	var unreachable []UnreachableContainer
	for _, c := range found {
		id := c.ID.String()
		a, ok := alloc[id]
		if !ok {
			unmatched = append(unmatched, id)
			continue
		}
		if c.Unreachable != "" {
			unreachable = append(unreachable, UnreachableContainer{ID: id, Reason: string(c.Unreachable)})
			continue
		}
		byID[id] = c
		// The graceful bonus in the ranking is for leaving without lost work, which only
		// SIGPWR gives. Under TermOnly a Spark executor gets SIGTERM like anything else and
		// loses its tasks and blocks, so it must not be shed first merely for having a
		// handler: ranking and signalling share FirstSignal so they cannot disagree.
		graceful := signaller.FirstSignal(w.cfg.Signaller.Policy(), c).Graceful()
		cands = append(cands, selection.Candidate{
			ID:              id,
			VCores:          max(int64(a.TotalVCoresNeeded), 0),
			MemoryMB:        max(int64(a.TotalMemoryNeededMB), 0),
			GracefulCapable: graceful,
			StartedAt:       c.StartedAt,
			AM:              c.Role == discovery.RoleAM || c.ID.IsAM(),
			Streaming:       c.Streaming,
			Priority:        t.AppPriorities[c.ID.ApplicationID().String()],
			// Signalled by us, or already being killed/exiting according to the NM.
			Leaving: w.cfg.Signaller.State(id).Leaving() || a.Terminating(),
			App:     c.ID.ApplicationID().String(),
		})
	}
	return cands, byID, unmatched, unreachable
}

// publish refreshes the container view and the state gauge.
func (w *Worker) publish(found []discovery.Container, alloc map[string]nmclient.Container, now time.Time) {
	views := make([]ContainerView, 0, len(found))
	counts := map[signaller.State]int{}
	unreachable := map[discovery.UnreachableReason]int{}
	for _, c := range found {
		id := c.ID.String()
		v := ContainerView{
			ID: id, ApplicationID: c.ID.ApplicationID().String(), Framework: string(c.Framework), Role: string(c.Role),
			Streaming: c.Streaming, HandlesSIGPWR: c.HandlesSIGPWR, PGID: c.PGID, Processes: len(c.Processes),
			StartedAt: c.StartedAt, RuntimeSeconds: now.Sub(c.StartedAt).Seconds(), CPUSeconds: c.CPUTime.Seconds(),
			RSSBytes: c.RSSBytes, State: w.cfg.Signaller.State(id), Session: c.Session,
			Unreachable: string(c.Unreachable),
		}
		for _, l := range c.Launchers {
			v.LauncherPIDs = append(v.LauncherPIDs, l.PID)
		}
		if c.Unreachable != "" {
			unreachable[c.Unreachable]++
		}
		if c.Leader != nil {
			v.LeaderPID = c.Leader.PID
		}
		if c.Main != nil {
			v.MainPID = c.Main.PID
		}
		if a, ok := alloc[id]; ok {
			v.VCores, v.MemoryMB, v.NMState = int64(a.TotalVCoresNeeded), int64(a.TotalMemoryNeededMB), a.State
		}
		counts[v.State]++
		views = append(views, v)
	}
	for _, r := range w.cfg.Signaller.Records() {
		if r.State == signaller.StateGone {
			counts[signaller.StateGone]++
		}
	}
	sort.Slice(views, func(i, j int) bool { return views[i].ID < views[j].ID })
	w.mu.Lock()
	w.containers, w.ready = views, true
	w.mu.Unlock()
	if w.cfg.Metrics != nil {
		for _, s := range signaller.AllStates {
			w.cfg.Metrics.Containers.WithLabelValues(string(s)).Set(float64(counts[s]))
		}
		for _, r := range discovery.AllUnreachableReasons {
			w.cfg.Metrics.UnreachableContainers.WithLabelValues(string(r)).Set(float64(unreachable[r]))
		}
	}
}

func (w *Worker) countScanError() {
	if w.cfg.Metrics != nil {
		w.cfg.Metrics.ScanErrors.Inc()
	}
}
