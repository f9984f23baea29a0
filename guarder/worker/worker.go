// Package worker is the guarder's loop: scan /proc, ask the NodeManager what each container
// was allocated, decide with selection, act with signaller, on every target change and every
// interval.
package worker

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/elasticyarn/elastic-yarn-operator/guarder/discovery"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/metrics"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/selection"
	"github.com/elasticyarn/elastic-yarn-operator/guarder/signaller"
	"github.com/elasticyarn/elastic-yarn-operator/yarnclient/nmclient"
)

// Inventory finds the containers' processes (discovery.Scanner).
type Inventory interface {
	Scan() ([]discovery.Container, error)
}

// NodeManager reports allocations (nmclient.Client).
type NodeManager interface {
	Containers(ctx context.Context) ([]nmclient.Container, error)
}

// Config wires a Worker.
type Config struct {
	Inventory Inventory
	NM        NodeManager
	Signaller *signaller.Signaller
	Weights   selection.Weights
	Interval  time.Duration
	// DryRun decides and reports but never signals.
	DryRun  bool
	Metrics *metrics.Metrics
	Log     logr.Logger
	// Now is the clock (time.Now if nil).
	Now func() time.Time
}

// Worker holds the current target and the last plan. Cycles are serialised.
type Worker struct {
	cfg   Config
	cycle sync.Mutex // one scan-decide-act at a time

	mu         sync.Mutex
	target     *Target
	last       *PlanReport
	containers []ContainerView
	ready      bool

	wake chan struct{}
}

// New returns a Worker.
func New(cfg Config) *Worker {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 10 * time.Second
	}
	if cfg.Weights.Validate() != nil {
		cfg.Weights = selection.DefaultWeights()
	}
	return &Worker{cfg: cfg, wake: make(chan struct{}, 1)}
}

// ErrNoTarget means no target was set yet.
var ErrNoTarget = errors.New("no target set")

// SetTarget replaces the target and runs a cycle at once, returning its report.
func (w *Worker) SetTarget(ctx context.Context, t Target) (PlanReport, error) {
	w.storeTarget(t)
	return w.Cycle(ctx)
}

func (w *Worker) storeTarget(t Target) {
	w.mu.Lock()
	w.target = &t
	w.mu.Unlock()
	if w.cfg.Metrics != nil {
		w.cfg.Metrics.TargetVCores.Set(float64(t.VCores))
		w.cfg.Metrics.TargetMemory.Set(float64(t.MemoryMB) * 1024 * 1024)
	}
}

// Release frees at least need from the containers running now: Koordinator's container-level
// eviction (package guarder/koordlet). The target becomes what runs minus need, never looser
// than a target already in force (whose deadline and priorities it keeps), and is stored like
// one from the operator, so later cycles escalate and do not shed again. The report's
// Released says what the containers signalled in this cycle were allocated.
func (w *Worker) Release(ctx context.Context, need selection.Release, reason string) (PlanReport, error) {
	t := Target{Reason: reason, SetAt: w.cfg.Now(), release: &need}
	if cur, ok := w.CurrentTarget(); ok {
		t.limit = &selection.Target{VCores: cur.VCores, MemoryMB: cur.MemoryMB}
		t.Deadline, t.AppPriorities = cur.Deadline, cur.AppPriorities
	}
	return w.run(ctx, &t, w.cfg.DryRun)
}

// Preview decides for t without storing it and without acting (a per-request dry run).
func (w *Worker) Preview(ctx context.Context, t Target) (PlanReport, error) {
	return w.run(ctx, &t, true)
}

// Cycle runs one scan-decide-act pass with the stored target.
func (w *Worker) Cycle(ctx context.Context) (PlanReport, error) {
	w.mu.Lock()
	t := w.target
	w.mu.Unlock()
	return w.run(ctx, t, w.cfg.DryRun)
}

// Run loops until ctx ends: a cycle every Interval and whenever Wake is called.
func (w *Worker) Run(ctx context.Context) error {
	ticker := time.NewTicker(w.cfg.Interval)
	defer ticker.Stop()
	for {
		if _, err := w.Cycle(ctx); err != nil && !errors.Is(err, ErrNoTarget) {
			w.cfg.Log.Error(err, "guarder cycle failed")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case <-w.wake:
		}
	}
}

// Wake asks the loop for a cycle soon (used by the safety net).
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// LastPlan returns the last report with a target, if any.
func (w *Worker) LastPlan() (PlanReport, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.last == nil {
		return PlanReport{}, false
	}
	return *w.last, true
}

// CurrentTarget returns the stored target, if any.
func (w *Worker) CurrentTarget() (Target, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.target == nil {
		return Target{}, false
	}
	return *w.target, true
}

// Containers returns the containers seen by the last scan.
func (w *Worker) Containers() []ContainerView {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]ContainerView(nil), w.containers...)
}

// Ready reports whether a scan of /proc has succeeded.
func (w *Worker) Ready() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ready
}
